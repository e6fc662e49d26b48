"""A small private plugin for the private-image tests."""
PLUGIN_NAME = "openedx-e2e-plugin"
