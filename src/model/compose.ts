import type { RepoFacts } from '../analyze/analyze.js';
import { InvalidOptionError } from '../errors.js';
import type { FillValues } from '../config/fill.js';
import type { GeneratorConfig } from './decisions.js';
import { headerLines, healthcheck } from './dockerfile-model.js';
import type { ExampleConfigModel } from './example-config.js';
import { DEFAULTS, flagOrStored } from './options.js';

/** Decisions for the local compose stack (stored under `compose` in .yo-rc.json). */
export interface ComposeConfig {
  /** The compose file, relative to the repo. */
  file: string;
  /** The YAML filled for the local stack, written next to the compose file. */
  localConfig: string;
  /** The port on the developer's machine the service is published on. */
  hostPort: number;
  mysqlImage: string;
  memcachedImage: string;
  redisImage: string;
}

/** The resolved decisions and what to store: `hostPort` and `localConfig` follow the app unless set. */
export interface ResolvedCompose {
  config: ComposeConfig;
  stored: Partial<ComposeConfig>;
}

/**
 * Compose decisions: flag > stored (`compose.*` in .yo-rc.json) > default. Every value is checked
 * against the options table's grammar (InvalidOptionError naming the flag or the stored key).
 * The host port and local config name default from the app's decisions and are stored only when
 * given, so they follow a later change of the service's port or name.
 */
export function resolveComposeConfig(
  flags: Record<string, unknown>,
  stored: Partial<ComposeConfig> | undefined,
  app: GeneratorConfig,
): ResolvedCompose {
  const section = (stored ?? {}) as Record<string, unknown>;
  const pick = (flag: string, key: keyof ComposeConfig) => flagOrStored(flag, flags, section, `compose.${key}`);
  const given = {
    file: pick('compose-file', 'file') as string | undefined,
    localConfig: pick('local-config', 'localConfig') as string | undefined,
    hostPort: pick('host-port', 'hostPort') as number | undefined,
    mysqlImage: pick('mysql-image', 'mysqlImage') as string | undefined,
    memcachedImage: pick('memcached-image', 'memcachedImage') as string | undefined,
    redisImage: pick('redis-image', 'redisImage') as string | undefined,
  };
  const config: ComposeConfig = {
    file: given.file ?? DEFAULTS.composeFile,
    localConfig: given.localConfig ?? `${app.service}.local.yml`,
    hostPort: given.hostPort ?? app.port,
    mysqlImage: given.mysqlImage ?? DEFAULTS.mysqlImage,
    memcachedImage: given.memcachedImage ?? DEFAULTS.memcachedImage,
    redisImage: given.redisImage ?? DEFAULTS.redisImage,
  };
  refuseSharedFiles(config, app);
  const fixed: Partial<ComposeConfig> = {
    file: config.file,
    mysqlImage: config.mysqlImage,
    memcachedImage: config.memcachedImage,
    redisImage: config.redisImage,
  };
  return {
    config,
    stored: {
      ...fixed,
      ...(given.localConfig === undefined ? {} : { localConfig: given.localConfig }),
      ...(given.hostPort === undefined ? {} : { hostPort: given.hostPort }),
    },
  };
}

/**
 * The compose file and the local YAML each need a path of their own. A compose run renders only
 * its own files, so without this check the local YAML (throwaway secrets) would silently replace
 * the example YAML, or one of the two compose outputs would replace the other.
 */
function refuseSharedFiles(config: ComposeConfig, app: GeneratorConfig): void {
  const next = 'give each file its own name (flags, or compose.* in .yo-rc.json), then run again';
  if (config.file.toLowerCase() === config.localConfig.toLowerCase()) {
    throw new InvalidOptionError(`--compose-file and --local-config both name ${JSON.stringify(config.file)}`, next);
  }
  const example = app.exampleConfig.toLowerCase();
  for (const [flag, file] of [
    ['--compose-file', config.file],
    ['--local-config', config.localConfig],
  ] as const) {
    if (file.toLowerCase() === example) {
      throw new InvalidOptionError(`${flag} ${JSON.stringify(file)} names the example YAML the app writes`, next);
    }
  }
}

/** One compose service: its name, the comment above it, and its fields as plain values. */
export interface ComposeService {
  name: string;
  comment: string;
  fields: Record<string, unknown>;
}

/** The compose file's template input: a header, the services in start order, the named volumes. */
export interface ComposeModel {
  header: string[];
  services: ComposeService[];
  volumes: string[];
  /** How the local YAML is filled from the example YAML (see src/config/fill.ts). */
  fill: FillValues;
  /** The local YAML's header: what it is, and that its secrets are throwaway. */
  localHeader: string[];
}

