import { Document, Pair, Scalar, YAMLMap } from 'yaml';
import type { RepoFacts } from '../analyze/analyze.js';
import { type DatabaseBackend, LOCAL_MEMORY_CACHE, keepsOwnSqliteDatabase } from '../analyze/backends.js';
import type { PyLiteral } from '../analyze/python.js';
import type { SettingWithoutDefault } from '../analyze/settings-without-default.js';
import { placeholder, redact } from './secrets.js';
import { TOPICS, internalReason, topicOf } from './example-topics.js';
import { schemaFileOf } from './example-schema.js';
import type { GeneratorConfig } from './decisions.js';
import { headerLines } from './dockerfile-model.js';

/** One key of the example YAML, with the comment that says where it came from. */
export interface ExampleEntry {
  key: string;
  value: unknown;
  comment: string;
  /** The default cannot be shown as a value (computed in the settings): written as a commented-out key. */
  commented?: boolean;
  /** The code's default is None though the value shown is not (an example URL): the schema gives no type, so null stays valid. */
  defaultNone?: boolean;
}

/**
 * The example config: keys the operator must set, then settings they may override, and the
 * names of the settings left out of it (development, framework internals, code wiring).
 */
export interface ExampleConfigModel {
  header: string[];
  required: ExampleEntry[];
  overrides: ExampleEntry[];
  /** Settings with defaults not shown, named in one closing comment. */
  omitted: string[];
  /** The JSON Schema beside the example, named where editors look for it (yaml-language-server). */
  schemaFile: string;
}

export { placeholder };

/** MySQL and PostgreSQL connection OPTIONS that production IDAs use. */
const DATABASE_OPTIONS: Record<DatabaseBackend['vendor'], Record<string, unknown>> = {
  mysql: { connect_timeout: 10, init_command: "SET sql_mode='STRICT_TRANS_TABLES'" },
  postgresql: { connect_timeout: 10 },
};

/** Keys of a database alias the example restates from the settings: how the code uses the connection, not where it is. */
const KEPT_DATABASE_KEYS = ['ATOMIC_REQUESTS', 'CONN_MAX_AGE', 'OPTIONS'] as const;

/**
 * DATABASES for the database the requirements' driver reaches: every alias the settings define
 * (analytics-data-api: default, reports, reports_v1, enterprise), since the YAML replaces the
 * whole dict and an alias it lacks is a ConnectionDoesNotExist where the code uses it. Each
 * alias gets the example server and the service database (one database, as compose and Tutor
 * create), and keeps the ATOMIC_REQUESTS, CONN_MAX_AGE and OPTIONS the settings give it; a key
 * the settings leave out keeps Django's default, as it does without the YAML.
 */
function databaseEntry(facts: RepoFacts, service: string): ExampleEntry {
  const backend = facts.database.value;
  const db = service.replace(/[^a-z0-9]+/g, '_');
  const setting = facts.settingsDefaults.find((candidate) => candidate.name === 'DATABASES');
  const own = isDict(setting?.value) ? setting.value : {};
  const aliases = ['default', ...Object.keys(own).filter((alias) => alias !== 'default' && isDict(own[alias]))];
  const kept: string[] = [];
  const value: Dict = {};
  for (const alias of aliases) {
    const repo = isDict(own[alias]) ? own[alias] : {};
    const keys = KEPT_DATABASE_KEYS.filter((key) => key in repo);
    if (keys.length > 0) kept.push(`${alias}: ${keys.join(', ')}`);
    value[alias] = {
      ENGINE: backend.engine,
      NAME: db,
      USER: `${db}001`,
      PASSWORD: placeholder('database password'),
      HOST: 'db.example.internal',
      PORT: backend.port,
      ...Object.fromEntries(
        keys.map((key) => [key, redact(`DATABASES ${alias} ${key}`, repo[key] as PyLiteral).value]),
      ),
    };
  }
  const why = backend.driver
    ? `${backend.driver} is installed (${facts.database.source})`
    : 'no database driver in the requirements: add mysqlclient (MySQL) or psycopg (PostgreSQL)';
  const notes = [`The service database; ${why}`];
  if (aliases.length > 1)
    notes.push(
      `every alias the settings define (${aliases.join(', ')}), all on the service database here: ` +
        'give an alias its own NAME where its data lives in another database',
    );
  if (setting?.computed !== undefined)
    notes.push(`the settings compute DATABASES (${setting.source}): check its aliases and connection keys there`);
  else if (kept.length > 0)
    notes.push(
      `ATOMIC_REQUESTS, CONN_MAX_AGE and OPTIONS only where the settings set them (${setting!.source}): ${kept.join('; ')}`,
    );
  else if (setting)
    notes.push(
      `the settings (${setting.source}) set no ATOMIC_REQUESTS, CONN_MAX_AGE or OPTIONS: Django's defaults apply`,
    );
  return { key: 'DATABASES', value, comment: notes.join('; ') };
}

