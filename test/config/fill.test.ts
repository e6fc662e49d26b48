import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fillExampleConfig } from '../../src/config/fill.js';

const EXAMPLE = `# Required
SECRET_KEY: CHANGE-ME-secret-key # Django's signing key
ALLOWED_HOSTS:
  - minicreds.example.com
  - localhost
DATABASES:
  default:
    NAME: minicreds
    PASSWORD: CHANGE-ME-database-password
    HOST: db.example.internal
    PORT: 3306
CACHES:
  default:
    LOCATION:
      - memcached.example.internal:11211
CELERY_BROKER_URL: redis://:CHANGE-ME-broker-password@redis.example.internal:6379/0
JWT_AUTH:
  JWT_ISSUERS:
    - ISSUER: https://lms.example.com/oauth2
      SECRET_KEY: CHANGE-ME-jwt-secret-key
lms.example.com: kept
PLATFORM_NAME: Your Platform Name Here
`;

/** Every path to a leaf, so two documents can be compared key for key. */
function paths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([key, child]) => paths(child, `${prefix}/${key}`));
}

describe('fillExampleConfig', () => {
  const filled = fillExampleConfig(EXAMPLE, {
    host: '127.0.0.1',
    placeholders: { 'CHANGE-ME-database-password': 'db-pw', 'CHANGE-ME-broker-password': '' },
    fallback: (name) => `value-of-${name}`,
  });
  const config = parse(filled.text);

  it('adds and removes no key', () => {
    expect(paths(config)).toEqual(paths(parse(EXAMPLE)));
  });

  it('fills named placeholders, the others from the fallback, also inside URLs', () => {
    expect(config.DATABASES.default.PASSWORD).toBe('db-pw');
    expect(config.SECRET_KEY).toBe('value-of-CHANGE-ME-secret-key');
    expect(config.JWT_AUTH.JWT_ISSUERS[0].SECRET_KEY).toBe('value-of-CHANGE-ME-jwt-secret-key');
    expect(config.CELERY_BROKER_URL).toBe('redis://:@127.0.0.1:6379/0');
    expect(filled.replaced).toEqual({
      'CHANGE-ME-secret-key': 'value-of-CHANGE-ME-secret-key',
      'CHANGE-ME-database-password': 'db-pw',
      'CHANGE-ME-broker-password': '',
      'CHANGE-ME-jwt-secret-key': 'value-of-CHANGE-ME-jwt-secret-key',
    });
  });

  it('points example host names at the given host, keeping ports, schemes and paths', () => {
    expect(config.ALLOWED_HOSTS).toEqual(['127.0.0.1', 'localhost']);
    expect(config.DATABASES.default.HOST).toBe('127.0.0.1');
    expect(config.CACHES.default.LOCATION).toEqual(['127.0.0.1:11211']);
    expect(config.JWT_AUTH.JWT_ISSUERS[0].ISSUER).toBe('https://127.0.0.1/oauth2');
  });

  it('leaves keys, comments and every other value as generated', () => {
    expect(config['lms.example.com']).toBe('kept');
    expect(config.PLATFORM_NAME).toBe('Your Platform Name Here');
    expect(config.DATABASES.default.PORT).toBe(3306);
    expect(filled.text).toContain("# Django's signing key");
  });

  it('gives an example host its own host when one is named (compose service names)', () => {
    const own = parse(
      fillExampleConfig(EXAMPLE, {
        host: 'localhost',
        hosts: { 'db.example.internal': 'db', 'redis.example.internal': 'redis' },
        placeholders: { 'CHANGE-ME-broker-password': '' },
        fallback: (name) => name,
      }).text,
    );
    expect(own.DATABASES.default.HOST).toBe('db');
    expect(own.CELERY_BROKER_URL).toBe('redis://:@redis:6379/0');
    expect(own.CACHES.default.LOCATION).toEqual(['localhost:11211']);
    expect(own.ALLOWED_HOSTS).toEqual(['localhost', 'localhost']);
  });
});
