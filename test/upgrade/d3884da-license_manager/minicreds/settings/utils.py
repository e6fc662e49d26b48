from os import environ

from django.core.exceptions import ImproperlyConfigured


def get_env_setting(setting):
    """Get the environment setting or raise exception."""
    try:
        return environ[setting]
    except KeyError as error:
        raise ImproperlyConfigured(f'Set the [{setting}] env variable!') from error