/**
 * A service with no database driver whose settings keep a sqlite database of their own
 * (codejail-service: "Django *really* wants a database", an in-memory one): the YAML restates
 * that default instead of asking for a MySQL server the image has no driver for.
 */
function keepsCodeDatabase(facts: RepoFacts): boolean {
  // detectDatabase's missing-driver warning uses the same predicate: it warns only when the YAML names MySQL.
  return facts.database.value.driver === null && keepsOwnSqliteDatabase(facts.settingsDefaults);
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
  if (own !== undefined) return redact(`${entry.key} ${keys.join(' ')}`, own as PyLiteral).value;
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
  const merged =
    (facts.configLoad.value?.dictUpdateKeys ?? []).includes(entry.key) ||
    facts.dictUpdates.some((update) => update.name === entry.key);
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

/**
 * Logging to stdout, the log of a container: Python's dictConfig with one console handler at the
 * root (Django's own `django` logger propagates to it), in the format of edx's `get_logger_config`.
 */
const CONSOLE_LOGGING = {
  version: 1,
  disable_existing_loggers: false,
  formatters: {
    standard: { format: '%(asctime)s %(levelname)s %(process)d [%(name)s] %(filename)s:%(lineno)d - %(message)s' },
  },
  handlers: { console: { class: 'logging.StreamHandler', formatter: 'standard', stream: 'ext://sys.stdout' } },
  root: { handlers: ['console'], level: 'INFO' },
};

/** A host name's setting: `SYSLOG_SERVER`, `DB_HOST`, `SMTP_HOSTNAME`. */
const HOST_NAME = /(?:^|_)(?:SERVER|HOST|HOSTNAME)$/;

/**
 * An example host (`syslog.example.internal` for `SYSLOG_SERVER`) for a required setting that
 * holds a host name, by its name or by its use as the host of a `(host, port)` pair; undefined
 * for any other. A placeholder word there is not a host: xqueue's SysLogHandler could not
 * resolve `CHANGE-ME-syslog-server` and the service did not start; an example host is one the
 * operator (and fill.ts) replaces like the others.
 */
function exampleHostFor(setting: SettingWithoutDefault): string | undefined {
  if (!setting.host && !HOST_NAME.test(setting.name)) return undefined;
  const label = setting.name
    .replace(HOST_NAME, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${label || 'host'}.example.internal`;
}

/** A URL's setting by its name: `LMS_BASE_URL`, `SOCIAL_AUTH_EDX_OAUTH2_URL_ROOT`, `ENTERPRISE_CATALOG_URL`. */
const URL_NAME = /(?:^|_)URL(?:_ROOT)?$/;
/**
 * URL settings that are not another web service's address: Django's own paths (`MEDIA_URL`),
 * brokers, caches, databases and registries with schemes of their own, and images.
 */
const NOT_A_SERVICE_URL = new RegExp(
  '^(?:STATIC_URL|MEDIA_URL|LOGIN_URL|LOGIN_REDIRECT_URL|LOGOUT_URL|LOGOUT_REDIRECT_URL)$|' +
    '(?:^|_)(?:BROKER|REDIS|CACHE|DATABASE|DB|AMQP|KAFKA|SCHEMA_REGISTRY|SENTRY|LOGO|FAVICON|ICON|IMAGE)(?:_|$)',
);

/**
 * An example URL on an example host (`https://lms.example.internal` for `LMS_BASE_URL`) for an
 * optional setting named as a service's URL whose code default is None or '': code builds on such
 * a URL (edx-enterprise-data's `settings.LMS_BASE_URL + '/'` at import stopped analytics-data-api
 * from starting with None), and an example host is one the operator (and fill.ts) replaces.
 * Undefined for any other setting, and for one the service's code tests for truth (an off switch).
 */
function exampleUrlFor(facts: RepoFacts, name: string, value: unknown): string | undefined {
  if ((value !== null && value !== '') || !URL_NAME.test(name) || NOT_A_SERVICE_URL.test(name)) return undefined;
  if (facts.switchSettings.includes(name)) return undefined;
  const label = name
    .replace(/_?(?:BASE_)?URL(?:_ROOT)?$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `https://${label || 'service'}.example.internal`;
}

/** The comment of an entry whose empty code default was replaced by {@link exampleUrlFor}'s URL. */
function exampleUrlNote(source: string, value: unknown): string {
  const empty = value === null ? 'None' : "''";
  return `Default at ${source} is ${empty}; the URL shown is an example host: set your deployment's (or remove the line for ${empty})`;
}

/**
 * The mapping the code's reads of a setting's keys need (`settings.X['a']['b']`): each key read
 * last gets a placeholder, a string where the code may want another type, but one that imports.
 */
function keysShape(name: string, keys: { [key: string]: PyLiteral }, path: string[] = []): Dict {
  return Object.fromEntries(
    Object.entries(keys).map(([key, value]) => [
      key,
      isDict(value) ? keysShape(name, value, [...path, key]) : placeholder(`${name} ${[...path, key].join(' ')}`),
    ]),
  );
}

/** Whether the image installs a requirement (normalized name). */
function installed(facts: RepoFacts, name: string): string | undefined {
  const pin = facts.requirementPins.find((candidate) => candidate.name === name);
  return pin ? `${pin.name} is installed (${pin.file}:${pin.line})` : undefined;
}

/**
 * The setting Celery reads its broker from: the one the settings define (`BROKER_URL` or
 * `CELERY_BROKER_URL`), else by the installed Celery: 3 reads `BROKER_URL`, 4 and later
 * (with Django's `namespace='CELERY'`) `CELERY_BROKER_URL`.
 */
function brokerKey(facts: RepoFacts): { key: string; why: string } {
  for (const key of ['CELERY_BROKER_URL', 'BROKER_URL']) {
    const setting = facts.settingsDefaults.find((candidate) => candidate.name === key);
    if (setting) return { key, why: `the settings define it (${setting.source})` };
  }
  const celery = facts.requirementPins.find((pin) => pin.name === 'celery');
  const major = Number(/^(\d+)/.exec(celery?.version ?? '')?.[1] ?? NaN);
  if (major < 4) return { key: 'BROKER_URL', why: `Celery ${celery!.version} reads BROKER_URL` };
  return {
    key: 'CELERY_BROKER_URL',
    why: `Celery${celery?.version ? ` ${celery.version}` : ''} reads CELERY_BROKER_URL`,
  };
}

/**
 * An example value for each part of a broker URL, by the part's name (TRANSPORT before PORT): the
 * Redis the compose stack and Tutor run, at the example host that src/config/fill.ts points at
 * a real server.
 */
const BROKER_PARTS: { name: RegExp; value: (hasPort: boolean) => unknown; what: string }[] = [
  { name: /(^|_)(TRANSPORT|SCHEME|PROTOCOL)$/, value: () => 'redis', what: 'its transport (amqp for RabbitMQ)' },
  { name: /(^|_)VHOST$/, value: () => '0', what: 'its virtual host (the database number for Redis)' },
  { name: /(^|_)PORT$/, value: () => 6379, what: 'its port' },
  {
    name: /(^|_)HOST(NAME)?$/,
    value: (hasPort) => (hasPort ? 'redis.example.internal' : 'redis.example.internal:6379'),
    what: 'its host',
  },
  { name: /(^|_)USER(NAME)?$/, value: () => '', what: 'its user (empty for a Redis without ACL users)' },
  { name: /(^|_)PASSWORD$/, value: () => placeholder('broker password'), what: 'its password' },
];

/**
 * The broker URL's parts when the settings build it again after the load from other settings
 * (enterprise-catalog, enterprise-access: CELERY_BROKER_TRANSPORT, _HOSTNAME, _VHOST, _USER,
 * _PASSWORD): the YAML cannot set the URL, so the parts are what a worker needs, each required
 * with an example value. Undefined when the settings leave the URL to the YAML.
 */
function brokerParts(facts: RepoFacts): ExampleEntry[] | undefined {
  const url = facts.rebuiltSettings.find(
    (setting) =>
      (setting.name === 'CELERY_BROKER_URL' || setting.name === 'BROKER_URL') &&
      facts.overwrittenSettings.includes(setting.name),
  );
  if (!url) return undefined;
  // `'redis://{}:6379/0'.format(REDIS_HOST)`: the URL spells the port, so the host is bare.
  const hasPort = url.literalPort === true || url.inputs.some((input) => /(^|_)PORT$/.test(input));
  return url.inputs.map((input, index) => {
    const part = BROKER_PARTS.find((candidate) => candidate.name.test(input));
    const built = `${url.name} is built from it after the load (${url.source})`;
    return {
      key: input,
      value: part ? part.value(hasPort) : placeholder(input),
      comment:
        index === 0
          ? `Celery's broker, ${part?.what ?? 'a part of its URL'}; Celery is in the requirements ` +
            `(${facts.celery.source}) and ${url.name} is built from ${url.inputs.join(', ')} after the load (${url.source})`
          : `Celery's broker, ${part?.what ?? 'a part of its URL'}; ${built}`,
    };
  });
}

/** The Open edX OAuth2 and JWT settings, each only when the library that reads it is installed. */
function openedxEntries(facts: RepoFacts, service: string): ExampleEntry[] {
  const entries: ExampleEntry[] = [];
  const drf = installed(facts, 'edx-drf-extensions');
  if (drf) {
    entries.push({
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
      comment: `JWTs the LMS issues, read by edx-drf-extensions; ${drf}; ${mergeNote(facts, 'JWT_AUTH')}`,
    });
  }
  const backends = installed(facts, 'edx-auth-backends');
  if (backends) {
    entries.push(
      {
        key: 'SOCIAL_AUTH_EDX_OAUTH2_KEY',
        value: `${service}-sso-key`,
        comment: `OAuth2 client for users logging in through the LMS, read by edx-auth-backends; ${backends}`,
      },
      {
        key: 'SOCIAL_AUTH_EDX_OAUTH2_SECRET',
        value: placeholder('sso secret'),
        comment: 'The secret of that client',
      },
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
    );
  }
  if (drf) {
    entries.push(
      {
        key: 'BACKEND_SERVICE_EDX_OAUTH2_KEY',
        value: `${service}-backend-service-key`,
        comment: `OAuth2 client for server-to-server calls to the LMS; ${drf}`,
      },
      {
        key: 'BACKEND_SERVICE_EDX_OAUTH2_SECRET',
        value: placeholder('backend service secret'),
        comment: 'The secret of that client',
      },
      {
        key: 'BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL',
        value: 'http://lms.example.internal/oauth2',
        comment: 'The LMS OAuth2 endpoint',
      },
    );
  }
  return entries;
}

/** Settings of installed libraries that a deployment sets, with the library's default. */
const LIBRARY_SETTINGS: { requirement: string; key: string; value: unknown; comment: string }[] = [
  {
    requirement: 'edx-drf-extensions',
    key: 'EDX_DRF_EXTENSIONS',
    value: {},
    comment:
      "edx-drf-extensions' own settings (OAUTH2_USER_INFO_URL, JWT_PAYLOAD_USER_ATTRIBUTE_MAPPING...): " +
      'a key not given keeps the library default',
  },
  {
    requirement: 'edx-auth-backends',
    key: 'SOCIAL_AUTH_REDIRECT_IS_HTTPS',
    value: false,
    comment: "python-social-auth's: set true behind a proxy that terminates TLS, so OAuth2 redirect URIs use https",
  },
];

/** How the YAML's value of a dict setting reaches the settings. */
function mergeNote(facts: RepoFacts, key: string): string {
  const load = facts.configLoad.value;
  if (load?.dictUpdateKeys.includes(key))
    return `updates the ${key} dict: keys not given keep their defaults (DICT_UPDATE_KEYS in ${load.module})`;
  const update = facts.dictUpdates.find((candidate) => candidate.name === key);
  if (update)
    return `updates the ${key} dict: keys not given keep their defaults (${key}.update(...) at ${update.source})`;
  if (facts.spreadSettings.includes(key)) return `each of its keys becomes a setting (vars().update(${key}))`;
  return `replaces the whole ${key} dict: give every key you need`;
}

function isDictValue(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The installed Django's [major, minor]; an unpinned Django counts as a recent one. */
function djangoVersion(facts: RepoFacts): [number, number] {
  const match = /^(\d+)\.(\d+)/.exec(facts.requirementPins.find((pin) => pin.name === 'django')?.version ?? '');
  return match ? [Number(match[1]), Number(match[2])] : [Number.MAX_SAFE_INTEGER, 0];
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
    ...openedxEntries(facts, service),
  ];
  if (facts.celery.value) {
    const parts = brokerParts(facts);
    if (parts) required.push(...parts);
    else {
      const broker = brokerKey(facts);
      required.push({
        key: broker.key,
        value: `redis://:${placeholder('broker password')}@redis.example.internal:6379/0`,
        comment: `Celery's broker; Celery is in the requirements (${facts.celery.source}); ${broker.why}`,
      });
    }
  }
  // Read by the settings after the load and defined nowhere in them: only the YAML can set these.
  for (const setting of facts.settingsWithoutDefault) {
    if (required.some((entry) => entry.key === setting.name)) continue;
    const where = setting.when
      ? `${setting.source} (${setting.when === 'import' ? 'at import' : 'in ready()'})`
      : setting.source;
    const example = setting.example ? redact(setting.name, setting.example.value) : undefined;
    // Only tested for truth (`if settings.DEBUG_TOOLBAR_HOST:`): an example host would switch it on.
    const host = setting.truthTest ? undefined : exampleHostFor(setting);
    const shape = example || !setting.keysRead ? undefined : keysShape(setting.name, setting.keysRead);
    required.push({
      key: setting.name,
      value: example ? example.value : setting.truthTest ? null : (shape ?? host ?? placeholder(setting.name)),
      comment:
        `Read at ${where} with no default in the settings${setting.when ? ' or Django' : ''}: ` +
        'the service does not start without it' +
        (example && !example.redacted ? `; the value shown is ${setting.example!.source}'s` : '') +
        (setting.truthTest && !example
          ? '; only tested for truth there: null leaves what it switches off, a value turns it on'
          : '') +
        (shape ? '; a mapping of the keys the code reads in it' : '') +
        (host && !example && !shape ? '; a host name: give the one your deployment uses' : ''),
    });
  }
  if (facts.syslogLogging !== null && !required.some((entry) => entry.key === 'LOGGING')) {
    required.push({
      key: 'LOGGING',
      value: structuredClone(CONSOLE_LOGGING),
      comment:
        `The settings' LOGGING (${facts.syslogLogging}) sends records to a syslog socket (/dev/log) that a ` +
        'container does not have (each one: "--- Logging error ---"); this one logs to stdout, the container\'s log',
    });
  }
  const requiredKeys = new Set(required.map((entry) => entry.key));
  for (const entry of required) {
    const setting = defaults.get(entry.key);
    if (setting && !entry.comment.includes(setting.source)) entry.comment += ` (default in ${setting.source})`;
  }
  const overrides: ExampleEntry[] = [];
  const omitted: string[] = [];
  const helpers = new Set(facts.helperSettings);
  for (const setting of facts.settingsDefaults) {
    if (requiredKeys.has(setting.name)) continue;
    // A constant that only computes other settings before the load: a YAML value would change nothing.
    if (helpers.has(setting.name)) {
      omitted.push(setting.name);
      continue;
    }
    if (setting.computed !== undefined) {
      if (internalReason(setting.name, null) || isCodeObject(setting.computed)) omitted.push(setting.name);
      else
        overrides.push({
          key: setting.name,
          value: null,
          commented: true,
          comment: `Default computed at ${setting.source}: ${setting.computed}`,
        });
      continue;
    }
    const { value, redacted } = redact(setting.name, setting.value);
    if (!redacted && internalReason(setting.name, setting.value)) {
      omitted.push(setting.name);
      continue;
    }
    const url = redacted ? undefined : exampleUrlFor(facts, setting.name, value);
    if (url) {
      overrides.push({
        key: setting.name,
        value: url,
        comment: exampleUrlNote(setting.source, value),
        ...(value === null ? { defaultNone: true } : {}),
      });
      continue;
    }
    const merge = isDictValue(value) ? `; ${mergeNote(facts, setting.name)}` : '';
    overrides.push({
      key: setting.name,
      value,
      comment: redacted
        ? `Secret: set it (the default in ${setting.source} is not copied)${merge}`
        : `Default from ${setting.source}${merge}`,
    });
  }
  const known = new Set([...requiredKeys, ...defaults.keys()]);
  if (!known.has('CSRF_TRUSTED_ORIGINS')) {
    const [major] = djangoVersion(facts);
    const form = major >= 4 ? 'origins with their scheme (https://apps.example.com)' : 'host names (apps.example.com)';
    overrides.push({
      key: 'CSRF_TRUSTED_ORIGINS',
      value: [],
      comment: `Django's: other sites (micro-frontends) allowed to POST here over HTTPS, as ${form}; default none`,
    });
    known.add('CSRF_TRUSTED_ORIGINS');
  }
  // Settings installed libraries read that the settings leave at the library's default.
  for (const row of LIBRARY_SETTINGS) {
    const why = installed(facts, row.requirement);
    if (!why || known.has(row.key)) continue;
    known.add(row.key);
    overrides.push({ key: row.key, value: row.value, comment: `${row.comment}; ${why}` });
  }
  // Settings the service's own code reads with a fallback: optional, with the code's default.
  for (const read of facts.codeSettingReads) {
    if (known.has(read.name)) continue;
    known.add(read.name);
    if (read.value === undefined) {
      overrides.push({
        key: read.name,
        value: null,
        commented: true,
        comment: `Read at ${read.source} with getattr(settings, ...)`,
      });
      continue;
    }
    const { value, redacted } = redact(read.name, read.value);
    const url = redacted ? undefined : exampleUrlFor(facts, read.name, value);
    if (url) {
      overrides.push({
        key: read.name,
        value: url,
        comment: `Read with getattr(settings, ...): ${exampleUrlNote(read.source, value)}`,
        ...(value === null ? { defaultNone: true } : {}),
      });
      continue;
    }
    overrides.push({
      key: read.name,
      value,
      comment: `${redacted ? 'Secret: set it; read' : 'Read'} at ${read.source}, defaulting to the value shown when unset`,
    });
  }
  // The settings assign these again after loading the YAML (registrar builds CELERY_BROKER_URL from
  // CELERY_BROKER_HOSTNAME...): a key for them would be ignored.
  const overwritten = new Set(facts.overwrittenSettings);
  const settable = (entries: ExampleEntry[]) => entries.filter((candidate) => !overwritten.has(candidate.key));
  for (const entry of [...required, ...overrides]) addNestedKeys(facts, entry);
  return {
    header: [
      ...headerLines(`example config for ${service}`),
      `Mount it read-only at ${config.configPath} (${config.configVar}); everything else in the image has production defaults.`,
      'CHANGE-ME values are placeholders: render real secrets at deploy time, never commit them.',
    ],
    required: byTopic(settable(required)),
    overrides: byTopic(settable(overrides)),
    omitted,
    schemaFile: schemaFileOf(config.exampleConfig, service),
  };
}

/**
 * Whether a computed default is a Python object no YAML can express: a class instance
 * (`WaffleSwitch(...)`), a module attribute (`timezone.utc`) or a path from `__file__`.
 */
function isCodeObject(expression: string): boolean {
  // A path computed from the settings file's own place is the code's layout (BASE_DIR).
  if (expression.includes('__file__')) return true;
  return /^[A-Z]\w*\(/.test(expression) || /^[a-z_]\w*(\.[a-z_]\w*)+$/.test(expression);
}

/** Entries ordered by topic (TOPICS order), keeping their order within a topic. */
function byTopic(entries: ExampleEntry[]): ExampleEntry[] {
  const rank = (entry: ExampleEntry) => TOPICS.findIndex((topic) => topic.id === topicOf(entry.key));
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => rank(a.entry) - rank(b.entry) || a.index - b.index)
    .map(({ entry }) => entry);
}

/** Writes the model as YAML with the `yaml` library, so the file always parses. */
export function renderExampleConfig(model: ExampleConfigModel): string {
  const doc = new Document(new YAMLMap());
  const map = doc.contents as YAMLMap;
  // Commented-out keys wait here for the next real key (or the end of the file).
  let pending: string[] = [];
  let topic: string | null = null;
  const add = (entry: ExampleEntry, sectionComment?: string) => {
    const lines: string[] = [];
    if (sectionComment) {
      lines.push(` ${sectionComment}`, '');
      topic = null;
    }
    const title = TOPICS.find((candidate) => candidate.id === topicOf(entry.key))!.title;
    if (title !== topic) {
      if (!sectionComment && (map.items.length > 0 || pending.length > 0)) lines.push('');
      lines.push(` -- ${title} --`);
      topic = title;
    }
    if (entry.commented) {
      pending.push(...lines, ` ${entry.comment}`, ` ${entry.key}:`);
      return;
    }
    const key = new Scalar(entry.key);
    const comment = [...pending, ...lines, ` ${entry.comment}`];
    pending = [];
    // A blank line before a section or topic (the first section follows the header's own).
    if (comment[0] === '') comment.shift();
    if (map.items.length > 0 && (sectionComment || lines[0] === '')) key.spaceBefore = true;
    key.commentBefore = comment.join('\n');
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
  const closing = [...pending];
  if (model.omitted.length > 0) {
    if (closing.length > 0) closing.push('');
    closing.push(
      ' Not shown: development settings, framework internals and code wiring that you may still set:',
      ...wrap(model.omitted.join(', '), 110).map((line) => ` ${line}`),
    );
  }
  // The yaml library writes a blank line before the closing comment itself.
  if (closing[0] === '') closing.shift();
  if (closing.length > 0) doc.comment = closing.join('\n');
  const schema = model.schemaFile.slice(model.schemaFile.lastIndexOf('/') + 1);
  doc.commentBefore = [...model.header, `yaml-language-server: $schema=${schema}`].map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Splits a long text at spaces into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
