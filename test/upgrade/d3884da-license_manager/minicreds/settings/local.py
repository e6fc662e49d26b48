from minicreds.settings.base import *

DEBUG = True
ALLOWED_HOSTS = ['*']
