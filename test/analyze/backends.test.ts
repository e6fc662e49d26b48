import { describe, expect, it } from 'vitest';
import { detectCache, detectDatabase } from '../../src/analyze/backends.js';
import type { AnalysisWarning } from '../../src/analyze/fact.js';
import type { Requirement } from '../../src/analyze/requirements.js';
import type { SettingDefault } from '../../src/analyze/settings-defaults.js';

/** Requirements as pip-compiled files list them: `name==version`, one per line of base.txt. */
function pins(...specs: string[]): Requirement[] {
  return specs.map((spec, index) => {
    const [name, version] = spec.split('==');
    return { name, file: 'requirements/base.txt', line: index + 1, vcs: false, ...(version ? { version } : {}) };
  });
}

describe('database engine from the installed driver', () => {
  it.each([
    {
      installed: ['django==4.2.16', 'mysqlclient==2.2.4'],
      engine: 'django.db.backends.mysql',
      port: 3306,
      source: 'requirements/base.txt:2',
    },
    {
      installed: ['pymysql==1.1.1'],
      engine: 'django.db.backends.mysql',
      port: 3306,
      source: 'requirements/base.txt:1',
    },
    {
      installed: ['django==5.2', 'psycopg==3.2.3'],
      engine: 'django.db.backends.postgresql',
      port: 5432,
      source: 'requirements/base.txt:2',
    },
    {
      installed: ['psycopg2-binary==2.9.9'],
      engine: 'django.db.backends.postgresql',
      port: 5432,
      source: 'requirements/base.txt:1',
    },
  ])('$installed → $engine', ({ installed, engine, port, source }) => {
    const warnings: AnalysisWarning[] = [];
    const fact = detectDatabase(pins(...installed), [], warnings);
    expect(fact.value).toMatchObject({ engine, port });
    expect(fact.source).toBe(source);
    expect(warnings).toEqual([]);
  });

  it('names MySQL by default and warns that no driver is installed', () => {
    const warnings: AnalysisWarning[] = [];
    expect(detectDatabase(pins('django==4.2'), [], warnings)).toMatchObject({
      value: { engine: 'django.db.backends.mysql', driver: null },
      source: null,
    });
    expect(warnings[0].message).toMatch(/no database driver in the requirements.*add mysqlclient/);
  });

  /** A DATABASES default as detectSettingsDefaults gives it. */
  const databases = (engine: string): SettingDefault[] => [
    { name: 'DATABASES', value: { default: { ENGINE: engine, NAME: ':memory:' } }, source: 'svc/settings/base.py:1' },
  ];

  it.each([
    { case: 'no DATABASES in the settings', defaults: [], warns: true },
    { case: 'a MySQL DATABASES in the settings', defaults: databases('django.db.backends.mysql'), warns: true },
    {
      case: "the settings' own sqlite (codejail-service)",
      defaults: databases('django.db.backends.sqlite3'),
      warns: false,
    },
  ])('without a driver, warns to add mysqlclient only when the YAML names MySQL: $case', ({ defaults, warns }) => {
    const warnings: AnalysisWarning[] = [];
    detectDatabase(pins('django==4.2'), defaults, warnings);
    expect(warnings.some((warning) => /add mysqlclient/.test(warning.message))).toBe(warns);
  });
});

describe('cache backend from the installed client', () => {
  it.each([
    {
      installed: ['django==4.2.16', 'pymemcache==4.0.0'],
      backend: 'django.core.cache.backends.memcached.PyMemcacheCache',
      source: 'requirements/base.txt:2',
    },
    {
      installed: ['django==3.2.25', 'python-memcached==1.62'],
      backend: 'django.core.cache.backends.memcached.MemcachedCache',
      source: 'requirements/base.txt:2',
    },
    {
      installed: ['django==4.2.16', 'python-memcached==1.62'],
      backend: 'django.core.cache.backends.locmem.LocMemCache',
      source: null,
    },
    {
      installed: ['django==4.2.16', 'django-redis==5.4.0', 'redis==5.0.8'],
      backend: 'django_redis.cache.RedisCache',
      source: 'requirements/base.txt:2',
    },
    {
      installed: ['django==4.2.16', 'redis==5.0.8'],
      backend: 'django.core.cache.backends.redis.RedisCache',
      source: 'requirements/base.txt:2',
    },
    {
      installed: ['django==3.2.25', 'redis==4.5.0'],
      backend: 'django.core.cache.backends.locmem.LocMemCache',
      source: null,
    },
    {
      installed: ['django==4.2.16', 'pylibmc==1.6.3'],
      backend: 'django.core.cache.backends.memcached.PyLibMCCache',
      source: 'requirements/base.txt:2',
    },
    { installed: ['django==4.2.16'], backend: 'django.core.cache.backends.locmem.LocMemCache', source: null },
  ])('$installed → $backend', ({ installed, backend, source }) => {
    const fact = detectCache(pins(...installed));
    expect(fact.value.backend).toBe(backend);
    expect(fact.source).toBe(source);
  });

  it('says which installed client the installed Django cannot use', () => {
    const fact = detectCache(pins('django==4.2.16', 'python-memcached==1.62'));
    expect(fact.value.unusable).toEqual(['python-memcached (MemcachedCache needs Django < 4.1)']);
    expect(fact.rule).toMatch(/installed but unusable: python-memcached/);
  });

  it('treats an unpinned Django as a current one', () => {
    expect(detectCache(pins('django', 'redis==5.0.8')).value.backend).toBe(
      'django.core.cache.backends.redis.RedisCache',
    );
    expect(detectCache(pins('django', 'python-memcached==1.62')).value.backend).toBe(
      'django.core.cache.backends.locmem.LocMemCache',
    );
  });
});
