import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { InvalidOptionError } from '../../src/errors.js';
import { type ComposeConfig, composeCommand, resolveComposeConfig, toComposeModel } from '../../src/model/compose.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { renderExampleConfig, toExampleConfigModel } from '../../src/model/example-config.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { renderComposeFiles } from '../../src/render/compose.js';
import { fixtureRepo } from '../support/fixtures.js';

function fixture(name: string) {
  const facts = analyzeRepo(new DiskReader(fixtureRepo(name)));
  const app = resolveConfig(facts, {});
  return { facts, app, example: toExampleConfigModel(facts, app) };
}

const standard = fixture('standard');
const celery = fixture('celery-redis');
const DEFAULT_COMPOSE: ComposeConfig = resolveComposeConfig({}, undefined, standard.app).config;

describe('resolveComposeConfig', () => {
  it('defaults the file, images, and the host port and local YAML from the app, storing only fixed defaults', () => {
    expect(resolveComposeConfig({}, undefined, standard.app)).toEqual({
      config: {
        file: 'compose.yaml',
        localConfig: 'minicreds.local.yml',
        hostPort: 18150,
        mysqlImage: 'mysql:8.0',
        memcachedImage: 'memcached:1.6',
        redisImage: 'redis:7',
      },
      stored: { file: 'compose.yaml', mysqlImage: 'mysql:8.0', memcachedImage: 'memcached:1.6', redisImage: 'redis:7' },
    });
  });

  it('takes flags over stored values and stores what was given', () => {
    const resolved = resolveComposeConfig(
      { hostPort: '8080', mysqlImage: 'mysql:8.4' },
      { hostPort: 9000, localConfig: 'local/dev.yml', mysqlImage: 'mysql:8.0' },
      standard.app,
    );
    expect(resolved.config).toMatchObject({ hostPort: 8080, localConfig: 'local/dev.yml', mysqlImage: 'mysql:8.4' });
    expect(resolved.stored).toMatchObject({ hostPort: 8080, localConfig: 'local/dev.yml', mysqlImage: 'mysql:8.4' });
  });

  it.each([
    [{ hostPort: '0' }, undefined, /^--host-port "0" is not valid \(use a port between 1 and 65535\)/],
    [{ mysqlImage: 'MySQL 8' }, undefined, /^--mysql-image "MySQL 8" is not valid/],
    [{ composeFile: '../compose.yaml' }, undefined, /^--compose-file "\.\.\/compose\.yaml" is not valid/],
    [{ localConfig: 'local.json' }, undefined, /^--local-config "local\.json" is not valid/],
    [{}, { hostPort: -1 }, /^compose\.hostPort in \.yo-rc\.json \(--host-port\) is -1: not valid/],
    [{}, { redisImage: 'redis 7' }, /^compose\.redisImage in \.yo-rc\.json \(--redis-image\) is "redis 7": not valid/],
    [{}, { file: '.yo-rc.json' }, /^compose\.file in \.yo-rc\.json \(--compose-file\) is "\.yo-rc\.json": not valid/],
    // One file for two outputs: the second would silently replace the first (a Map keyed by path).
    [
      { localConfig: 'minicreds.example.yml' },
      undefined,
      /^--local-config "minicreds\.example\.yml" names the example YAML/,
    ],
    [{ localConfig: 'MiniCreds.Example.yml' }, undefined, /names the example YAML/],
    [
      { composeFile: 'minicreds.example.yml' },
      undefined,
      /^--compose-file "minicreds\.example\.yml" names the example YAML/,
    ],
    [
      { composeFile: 'c.yml', localConfig: 'c.yml' },
      undefined,
      /^--compose-file and --local-config both name "c\.yml"/,
    ],
    [{}, { file: 'x.yml', localConfig: 'x.yml' }, /^--compose-file and --local-config both name "x\.yml"/],
  ])('refuses a bad decision in one line: %j %j', (flags, stored, message) => {
    let error: unknown;
    try {
      resolveComposeConfig(flags, stored as Partial<ComposeConfig> | undefined, standard.app);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).oneLine).toMatch(message);
    expect((error as InvalidOptionError).oneLine).not.toContain('\n');
  });
});

