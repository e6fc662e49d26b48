import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { toExampleConfigModel } from '../../src/model/example-config.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

/** A minimal IDA whose package name has an underscore, as license_manager or enterprise_reports do. */
function repo(pkg: string) {
  return new MemoryReader({
    'manage.py': `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${pkg}.settings.local")\n`,
    [`${pkg}/__init__.py`]: '',
    [`${pkg}/wsgi.py`]: 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
    [`${pkg}/settings/__init__.py`]: '',
    [`${pkg}/settings/base.py`]: 'SECRET_KEY = "x"\n',
    [`${pkg}/settings/production.py`]:
      `import yaml\nfrom os import environ\nfrom ${pkg}.settings.base import *\n` +
      `with open(environ["${pkg.toUpperCase()}_CFG"]) as f:\n    vars().update(yaml.safe_load(f))\n`,
    'requirements/production.txt': 'django==4.2.30\ngunicorn==23.0.0\npyyaml==6.0.2\n',
  });
}

describe('toExampleConfigModel', () => {
  it.each([
    ['license_manager', 'license-manager.example.com'],
    ['minicreds', 'minicreds.example.com'],
  ])('writes a valid host name for service %s in ALLOWED_HOSTS (no underscore: Django rejects it)', (pkg, host) => {
    const facts = analyzeRepo(repo(pkg));
    const config = resolveConfig(facts, {});
    expect(config.service).toBe(pkg);
    const hosts = toExampleConfigModel(facts, config).required.find((entry) => entry.key === 'ALLOWED_HOSTS');
    expect(hosts?.value).toEqual([host, 'localhost']);
  });
});

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";

function example(production: string, requirements: string, base = '') {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py': `from .base import *\n${LOAD}${production}`,
      'requirements/base.txt': requirements,
    }),
  );
  const model = toExampleConfigModel(facts, resolveConfig(facts, {}));
  return (key: string) =>
    model.required.find((entry) => entry.key === key) ?? model.overrides.find((entry) => entry.key === key);
}

describe('example DATABASES', () => {
  it('holds the OPTIONS the production settings read, with MySQL values when mysqlclient is installed', () => {
    const entry = example(
      "DATABASES['default']['OPTIONS']['charset'] = 'utf8mb4'\n",
      'django==4.2.16\nmysqlclient==2.2.4\n',
    )('DATABASES');
    expect(entry).toEqual({
      key: 'DATABASES',
      value: {
        default: {
          ENGINE: 'django.db.backends.mysql',
          NAME: 'svc',
          USER: 'svc001',
          PASSWORD: 'CHANGE-ME-database-password',
          HOST: 'db.example.internal',
          PORT: 3306,
          OPTIONS: { connect_timeout: 10, init_command: "SET sql_mode='STRICT_TRANS_TABLES'" },
        },
      },
      comment:
        'The service database; mysqlclient is installed (requirements/base.txt:2); added what the settings read after loading the YAML: ' +
        "DATABASES['default']['OPTIONS'] (svc/settings/production.py:5)",
    });
  });

  it("takes a nested key's value from the settings' own default dict", () => {
    const base =
      "DATABASES = {'default': {'ENGINE': 'x', 'TEST': {'NAME': 'test_svc'}}, 'replica': {'NAME': 'r', 'PORT': 3307}}\n";
    const entry = example(
      "x = DATABASES['default']['TEST']['NAME']\ny = DATABASES['replica']['PORT']\n",
      'psycopg2-binary==2.9.9\n',
      base,
    )('DATABASES');
    expect((entry!.value as any).default.TEST).toEqual({ NAME: 'test_svc' });
    expect((entry!.value as any).default.ENGINE).toBe('django.db.backends.postgresql');
    // The alias is the settings' own, pointed at the example server like default (not its development values).
    expect((entry!.value as any).replica).toMatchObject({ NAME: 'svc', HOST: 'db.example.internal', PORT: 5432 });
  });

  it("carries every alias the settings define (analytics-data-api), with the repo's own connection keys", () => {
    const base =
      "DEFAULT_MYSQL_OPTIONS = {'connect_timeout': 10, 'init_command': \"SET sql_mode='STRICT_TRANS_TABLES'\"}\n" +
      'DATABASES = {\n' +
      "    'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'analytics-api', 'HOST': 'localhost',\n" +
      "                'OPTIONS': DEFAULT_MYSQL_OPTIONS, 'PASSWORD': 'password', 'ATOMIC_REQUESTS': False},\n" +
      "    'reports_v1': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'reports_v1', 'OPTIONS': DEFAULT_MYSQL_OPTIONS},\n" +
      "    'reports': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'reports', 'CONN_MAX_AGE': 0},\n" +
      "    'enterprise': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'enterprise_reporting'},\n" +
      '}\n';
    const entry = example('', 'django==4.2.16\nmysqlclient==2.2.4\n', base)('DATABASES');
    const server = {
      ENGINE: 'django.db.backends.mysql',
      NAME: 'svc',
      USER: 'svc001',
      PASSWORD: 'CHANGE-ME-database-password',
      HOST: 'db.example.internal',
      PORT: 3306,
    };
    const options = { connect_timeout: 10, init_command: "SET sql_mode='STRICT_TRANS_TABLES'" };
    expect(entry).toEqual({
      key: 'DATABASES',
      value: {
        default: { ...server, ATOMIC_REQUESTS: false, OPTIONS: options },
        reports_v1: { ...server, OPTIONS: options },
        reports: { ...server, CONN_MAX_AGE: 0 },
        enterprise: server,
      },
      comment:
        'The service database; mysqlclient is installed (requirements/base.txt:2); every alias the settings define ' +
        '(default, reports_v1, reports, enterprise), all on the service database here: give an alias its own NAME ' +
        'where its data lives in another database; ATOMIC_REQUESTS, CONN_MAX_AGE and OPTIONS only where the settings set ' +
        'them (svc/settings/base.py:2): default: ATOMIC_REQUESTS, OPTIONS; reports_v1: OPTIONS; reports: CONN_MAX_AGE',
    });
  });

  it('invents no ATOMIC_REQUESTS or CONN_MAX_AGE the settings do not set, and says so', () => {
    const base = "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'x'}}\n";
    const entry = example('', 'django==4.2.16\nmysqlclient==2.2.4\n', base)('DATABASES');
    expect(Object.keys((entry!.value as any).default)).toEqual(['ENGINE', 'NAME', 'USER', 'PASSWORD', 'HOST', 'PORT']);
    expect(entry!.comment).toMatch(
      /the settings \(svc\/settings\/base\.py:1\) set no ATOMIC_REQUESTS, CONN_MAX_AGE or OPTIONS: Django's defaults apply$/,
    );
  });

  it('adds nothing when the settings read no nested key', () => {
    const entry = example('', 'mysqlclient==2.2.4\n')('DATABASES');
    expect(Object.keys((entry!.value as any).default)).not.toContain('OPTIONS');
    expect(entry!.comment).toBe('The service database; mysqlclient is installed (requirements/base.txt:1)');
  });
});

