import { Document, Pair, Scalar, YAMLMap } from 'yaml';
import type { RepoFacts } from '../analyze/analyze.js';
import { type DatabaseBackend, LOCAL_MEMORY_CACHE } from '../analyze/backends.js';
import type { PyLiteral } from '../analyze/python.js';
import { isSecretName } from '../analyze/settings-defaults.js';
import type { GeneratorConfig } from './decisions.js';
import { headerLines } from './dockerfile-model.js';

/** One key of the example YAML, with the comment that says where it came from. */
export interface ExampleEntry {
  key: string;
  value: unknown;
  comment: string;
}

/** The example config: keys the operator must set, then settings they may override. */
export interface ExampleConfigModel {
  header: string[];
  required: ExampleEntry[];
  overrides: ExampleEntry[];
}

/** An obviously fake value for a secret: never a value copied from the repo. */
export function placeholder(what: string): string {
  return `CHANGE-ME-${what.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

/** Replaces every secret-named value inside a literal with a placeholder. */
function redact(name: string, value: PyLiteral): unknown {
  if (isSecretName(name) && (typeof value === 'string' || value === null)) return placeholder(name);
  if (Array.isArray(value)) return value.map((item) => redact(name, item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(key, item)]));
  }
  return value;
}

/** MySQL and PostgreSQL connection OPTIONS that production IDAs use. */
const DATABASE_OPTIONS: Record<DatabaseBackend['vendor'], Record<string, unknown>> = {
  mysql: { connect_timeout: 10, init_command: "SET sql_mode='STRICT_TRANS_TABLES'" },
  postgresql: { connect_timeout: 10 },
};

function databaseEntry(facts: RepoFacts, service: string): ExampleEntry {
  const backend = facts.database.value;
  const db = service.replace(/[^a-z0-9]+/g, '_');
  const value = {
    default: {
      ENGINE: backend.engine,
      NAME: db,
      USER: `${db}001`,
      PASSWORD: placeholder('database password'),
      HOST: 'db.example.internal',
      PORT: backend.port,
      ATOMIC_REQUESTS: true,
      CONN_MAX_AGE: 60,
    },
  };
  const why = backend.driver
    ? `${backend.driver} is installed (${facts.database.source})`
    : 'no database driver in the requirements: add mysqlclient (MySQL) or psycopg (PostgreSQL)';
  return { key: 'DATABASES', value, comment: `The service database; ${why}` };
}

/**
 * A service with no database driver whose settings keep a sqlite database of their own
 * (codejail-service: "Django *really* wants a database", an in-memory one): the YAML restates
 * that default instead of asking for a MySQL server the image has no driver for.
 */
function keepsCodeDatabase(facts: RepoFacts): boolean {
  if (facts.database.value.driver) return false;
  const databases = facts.settingsDefaults.find((setting) => setting.name === 'DATABASES')?.value;
  const engine = (databases as { default?: { ENGINE?: unknown } } | null | undefined)?.default?.ENGINE;
  return typeof engine === 'string' && engine.endsWith('sqlite3');
}

function cacheEntry(facts: RepoFacts, service: string): ExampleEntry {
  const cache = facts.cache.value;
  const value = {
    default: {
      BACKEND: cache.backend,
      KEY_PREFIX: service,
      ...(cache.location === null ? {} : { LOCATION: cache.location }),
    },
  };
  const comment = cache.requirement
    ? `Shared cache; ${cache.requirement} is installed (${facts.cache.source}); ${LOCAL_MEMORY_CACHE} works for a single container`
    : `Local-memory cache: no usable cache client in the requirements${cache.unusable.length > 0 ? ` (${cache.unusable.join(', ')})` : ''}; ` +
      'for a cache shared between containers add pymemcache (memcached) or django-redis (Redis) to them';
  return { key: 'CACHES', value: value, comment };
}

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at `keys` inside a literal, or undefined. */
function at(value: unknown, keys: string[]): unknown {
  let node = value;
  for (const key of keys) {
    if (!isDict(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * A value for a nested key the settings read but the example does not hold: the settings'
 * own default at that place, else what production IDAs use (database OPTIONS, a second
 * database or cache alias like the first), else an empty dict or a placeholder.
 */
function nestedValue(facts: RepoFacts, entry: ExampleEntry, keys: string[], dict: boolean): unknown {
  const setting = facts.settingsDefaults.find((candidate) => candidate.name === entry.key);
  const own = setting ? at(setting.value, keys) : undefined;
  if (own !== undefined) return redact(keys.at(-1)!, own as PyLiteral);
  if (entry.key === 'DATABASES' && keys.length === 2 && keys[1] === 'OPTIONS')
    return { ...DATABASE_OPTIONS[facts.database.value.vendor] };
  if ((entry.key === 'DATABASES' || entry.key === 'CACHES') && keys.length === 1)
    return structuredClone(at(entry.value, ['default']));
  return dict ? {} : placeholder(`${entry.key} ${keys.join(' ')}`);
}

/**
 * Adds to a dict entry every nested key the settings read after loading the YAML
 * (`DATABASES['default']['OPTIONS']`): the YAML replaces the whole dict, so a key it lacks is
 * a KeyError at import. Says in the entry's comment which reads it satisfies.
 */
function addNestedKeys(facts: RepoFacts, entry: ExampleEntry): void {
  if (!isDict(entry.value)) return;
  const setting = facts.settingsDefaults.find((candidate) => candidate.name === entry.key);
  const merged = (facts.configLoad.value?.dictUpdateKeys ?? []).includes(entry.key);
  const reads: string[] = [];
  for (const read of facts.nestedSettingReads.filter((candidate) => candidate.setting === entry.key)) {
    // A DICT_UPDATE_KEYS dict keeps its default's top-level keys.
    if (merged && setting && at(setting.value, read.keys.slice(0, 1)) !== undefined) continue;
    let node: unknown = entry.value;
    let added = false;
    for (let depth = 0; depth < read.keys.length && isDict(node); depth++) {
      const key = read.keys[depth];
      if (!(key in node)) {
        node[key] = nestedValue(facts, entry, read.keys.slice(0, depth + 1), depth < read.keys.length - 1 || read.dict);
        added = true;
      }
      node = node[key];
    }
    const path = `${entry.key}${read.keys.map((key) => `['${key}']`).join('')} (${read.source})`;
    if (added && !reads.includes(path)) reads.push(path);
  }
  if (reads.length > 0) entry.comment += `; added what the settings read after loading the YAML: ${reads.join(', ')}`;
}

/**
 * The example host name of a service: a DNS label, since Django rejects a Host header with an
 * underscore (a service named license_manager answers as license-manager.example.com).
 */
function exampleHost(service: string): string {
  return `${service
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}.example.com`;
}

/** Builds the example config's entries from the facts and decisions. */
export function toExampleConfigModel(facts: RepoFacts, config: GeneratorConfig): ExampleConfigModel {
  const service = config.service;
  const defaults = new Map(facts.settingsDefaults.map((setting) => [setting.name, setting]));
  const from = (name: string) => (defaults.has(name) ? ` (default in ${defaults.get(name)!.source})` : '');
  const required: ExampleEntry[] = [
    {
      key: 'SECRET_KEY',
      value: placeholder('secret key'),
      comment: `Django's signing key: a long random string, kept secret${from('SECRET_KEY')}`,
    },
    {
      key: 'ALLOWED_HOSTS',
      value: [exampleHost(service), 'localhost'],
      comment: `Host names this service answers to; keep localhost for the image's HEALTHCHECK${from('ALLOWED_HOSTS')}`,
    },
    ...(keepsCodeDatabase(facts) ? [] : [databaseEntry(facts, service)]),
    cacheEntry(facts, service),
    {
      key: 'JWT_AUTH',
      value: {
        JWT_ISSUERS: [
          {
            AUDIENCE: placeholder('jwt audience'),
            ISSUER: 'https://lms.example.com/oauth2',
            SECRET_KEY: placeholder('jwt secret key'),
          },
        ],
        JWT_PUBLIC_SIGNING_JWK_SET: placeholder('jwt public signing jwk set'),
      },
      comment: facts.configLoad.value?.dictUpdateKeys.includes('JWT_AUTH')
        ? `Partial: these keys update the JWT_AUTH dict (DICT_UPDATE_KEYS in ${facts.configLoad.value.module})`
        : 'Replaces the whole JWT_AUTH dict: copy the other keys from the settings',
    },
    {
      key: 'SOCIAL_AUTH_EDX_OAUTH2_KEY',
      value: `${service}-sso-key`,
      comment: 'OAuth2 client for users logging in through the LMS',
    },
    { key: 'SOCIAL_AUTH_EDX_OAUTH2_SECRET', value: placeholder('sso secret'), comment: 'Its secret' },
    { key: 'SOCIAL_AUTH_EDX_OAUTH2_ISSUER', value: 'https://lms.example.com', comment: 'The LMS that issues tokens' },
    {
      key: 'SOCIAL_AUTH_EDX_OAUTH2_URL_ROOT',
      value: 'http://lms.example.internal',
      comment: 'The LMS as this service reaches it',
    },
    {
      key: 'SOCIAL_AUTH_EDX_OAUTH2_PUBLIC_URL_ROOT',
      value: 'https://lms.example.com',
      comment: 'The LMS as browsers reach it',
    },
    {
      key: 'BACKEND_SERVICE_EDX_OAUTH2_KEY',
      value: `${service}-backend-service-key`,
      comment: 'OAuth2 client for server-to-server calls',
    },
    { key: 'BACKEND_SERVICE_EDX_OAUTH2_SECRET', value: placeholder('backend service secret'), comment: 'Its secret' },
    {
      key: 'BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL',
      value: 'http://lms.example.internal/oauth2',
      comment: 'The LMS OAuth2 endpoint',
    },
  ];
  if (facts.celery.value) {
    required.push({
      key: 'CELERY_BROKER_URL',
      value: `redis://:${placeholder('broker password')}@redis.example.internal:6379/0`,
      comment: `Celery is in the requirements (${facts.celery.source})`,
    });
  }
  // Read by the settings after the load and defined nowhere in them: only the YAML can set these.
  for (const setting of facts.settingsWithoutDefault) {
    if (required.some((entry) => entry.key === setting.name)) continue;
    required.push({
      key: setting.name,
      value: placeholder(setting.name),
      comment: `Read at ${setting.source} with no default in the settings: the service does not start without it`,
    });
  }
  const requiredKeys = new Set(required.map((entry) => entry.key));
  for (const entry of required) {
    const setting = defaults.get(entry.key);
    if (setting && !entry.comment.includes(setting.source)) entry.comment += ` (default in ${setting.source})`;
  }
  const overrides: ExampleEntry[] = facts.settingsDefaults
    .filter((setting) => !requiredKeys.has(setting.name))
    .map((setting) => ({
      key: setting.name,
      value: redact(setting.name, setting.value),
      comment: isSecretName(setting.name)
        ? `Secret: set it (default in ${setting.source} is not copied)`
        : `Default from ${setting.source}`,
    }));
  for (const entry of [...required, ...overrides]) addNestedKeys(facts, entry);
  return {
    header: [
      ...headerLines(`example config for ${service}`),
      `Mount it read-only at ${config.configPath} (${config.configVar}); everything else in the image has production defaults.`,
      'CHANGE-ME values are placeholders: render real secrets at deploy time, never commit them.',
    ],
    required,
    overrides,
  };
}

/** Writes the model as YAML with the `yaml` library, so the file always parses. */
export function renderExampleConfig(model: ExampleConfigModel): string {
  const doc = new Document(new YAMLMap());
  const map = doc.contents as YAMLMap;
  const add = (entry: ExampleEntry, sectionComment?: string) => {
    const key = new Scalar(entry.key);
    key.commentBefore = sectionComment ? ` ${sectionComment}\n\n ${entry.comment}` : ` ${entry.comment}`;
    // The first section follows the header's own blank line.
    if (sectionComment && map.items.length > 0) key.spaceBefore = true;
    map.items.push(new Pair(key, doc.createNode(entry.value)));
  };
  model.required.forEach((entry, index) =>
    add(entry, index === 0 ? '--- Required: set these for your deployment ---' : undefined),
  );
  model.overrides.forEach((entry, index) =>
    add(
      entry,
      index === 0 ? '--- Optional: settings you may override (the values shown are the defaults) ---' : undefined,
    ),
  );
  doc.commentBefore = model.header.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
