"""Test-only private plugin: the e2e test imports it inside the private image."""
PLUGIN_NAME = "openedx-e2e-plugin"