describe('example CACHES', () => {
  it('names the backend whose client is installed, and where it was found', () => {
    expect(example('', 'django==4.2.16\ndjango-redis==5.4.0\n')('CACHES')).toEqual({
      key: 'CACHES',
      value: {
        default: {
          BACKEND: 'django_redis.cache.RedisCache',
          KEY_PREFIX: 'svc',
          LOCATION: 'redis://redis.example.internal:6379/1',
        },
      },
      comment:
        'Shared cache; django-redis is installed (requirements/base.txt:2); django.core.cache.backends.locmem.LocMemCache works for a single container',
    });
  });

  it('falls back to the local-memory cache and says what to install', () => {
    const entry = example('', 'django==4.2.16\n')('CACHES');
    expect(entry!.value).toEqual({
      default: { BACKEND: 'django.core.cache.backends.locmem.LocMemCache', KEY_PREFIX: 'svc' },
    });
    expect(entry!.comment).toMatch(/add pymemcache \(memcached\) or django-redis \(Redis\)/);
  });
});

describe('example DATABASES without a database driver', () => {
  const sqlite =
    "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.sqlite3',\n        'NAME': ':memory:',\n    }\n}\n";

  it("keeps the code's own sqlite database (codejail-service): MySQL would need a driver the image lacks", () => {
    expect(example('', 'django==4.2.16\n', sqlite)('DATABASES')).toEqual({
      key: 'DATABASES',
      value: { default: { ENGINE: 'django.db.backends.sqlite3', NAME: ':memory:' } },
      comment: 'Default from svc/settings/base.py:1; replaces the whole DATABASES dict: give every key you need',
    });
  });

  it('still asks for a database when the code has none to keep', () => {
    const entry = example('', 'django==4.2.16\n')('DATABASES');
    expect(entry?.value).toMatchObject({ default: { ENGINE: 'django.db.backends.mysql' } });
  });

  it('warns to add mysqlclient exactly when the YAML names MySQL without a driver', () => {
    const warned = (base: string) =>
      analyzeRepo(
        new MemoryReader({
          'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
          'svc/__init__.py': '',
          'svc/wsgi.py': 'application = get_wsgi_application()\n',
          'svc/settings/__init__.py': '',
          'svc/settings/base.py': base,
          'svc/settings/production.py': `from .base import *\n${LOAD}`,
          'requirements/base.txt': 'django==4.2.16\n',
        }),
      ).warnings.some((warning) => /add mysqlclient/.test(warning.message));
    expect(warned(sqlite)).toBe(false);
    expect(example('', 'django==4.2.16\n', sqlite)('DATABASES')?.value).not.toMatchObject({
      default: { ENGINE: 'django.db.backends.mysql' },
    });
    expect(warned('')).toBe(true);
  });

  it('writes the server database when a driver is installed, whatever the code default', () => {
    const entry = example('', 'django==4.2.16\nmysqlclient==2.2.4\n', sqlite)('DATABASES');
    expect(entry?.value).toMatchObject({ default: { ENGINE: 'django.db.backends.mysql', NAME: 'svc' } });
  });
});
