import { randomBytes } from 'node:crypto';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Document } from 'yaml';
import { fillExampleConfig } from '../config/fill.js';
import { UnreadableConfigError } from '../errors.js';

/** Where the servers a smoke run points the service at are. */
export interface SmokeAddresses {
  dbHost: string;
  dbPort: number;
  /** Database name and user; undefined: the example YAML's DATABASES.default values. */
  dbName?: string;
  dbUser?: string;
  /** The database user's password; required when the example has a database password placeholder. */
  dbPassword?: string;
  cacheHost: string;
  cachePort: number;
}

/** The YAML a smoke run mounts, and the values that must never be printed. */
export interface SmokeConfig {
  text: string;
  /** Every value that replaced a placeholder (throwaway secrets, the database password). */
  secrets: string[];
  /** DATABASES.default as filled (for the step lines); null when the example has none. */
  database: { name: string; user: string; host: string; port: number } | null;
  /** The Host header the service accepts: `localhost` when ALLOWED_HOSTS has it, else its first plain name. */
  hostHeader: string;
}

const DB_PASSWORD = 'CHANGE-ME-database-password';
/**
 * A broker the smoke run does not provision: a local one (Redis on the runner) has no
 * password, and a throwaway one would make the service's first task fail to authenticate.
 */
const BROKER_PASSWORD = 'CHANGE-ME-broker-password';
/** memcached-style `host:port` (a URL such as `redis://...` is left to the filler). */
const HOST_PORT = /^[^/:\s]+:\d+$/;

/** A throwaway value for a placeholder, recognisable in a config file and unique per run. */
export function throwaway(placeholder: string, random: () => string = () => randomBytes(12).toString('hex')): string {
  return `${placeholder.replace(/^CHANGE-ME-/, 'smoke-')}-${random()}`;
}

/** Whether the example asks for a database password (a smoke run then needs one). */
export function needsDatabasePassword(exampleYaml: string): boolean {
  return exampleYaml.includes(DB_PASSWORD);
}

/**
 * Fills a generated example YAML for a smoke run: the placeholders get throwaway values (the
 * database password the given one, a broker password nothing), the example hosts become the
 * database host, then DATABASES.default and the cache's `host:port` locations are pointed at the
 * given addresses. Only values at keys the example already has change (see fillExampleConfig).
 */
export function smokeConfig(exampleYaml: string, addresses: SmokeAddresses, random?: () => string): SmokeConfig {
  const filled = fillExampleConfig(exampleYaml, {
    host: addresses.dbHost,
    placeholders: {
      ...(addresses.dbPassword !== undefined ? { [DB_PASSWORD]: addresses.dbPassword } : {}),
      [BROKER_PASSWORD]: '',
    },
    fallback: (name) => throwaway(name, random),
  });
  const doc = parseDocument(filled.text);
  const database = pointDatabase(doc, addresses);
  pointCache(doc, `${addresses.cacheHost}:${addresses.cachePort}`);
  return {
    text: doc.toString(),
    secrets: Object.values(filled.replaced).filter((value) => value !== ''),
    database,
    hostHeader: hostHeader(doc.getIn(['ALLOWED_HOSTS'])),
  };
}

function pointDatabase(doc: Document, addresses: SmokeAddresses): SmokeConfig['database'] {
  const db = doc.getIn(['DATABASES', 'default']);
  if (!isMap(db)) return null;
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined && db.has(key)) db.set(key, value);
  };
  set('HOST', addresses.dbHost);
  set('PORT', addresses.dbPort);
  set('NAME', addresses.dbName);
  set('USER', addresses.dbUser);
  return {
    name: String(db.get('NAME') ?? ''),
    user: String(db.get('USER') ?? ''),
    host: addresses.dbHost,
    port: addresses.dbPort,
  };
}