/** Compose service names: they are also the host names the local YAML points at. */
export const COMPOSE_HOSTS = {
  /** The example YAML's host names (src/model/example-config.ts, src/analyze/backends.ts) → compose services. */
  'db.example.internal': 'db',
  'memcached.example.internal': 'memcached',
  'redis.example.internal': 'redis',
} as const;

/** Every local secret starts with this: throwaway values for a stack on one machine, never deployed. */
export const LOCAL_SECRET_PREFIX = 'local-only-';

/** The throwaway value of a placeholder (`CHANGE-ME-database-password` → `local-only-database-password`). */
export function localSecret(placeholderName: string): string {
  return `${LOCAL_SECRET_PREFIX}${placeholderName.replace(/^CHANGE-ME-/, '')}`;
}

/** How often compose probes each service: fast enough that `up` does not wait long on a laptop. */
const PROBE = { interval: '5s', timeout: '5s', retries: 30 };

type Dict = Record<string, unknown>;

/** The example YAML's DATABASES.default, from its model: the database and user MySQL creates. */
function exampleDatabase(example: ExampleConfigModel): { name: string; user: string } {
  const entry = example.required.find((candidate) => candidate.key === 'DATABASES');
  const db = (entry?.value as Dict | undefined)?.default as Dict | undefined;
  // A service without a database driver keeps its settings' database (sqlite for codejail-service)
  // and requires none in the YAML: the stack's MySQL would have no database and user to create.
  const engine = typeof db?.ENGINE === 'string' ? db.ENGINE : '';
  if (typeof db?.NAME !== 'string' || typeof db.USER !== 'string' || !/mysql/i.test(engine)) {
    throw new InvalidOptionError(
      'the example YAML requires no MySQL database (DATABASES.default with NAME and USER); the compose stack runs MySQL',
      'install mysqlclient in the requirements and run openedx-ida --yes, then compose',
    );
  }
  return { name: db.NAME, user: db.USER };
}

/** Which server the example YAML's cache points at, from the backend the requirements install. */
function cacheServer(facts: RepoFacts): 'memcached' | 'redis' | null {
  const backend = facts.cache.value.backend;
  if (backend.includes('.memcached.')) return 'memcached';
  if (/redis/i.test(backend)) return 'redis';
  return null;
}

/**
 * The compose command for this stack: its file named (`-f`) and a project of its own (`-p`), as the
 * header and README give it; docker-compose 1.29 takes the same flags.
 */
export function composeCommand(service: string, file: string): string {
  // A project name is lowercase letters, digits, - and _ (no dot, which a service name may have).
  return `docker compose -p ${service.replace(/\./g, '-')}-local -f ${file}`;
}

/**
 * Turns facts, the app's decisions and the compose decisions into the compose file's model: the
 * service from the local Dockerfile (read-only, tmpfs /tmp, the image's user, the local YAML
 * mounted read-only at the config path), a one-shot `migrate` it waits for, MySQL, the cache
 * the YAML names, and Redis plus a Celery worker when Celery is in the requirements.
 */
