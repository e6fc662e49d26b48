from os import environ

import yaml

from minicreds.settings.base import *
from minicreds.settings.utils import get_env_setting

DEBUG = False
TEMPLATE_DEBUG = False

# Dict settings the YAML updates key by key instead of replacing.
DICT_UPDATE_KEYS = ('JWT_AUTH',)

CONFIG_FILE = get_env_setting('MINICREDS_CFG')
with open(CONFIG_FILE, encoding='utf-8') as f:
    config_from_yaml = yaml.safe_load(f)

    for key in DICT_UPDATE_KEYS:
        if key in config_from_yaml:
            vars()[key].update(config_from_yaml.pop(key))

    vars().update(config_from_yaml)

for override, value in DB_OVERRIDES.items() if 'DB_OVERRIDES' in vars() else []:
    DATABASES['default'][override] = value
