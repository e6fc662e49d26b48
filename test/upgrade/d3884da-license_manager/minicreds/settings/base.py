import os
from os.path import abspath, dirname, join

BASE_DIR = dirname(dirname(dirname(abspath(__file__))))


def root(*path_fragments):
    return join(BASE_DIR, *path_fragments)


SECRET_KEY = 'replace-me-in-production'
DEBUG = False
ALLOWED_HOSTS = []

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.staticfiles',
    'rest_framework',
    'minicreds.apps.core',
]

STATICFILES_DIRS = [
    root('minicreds', 'static'),
]

MIDDLEWARE = [
    'edx_django_utils.cache.middleware.RequestCacheMiddleware',
    'django.middleware.security.SecurityMiddleware',
    'django.middleware.locale.LocaleMiddleware',
    'django.middleware.common.CommonMiddleware',
]

ROOT_URLCONF = 'minicreds.urls'
WSGI_APPLICATION = 'minicreds.wsgi.application'

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.mysql',
        'NAME': 'minicreds',
        'USER': 'minicreds001',
        'PASSWORD': 'password',
        'HOST': 'localhost',
        'PORT': '3306',
        'ATOMIC_REQUESTS': True,
        'CONN_MAX_AGE': 60,
        'OPTIONS': {'connect_timeout': 10, 'init_command': "SET sql_mode='STRICT_TRANS_TABLES'"},
    }
}

CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
        'LOCATION': 'minicreds',
    }
}

DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'

LANGUAGE_CODE = 'en-us'
LANGUAGES = [('en', 'English'), ('es', 'Spanish')]
LOCALE_PATHS = [root('minicreds', 'conf', 'locale')]
USE_I18N = True
TIME_ZONE = 'UTC'
USE_TZ = True

STATIC_URL = '/static/'
STATIC_ROOT = root('minicreds', 'assets')

PLATFORM_NAME = 'Your Platform Name Here'
LMS_URL_ROOT = None

REST_FRAMEWORK = {
    'DEFAULT_AUTHENTICATION_CLASSES': (
        'edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication',
    ),
    'DEFAULT_PERMISSION_CLASSES': ('rest_framework.permissions.IsAuthenticated',),
}

JWT_AUTH = {
    'JWT_ISSUERS': [],
    'JWT_AUTH_COOKIE': 'edx-jwt-cookie',
    'JWT_VERIFY_AUDIENCE': False,
}

SOCIAL_AUTH_EDX_OAUTH2_KEY = 'minicreds-sso-key'
SOCIAL_AUTH_EDX_OAUTH2_SECRET = 'minicreds-sso-secret'