function pointCache(doc: Document, location: string): void {
  const cache = doc.getIn(['CACHES', 'default']);
  if (!isMap(cache)) return;
  const value = cache.get('LOCATION', true);
  if (isScalar(value) && typeof value.value === 'string' && HOST_PORT.test(value.value)) value.value = location;
  if (isSeq(value))
    for (const item of value.items)
      if (isScalar(item) && typeof item.value === 'string' && HOST_PORT.test(item.value)) item.value = location;
}

/** The Host header to send: one ALLOWED_HOSTS accepts (Django answers 400 to any other). */
export function hostHeader(allowedHosts: unknown): string {
  const hosts = isSeq(allowedHosts) ? allowedHosts.items.map((item) => (isScalar(item) ? String(item.value) : '')) : [];
  if (hosts.length === 0 || hosts.includes('localhost') || hosts.includes('*')) return 'localhost';
  // `.example.com` allows the domain and its subdomains: the domain itself is one of them.
  return hosts.map((host) => host.replace(/^\./, '')).find((host) => /^[A-Za-z0-9.-]+$/.test(host)) ?? 'localhost';
}

/** Keys whose string values are secrets in an operator's YAML (never printed by a smoke run). */
const SECRET_KEY = /PASSWORD|SECRET|TOKEN|_KEY$/i;

function secretValues(node: unknown, key = ''): string[] {
  if (typeof node === 'string') return SECRET_KEY.test(key) && node !== '' ? [node] : [];
  if (Array.isArray(node)) return node.flatMap((item) => secretValues(item, key));
  if (node && typeof node === 'object')
    return Object.entries(node as Record<string, unknown>).flatMap(([name, value]) => secretValues(value, name));
  return [];
}

/**
 * An operator's YAML for `smoke --config`, mounted as it is (nothing filled or pointed): it must
 * parse as YAML and be a mapping, else an UnreadableConfigError naming the file and the line.
 * Its secret-looking values (keys with PASSWORD, SECRET, TOKEN, or ending in _KEY) are redacted.
 */
export function operatorSmokeConfig(text: string, file: string): SmokeConfig {
  const lines = new LineCounter();
  // yaml's own unique-key check compares each key with every earlier one: a 2.4 MB file of 60,000
  // keys took 27 s (92 s on a busy machine; 1.6 s without it). duplicateKey() does it with a Set.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const lineOf = (offset: number) => lines.linePos(offset).line;
  const [error] = doc.errors;
  if (error) {
    const line = lineOf(error.pos[0]);
    throw new UnreadableConfigError(file, `not YAML${line ? ` (line ${line})` : ''}: ${error.message.split('\n')[0]}`);
  }
  const duplicate = duplicateKey(doc);
  if (duplicate !== undefined) {
    throw new UnreadableConfigError(file, `not YAML (line ${lineOf(duplicate)}): Map keys must be unique`);
  }
  if (!isMap(doc.contents)) throw new UnreadableConfigError(file, 'not a YAML mapping of setting names to values');
  let plain: unknown;
  try {
    // An alias bomb (aliases of aliases) expands exponentially: yaml refuses it here (maxAliasCount).
    plain = doc.toJS();
  } catch (error) {
    throw new UnreadableConfigError(file, `not usable YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const db = doc.getIn(['DATABASES', 'default']);
  const value = (key: string) => (isMap(db) ? String(db.get(key) ?? '') : '');
  return {
    text,
    secrets: secretValues(plain),
    database: isMap(db)
      ? { name: value('NAME'), user: value('USER'), host: value('HOST'), port: Number(value('PORT')) || 3306 }
      : null,
    hostHeader: hostHeader(doc.getIn(['ALLOWED_HOSTS'])),
  };
}

/**
 * The offset of the first key a mapping repeats (scalar keys, compared by value as yaml's check for
 * the core schema does, `<<` included), or undefined: linear, unlike yaml's own check.
 */
function duplicateKey(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) {
          found = key.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(key.value);
      }
      return undefined;
    },
  });
  return found;
}