export function toComposeModel(
  facts: RepoFacts,
  app: GeneratorConfig,
  compose: ComposeConfig,
  example: ExampleConfigModel,
): ComposeModel {
  if (app.configVar === '') {
    throw new InvalidOptionError(
      `${app.settingsModule} loads no YAML config, so a compose stack has nothing to point at its database`,
      'add the YAML loader to the settings (openedx-ida detect shows it) or run openedx-ida --config-var NAME, then compose',
    );
  }
  if (facts.database.value.vendor !== 'mysql') {
    throw new InvalidOptionError(
      `the service uses ${facts.database.value.engine}; the compose stack runs MySQL only`,
      'install mysqlclient in the requirements, or write the database service of compose.yaml by hand',
    );
  }
  const database = exampleDatabase(example);
  const cache = cacheServer(facts);
  const celery = facts.celery.value;
  const needsRedis = celery || cache === 'redis';
  const image = `${app.service.toLowerCase()}:local`;
  const dbPassword = localSecret('CHANGE-ME-database-password');
  // What every container of the service's image shares: built here, run as in production.
  const runtime = (): Dict => ({
    image,
    build: { context: '.', dockerfile: 'Dockerfile' },
    user: `${app.uid}:${app.uid}`,
    read_only: true,
    tmpfs: ['/tmp'],
    volumes: [`./${compose.localConfig}:${app.configPath}:ro`],
  });
  const healthy = (name: string) => [name, { condition: 'service_healthy' }] as const;
  const servers = ['db', ...(cache === 'memcached' ? ['memcached'] : []), ...(needsRedis ? ['redis'] : [])];
  const health = facts.healthPath.value;
  const services: ComposeService[] = [
    {
      name: 'db',
      comment: `MySQL for the service (${facts.database.value.driver ?? 'no driver'} in the requirements); a throwaway database`,
      fields: {
        image: compose.mysqlImage,
        environment: {
          MYSQL_DATABASE: database.name,
          MYSQL_USER: database.user,
          MYSQL_PASSWORD: dbPassword,
          MYSQL_ROOT_PASSWORD: localSecret('CHANGE-ME-database-root-password'),
        },
        volumes: ['db-data:/var/lib/mysql'],
        // Over TCP: the image's first-start initialization runs a server without networking.
        healthcheck: { test: ['CMD', 'mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'], ...PROBE },
      },
    },
  ];
  if (cache === 'memcached') {
    services.push({
      name: 'memcached',
      comment: `The cache the YAML names (${facts.cache.value.requirement} in the requirements)`,
      fields: {
        image: compose.memcachedImage,
        // The image has no client: bash's /dev/tcp asks for the version.
        healthcheck: {
          test: [
            'CMD',
            'bash',
            '-c',
            'exec 3<>/dev/tcp/127.0.0.1/11211 && printf "version\\r\\n" >&3 && head -c 7 <&3',
          ],
          ...PROBE,
        },
      },
    });
  }
  if (needsRedis) {
    const why = [celery ? 'the Celery broker' : null, cache === 'redis' ? 'the cache' : null].filter(Boolean);
    services.push({
      name: 'redis',
      comment: `Redis: ${why.join(' and ')} the YAML names; no password on the stack's own network`,
      fields: {
        image: compose.redisImage,
        command: ['redis-server', '--save', '', '--appendonly', 'no'],
        healthcheck: { test: ['CMD', 'redis-cli', 'ping'], ...PROBE },
      },
    });
  }
  services.push({
    name: 'migrate',
    comment: 'Migrations as their own step, once, before the service starts (the service never migrates on start)',
    fields: {
      ...runtime(),
      command: ['python', 'manage.py', 'migrate', '--noinput'],
      restart: 'no',
      depends_on: Object.fromEntries([healthy('db')]),
    },
  });
  const afterMigrate = [['migrate', { condition: 'service_completed_successfully' }] as const];
  services.push({
    name: 'app',
    comment: health
      ? `The service, built from the local Dockerfile; healthy when ${health} answers 200`
      : 'The service, built from the local Dockerfile (no health URL found: no healthcheck)',
    fields: {
      ...runtime(),
      ports: [`${compose.hostPort}:${app.port}`],
      depends_on: Object.fromEntries([...afterMigrate, ...servers.map(healthy)]),
      ...(health ? { healthcheck: { test: ['CMD', ...healthcheck(app.port, health)], ...PROBE } } : {}),
    },
  });
  if (celery) {
    const celeryApp = facts.celeryApp.value ?? app.service;
    services.push({
      name: 'worker',
      comment: facts.celeryApp.value
        ? `The Celery worker: the same image, the app defined at ${facts.celeryApp.source}`
        : `The Celery worker: the same image (no Celery(...) app found: -A ${celeryApp} is a guess)`,
      fields: {
        ...runtime(),
        command: ['celery', '-A', celeryApp, 'worker', '--loglevel=INFO'],
        depends_on: Object.fromEntries([...afterMigrate, ...servers.map(healthy)]),
      },
    });
  }
  const tool = composeCommand(app.service, compose.file);
  return {
    header: [
      ...headerLines(`local stack for ${app.service}`, 'openedx-ida compose --yes'),
      `Run: ${tool} up --build (docker-compose 1.29: the same flags), then http://localhost:${compose.hostPort}/.`,
      // Without -f, compose reads a repo's own docker-compose.yml (devstack's) before this file; without
      // -p, both share the directory's project name, so each sees the other's containers as orphans.
      `-f and -p: the repo's own docker-compose.yml (devstack) is neither read nor mixed with this stack.`,
      `The service reads ${compose.localConfig} (local values only); ${tool} down -v removes everything.`,
    ],
    services,
    volumes: ['db-data'],
    fill: {
      host: 'localhost',
      hosts: { ...COMPOSE_HOSTS },
      // The stack's Redis has no password; the database password is the one MySQL is created with.
      placeholders: { 'CHANGE-ME-database-password': dbPassword, 'CHANGE-ME-broker-password': '' },
      fallback: localSecret,
    },
    localHeader: [
      ...headerLines(`config for the local compose stack of ${app.service}`, 'openedx-ida compose --yes'),
      `Filled from the example YAML (${app.exampleConfig}); the hosts are the stack's services.`,
      `THROWAWAY LOCAL VALUES: every ${LOCAL_SECRET_PREFIX}* value is a fixed, public string for this stack on`,
      'your machine only. Never deploy with this file: copy the example YAML and set real secrets.',
    ],
  };
}
