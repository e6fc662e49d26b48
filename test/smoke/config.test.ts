import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import {
  hostHeader,
  needsDatabasePassword,
  operatorSmokeConfig,
  smokeConfig,
  throwaway,
} from '../../src/smoke/config.js';

const EXAMPLE = `SECRET_KEY: CHANGE-ME-secret-key
ALLOWED_HOSTS:
  - minicreds.example.com
  - localhost
DATABASES:
  default:
    NAME: minicreds
    USER: minicreds001
    PASSWORD: CHANGE-ME-database-password
    HOST: db.example.internal
    PORT: 3306
CACHES:
  default:
    LOCATION:
      - memcached.example.internal:11211
CELERY_BROKER_URL: redis://:CHANGE-ME-broker-password@redis.example.internal:6379/0
`;

const ADDRESSES = { dbHost: '127.0.0.1', dbPort: 3306, dbPassword: 'pw', cacheHost: '127.0.0.1', cachePort: 11211 };

describe('smokeConfig', () => {
  it('gives the database password, throwaway secrets, no broker password, and local hosts', () => {
    const config = smokeConfig(EXAMPLE, ADDRESSES, () => 'r1');
    expect(parse(config.text)).toEqual({
      SECRET_KEY: 'smoke-secret-key-r1',
      ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
      DATABASES: {
        default: { NAME: 'minicreds', USER: 'minicreds001', PASSWORD: 'pw', HOST: '127.0.0.1', PORT: 3306 },
      },
      CACHES: { default: { LOCATION: ['127.0.0.1:11211'] } },
      CELERY_BROKER_URL: 'redis://:@127.0.0.1:6379/0',
    });
    expect(config.secrets.sort()).toEqual(['pw', 'smoke-secret-key-r1']);
    expect(config.database).toEqual({ name: 'minicreds', user: 'minicreds001', host: '127.0.0.1', port: 3306 });
  });

  it('points the database and the cache at the given addresses, name and user', () => {
    const config = smokeConfig(EXAMPLE, {
      ...ADDRESSES,
      dbHost: 'mysql.local',
      dbPort: 3307,
      dbName: 'ci',
      dbUser: 'ci-user',
      cacheHost: 'cache.local',
      cachePort: 11311,
    });
    const yaml = parse(config.text);
    expect(yaml.DATABASES.default).toMatchObject({ NAME: 'ci', USER: 'ci-user', HOST: 'mysql.local', PORT: 3307 });
    expect(yaml.CACHES.default.LOCATION).toEqual(['cache.local:11311']);
  });

  it('adds no key the example does not have', () => {
    const example = 'DATABASES:\n  default:\n    ENGINE: django.db.backends.sqlite3\n    NAME: db.sqlite3\n';
    const config = smokeConfig(example, { ...ADDRESSES, dbName: 'x', dbUser: 'u' });
    expect(parse(config.text)).toEqual({ DATABASES: { default: { ENGINE: 'django.db.backends.sqlite3', NAME: 'x' } } });
  });

  it('leaves a cache URL (not host:port) to the filler', () => {
    const example = 'CACHES:\n  default:\n    LOCATION: redis://redis.example.internal:6379/1\n';
    expect(parse(smokeConfig(example, ADDRESSES).text).CACHES.default.LOCATION).toBe('redis://127.0.0.1:6379/1');
  });

  it('makes a different throwaway secret on each run', () => {
    expect(throwaway('CHANGE-ME-secret-key')).not.toBe(throwaway('CHANGE-ME-secret-key'));
    expect(throwaway('CHANGE-ME-secret-key')).toMatch(/^smoke-secret-key-[0-9a-f]{24}$/);
  });

  it('knows when the example needs a database password', () => {
    expect(needsDatabasePassword(EXAMPLE)).toBe(true);
    expect(needsDatabasePassword('DEBUG: false\n')).toBe(false);
  });
});

describe('hostHeader', () => {
  const hosts = (yaml: string) => parseDocument(yaml).get('ALLOWED_HOSTS', true);
  it.each([
    ['ALLOWED_HOSTS: [a.example.com, localhost]', 'localhost'],
    ['ALLOWED_HOSTS: [a.example.com]', 'a.example.com'],
    ['ALLOWED_HOSTS: [.example.com]', 'example.com'],
    ["ALLOWED_HOSTS: ['*']", 'localhost'],
    ['OTHER: 1', 'localhost'],
  ])('%s -> %s', (yaml, expected) => {
    expect(hostHeader(hosts(yaml))).toBe(expected);
  });
});

describe('operatorSmokeConfig', () => {
  it('keeps the text, finds the database and the Host header, and collects secret-looking values', () => {
    const text =
      'SECRET_KEY: s3cr3t-value\nALLOWED_HOSTS: [svc.example.org]\nJWT_AUTH:\n  JWT_SECRET_KEY: jwt-value\n' +
      'DATABASES:\n  default:\n    NAME: svc\n    USER: svc001\n    PASSWORD: db-value\n    HOST: 127.0.0.1\n    PORT: 3307\n' +
      'SOCIAL_AUTH_EDX_OAUTH2_KEY: oauth-key\nLMS_BASE_URL: http://lms\n';
    expect(operatorSmokeConfig(text, 'ops.yml')).toEqual({
      text,
      secrets: ['s3cr3t-value', 'jwt-value', 'db-value', 'oauth-key'],
      database: { name: 'svc', user: 'svc001', host: '127.0.0.1', port: 3307 },
      hostHeader: 'svc.example.org',
    });
  });

  it.each([
    ['A: [1\n', /^cannot check ops\.yml: not YAML \(line \d\)/],
    ['A: 1\nA: 2\n', /^cannot check ops\.yml: not YAML \(line 2\)/],
    ['just text\n', /^cannot check ops\.yml: not a YAML mapping/],
    ['A:\n  B: 1\n  C: 2\n  B: 3\n', /^cannot check ops\.yml: not YAML \(line 4\): Map keys must be unique/],
    ['a: &x [1, 2]\nb: &y [*x, *x]\nc: [*y, *y]\n', null],
  ])('%j is refused with one line naming the file (or, null, accepted)', (text, message) => {
    if (message === null) expect(operatorSmokeConfig(text, 'ops.yml').text).toBe(text);
    else expect(() => operatorSmokeConfig(text, 'ops.yml')).toThrow(message);
  });

  // yaml's own unique-key check is quadratic: 40,000 keys took about 40 s on this machine, linear now.
  it('reads a 1.6 MB file of 40,000 keys in seconds, duplicates still found', { timeout: 60_000 }, () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `KEY_${i}: value-${i}-xxxxxxxxxxxxxxxxx`);
    const started = Date.now();
    keys.push('DB_PASSWORD: found-at-the-end');
    expect(operatorSmokeConfig(`${keys.join('\n')}\n`, 'ops.yml').secrets).toEqual(['found-at-the-end']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(() => operatorSmokeConfig(`${keys.join('\n')}\nKEY_7: again\n`, 'ops.yml')).toThrow(/line 40002/);
  });
});
