import { type AnalysisWarning, type Fact, byDefault, found } from './fact.js';
import type { Requirement } from './requirements.js';
import type { SettingDefault } from './settings-defaults.js';

/** The database the example YAML names: chosen from the driver the image installs. */
export interface DatabaseBackend {
  /** Django's ENGINE (`django.db.backends.mysql`). */
  engine: string;
  /** `mysql` or `postgresql`: which OPTIONS and port fit. */
  vendor: 'mysql' | 'postgresql';
  port: number;
  /** The requirement that provides the driver, or null when none does. */
  driver: string | null;
}

/** The cache backend the example YAML names: one whose client library the image installs. */
export interface CacheBackend {
  backend: string;
  /** What LOCATION holds for it (host names are examples), or null (local memory). */
  location: string | string[] | null;
  /** The requirement that provides the client, or null for LocMemCache. */
  requirement: string | null;
  /** Installed clients whose backend the installed Django does not ship (`python-memcached: Django < 4.1`). */
  unusable: string[];
}

const MYSQL = { engine: 'django.db.backends.mysql', vendor: 'mysql', port: 3306 } as const;
const POSTGRESQL = { engine: 'django.db.backends.postgresql', vendor: 'postgresql', port: 5432 } as const;

/** Database drivers, in the order they are preferred when several are installed. */
const DATABASE_DRIVERS: { requirement: string; backend: typeof MYSQL | typeof POSTGRESQL }[] = [
  { requirement: 'mysqlclient', backend: MYSQL },
  { requirement: 'pymysql', backend: MYSQL },
  { requirement: 'psycopg', backend: POSTGRESQL },
  { requirement: 'psycopg2', backend: POSTGRESQL },
  { requirement: 'psycopg2-binary', backend: POSTGRESQL },
];

const MEMCACHED_LOCATION = ['memcached.example.internal:11211'];

/**
 * Cache backends in order of preference, with the client requirement each needs and the
 * Django versions that ship the backend (`[min, max)`, major.minor; null when unbounded).
 */
const CACHE_BACKENDS: {
  requirement: string;
  backend: string;
  location: string | string[];
  django: [string | null, string | null];
}[] = [
  {
    requirement: 'pymemcache',
    backend: 'django.core.cache.backends.memcached.PyMemcacheCache',
    location: MEMCACHED_LOCATION,
    django: ['3.2', null],
  },
  {
    requirement: 'pylibmc',
    backend: 'django.core.cache.backends.memcached.PyLibMCCache',
    location: MEMCACHED_LOCATION,
    django: [null, null],
  },
  // Removed in Django 4.1.
  {
    requirement: 'python-memcached',
    backend: 'django.core.cache.backends.memcached.MemcachedCache',
    location: MEMCACHED_LOCATION,
    django: [null, '4.1'],
  },
  {
    requirement: 'django-redis',
    backend: 'django_redis.cache.RedisCache',
    location: 'redis://redis.example.internal:6379/1',
    django: [null, null],
  },
  {
    requirement: 'redis',
    backend: 'django.core.cache.backends.redis.RedisCache',
    location: 'redis://redis.example.internal:6379/1',
    django: ['4.0', null],
  },
];

/** The backend Django always has: no shared cache, nothing to install. */
export const LOCAL_MEMORY_CACHE = 'django.core.cache.backends.locmem.LocMemCache';

/** `[major, minor]` of a version string, or undefined when it does not start with digits. */
function majorMinor(version: string | undefined): [number, number] | undefined {
  const match = version ? /^(\d+)(?:\.(\d+))?/.exec(version) : null;
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : undefined;
}

function atLeast(version: [number, number], bound: string): boolean {
  const [major, minor] = majorMinor(bound)!;
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

/**
 * Whether the installed Django ships a backend. An unpinned Django is whatever pip installs
 * today, so it counts as a recent one.
 */
function djangoHas(django: Requirement | undefined, [min, max]: [string | null, string | null]): boolean {
  const version = majorMinor(django?.version) ?? [Number.MAX_SAFE_INTEGER, 0];
  return (min === null || atLeast(version, min)) && (max === null || !atLeast(version, max));
}

/**
 * Whether the settings' DATABASES default is a sqlite database of the service's own
 * (codejail-service: "Django *really* wants a database", an in-memory one). Without a driver
 * installed, the example YAML keeps it rather than naming a MySQL server.
 */
export function keepsOwnSqliteDatabase(settingsDefaults: SettingDefault[]): boolean {
  const databases = settingsDefaults.find((setting) => setting.name === 'DATABASES')?.value;
  const engine = (databases as { default?: { ENGINE?: unknown } } | null | undefined)?.default?.ENGINE;
  return typeof engine === 'string' && engine.endsWith('sqlite3');
}

/**
 * The database engine from the installed driver: mysqlclient or PyMySQL → MySQL,
 * psycopg / psycopg2(-binary) → PostgreSQL. Without a driver, MySQL (what IDAs run), with a
 * warning (Django cannot import a backend whose driver is missing) unless the settings keep a
 * sqlite database of their own: then the example YAML names no MySQL and nothing needs a driver.
 */
export function detectDatabase(
  pins: Requirement[],
  settingsDefaults: SettingDefault[],
  warnings: AnalysisWarning[],
): Fact<DatabaseBackend> {
  for (const driver of DATABASE_DRIVERS) {
    const pin = pins.find((candidate) => candidate.name === driver.requirement);
    if (pin) {
      const rule = `database driver ${pin.name} in the requirements`;
      return found({ ...driver.backend, driver: pin.name }, pin.file, pin.line, rule);
    }
  }
  if (keepsOwnSqliteDatabase(settingsDefaults)) {
    return byDefault({ ...MYSQL, driver: null }, 'no database driver in the requirements');
  }
  warnings.push({
    message:
      'no database driver in the requirements (mysqlclient, pymysql, psycopg, psycopg2); the example YAML names MySQL, so add mysqlclient to them',
    source: null,
  });
  return byDefault({ ...MYSQL, driver: null }, 'no database driver in the requirements');
}

/**
 * The cache backend from the installed client: pymemcache → PyMemcacheCache, pylibmc →
 * PyLibMCCache, python-memcached → MemcachedCache (Django < 4.1), django-redis →
 * django_redis's RedisCache, redis → Django's RedisCache (Django >= 4.0); none → LocMemCache.
 */
export function detectCache(pins: Requirement[]): Fact<CacheBackend> {
  const django = pins.find((pin) => pin.name === 'django');
  const unusable: string[] = [];
  for (const row of CACHE_BACKENDS) {
    const pin = pins.find((candidate) => candidate.name === row.requirement);
    if (!pin) continue;
    if (!djangoHas(django, row.django)) {
      const [min, max] = row.django;
      unusable.push(`${pin.name} (${row.backend.split('.').pop()} needs Django ${min ? `>= ${min}` : `< ${max}`})`);
      continue;
    }
    return found(
      { backend: row.backend, location: row.location, requirement: pin.name, unusable },
      pin.file,
      pin.line,
      `cache client ${pin.name} in the requirements`,
    );
  }
  return byDefault(
    { backend: LOCAL_MEMORY_CACHE, location: null, requirement: null, unusable },
    `no usable cache client in the requirements (pymemcache, pylibmc, django-redis, redis)${unusable.length > 0 ? `; installed but unusable: ${unusable.join(', ')}` : ''}`,
  );
}