describe('toComposeModel', () => {
  it('runs the service with MySQL and memcached, migrate first, read-only as the image user', () => {
    const model = toComposeModel(standard.facts, standard.app, DEFAULT_COMPOSE, standard.example);
    expect(model.services.map((service) => service.name)).toEqual(['db', 'memcached', 'migrate', 'app']);
    const app = model.services.find((service) => service.name === 'app')!.fields;
    expect(app).toMatchObject({
      image: 'minicreds:local',
      build: { context: '.', dockerfile: 'Dockerfile' },
      user: '1000:1000',
      read_only: true,
      tmpfs: ['/tmp'],
      volumes: ['./minicreds.local.yml:/edx/etc/minicreds.yml:ro'],
      ports: ['18150:18150'],
      depends_on: {
        migrate: { condition: 'service_completed_successfully' },
        db: { condition: 'service_healthy' },
        memcached: { condition: 'service_healthy' },
      },
    });
    expect((app.healthcheck as { test: string[] }).test.join(' ')).toContain("'http://localhost:18150/health/'");
    expect(model.services.find((service) => service.name === 'db')!.fields.environment).toEqual({
      MYSQL_DATABASE: 'minicreds',
      MYSQL_USER: 'minicreds001',
      MYSQL_PASSWORD: 'local-only-database-password',
      MYSQL_ROOT_PASSWORD: 'local-only-database-root-password',
    });
  });

  it('adds Redis and a worker running the detected Celery app for a Celery service', () => {
    const model = toComposeModel(celery.facts, celery.app, DEFAULT_COMPOSE, celery.example);
    expect(model.services.map((service) => service.name)).toEqual([
      'db',
      'memcached',
      'redis',
      'migrate',
      'app',
      'worker',
    ]);
    const worker = model.services.find((service) => service.name === 'worker')!;
    expect(worker.fields.command).toEqual(['celery', '-A', 'license_manager.celery:app', 'worker', '--loglevel=INFO']);
    expect(worker.comment).toContain('license_manager/celery.py:8');
    expect(worker.fields.depends_on).toMatchObject({ redis: { condition: 'service_healthy' } });
  });

  it('runs Redis as the cache when the cache is Redis, with no memcached', () => {
    const facts = {
      ...standard.facts,
      cache: {
        ...standard.facts.cache,
        value: { ...standard.facts.cache.value, backend: 'django_redis.cache.RedisCache', requirement: 'django-redis' },
      },
    };
    const model = toComposeModel(facts, standard.app, DEFAULT_COMPOSE, standard.example);
    expect(model.services.map((service) => service.name)).toEqual(['db', 'redis', 'migrate', 'app']);
  });

  // codejail-service: no driver installed, so the example YAML keeps the settings' sqlite database.
  it('refuses in one line an example YAML that requires no MySQL database with a name and user', () => {
    const sqlite = { default: { ENGINE: 'django.db.backends.sqlite3', NAME: ':memory:' } };
    const example = {
      ...standard.example,
      required: standard.example.required.map((entry) =>
        entry.key === 'DATABASES' ? { ...entry, value: sqlite } : entry,
      ),
    };
    let error: unknown;
    try {
      toComposeModel(standard.facts, standard.app, DEFAULT_COMPOSE, example);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).oneLine).toMatch(
      /^the example YAML requires no MySQL database \(DATABASES\.default with NAME and USER\);/,
    );
  });

  it('publishes the chosen host port on the service port and names the chosen images', () => {
    const compose = { ...DEFAULT_COMPOSE, hostPort: 8080, mysqlImage: 'mysql:8.4', memcachedImage: 'memcached:1.6.29' };
    const model = toComposeModel(standard.facts, standard.app, compose, standard.example);
    const field = (name: string) => model.services.find((service) => service.name === name)!.fields;
    expect([field('app').ports, field('db').image, field('memcached').image]).toEqual([
      ['8080:18150'],
      'mysql:8.4',
      'memcached:1.6.29',
    ]);
  });

  it('refuses a service whose settings load no YAML, naming the next step', () => {
    expect(() =>
      toComposeModel(standard.facts, { ...standard.app, configVar: '' }, DEFAULT_COMPOSE, standard.example),
    ).toThrow(/loads no YAML config/);
  });
});

describe('rendered compose files', () => {
  const files = renderComposeFiles(celery.facts, celery.app, {
    ...DEFAULT_COMPOSE,
    localConfig: 'license_manager.local.yml',
    hostPort: celery.app.port,
  });
  const compose = files.get('compose.yaml')!;
  const local = files.get('license_manager.local.yml')!;

  it('quotes what YAML 1.1 (docker-compose v1) would not read back as a string', () => {
    expect(compose).toContain('user: "1000:1000"');
    expect(compose).toContain('- "18170:18170"');
    expect(compose).toContain('restart: "no"');
    expect(parse(compose, { version: '1.1' }).services.redis.command).toEqual([
      'redis-server',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
  });

  it('fills the local YAML: stack hosts, throwaway local-only values, the database MySQL creates', () => {
    const config = parse(local);
    const db = parse(compose).services.db.environment;
    expect(config.DATABASES.default).toMatchObject({
      HOST: 'db',
      PORT: 3306,
      NAME: db.MYSQL_DATABASE,
      USER: db.MYSQL_USER,
      PASSWORD: db.MYSQL_PASSWORD,
    });
    expect(config.CACHES.default.LOCATION).toEqual(['memcached:11211']);
    expect(config.CELERY_BROKER_URL).toBe('redis://:@redis:6379/0');
    expect(config.SECRET_KEY).toBe('local-only-secret-key');
    expect(local).not.toContain('CHANGE-ME');
    // Comments may name example sites as illustrations; no value may point at one.
    expect(JSON.stringify(config)).not.toMatch(/example\.(com|internal)/);
    expect(local.split('\n').slice(0, 5).join('\n')).toContain('THROWAWAY LOCAL VALUES');
    // The example's own header gives way: the local file says what it is, once.
    expect(local.match(/Generated by/g)).toHaveLength(1);
  });

  it('names only hosts the stack runs, the example YAML naming each', () => {
    const example = renderExampleConfig(celery.example);
    for (const host of ['db.example.internal', 'memcached.example.internal', 'redis.example.internal']) {
      expect(example).toContain(host);
    }
  });
});

describe('the run line', () => {
  it('names the file and a project of its own, so a repo with its own docker-compose.yml is not read instead', () => {
    const model = toComposeModel(
      standard.facts,
      standard.app,
      { ...DEFAULT_COMPOSE, file: 'deploy/local.yaml' },
      standard.example,
    );
    expect(model.header).toContain(
      'Run: docker compose -p minicreds-local -f deploy/local.yaml up --build (docker-compose 1.29: the same flags), ' +
        'then http://localhost:18150/.',
    );
    expect(model.header.at(-1)).toBe(
      'The service reads minicreds.local.yml (local values only); ' +
        'docker compose -p minicreds-local -f deploy/local.yaml down -v removes everything.',
    );
  });

  it('makes a valid project name of a service name with a dot', () => {
    expect(composeCommand('my.svc', 'compose.yaml')).toBe('docker compose -p my-svc-local -f compose.yaml');
  });
});
