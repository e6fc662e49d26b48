import { Document, isNode, isPair, isScalar, isSeq, parseDocument, Scalar, visit } from 'yaml';

/**
 * The service's YAML as a Tutor (Jinja) template: every key of the example YAML, each value
 * that is a deployment's own (placeholders, example hosts, database, OAuth2 clients, JWT,
 * broker) taken from Tutor's config.
 *
 * Safety: a Tutor value is never pasted as text. Each becomes `{{ (EXPR)|tojson }}`, so Tutor
 * writes it as a JSON scalar, which YAML reads back as the same string or number whatever it
 * holds; EXPR names only config keys and JSON-quoted literals. A literal from the repo that
 * contains `{` (Jinja syntax) is written the same way, as a JSON literal, so Tutor's Jinja
 * never reads text from the repo as a template.
 */

/** A Jinja expression (already safe: config names, filters and JSON-quoted literals). */
export interface Expr {
  jinja: string;
}

const expr = (jinja: string): Expr => ({ jinja });
const literal = (text: string): Expr => expr(JSON.stringify(text));
const concat = (...parts: Expr[]): Expr => expr(parts.map((part) => part.jinja).join(' ~ '));

/** `http` or `https`, as Tutor's own templates pick it. */
const SCHEME = expr('("https" if ENABLE_HTTPS else "http")');

/** The Tutor config keys the template reads, with defaults and generated secrets for the plugin. */
export interface TemplateNeeds {
  /** Config defaults (without the plugin prefix) the template uses beyond the fixed ones. */
  defaults: Map<string, string | number>;
  /** Unique (generated once, kept) config keys for secrets, without the prefix → Tutor template. */
  unique: Map<string, string>;
}

/** What the template builder needs to know of the plugin. */
export interface ConfigTemplateInput {
  /** Upper-case config prefix, `MINICREDS`. */
  prefix: string;
  /** The name other containers reach the service by (compose service, Kubernetes Service). */
  serviceHost: string;
  /** The example host name the generator gave this service (`minicreds.example.com`). */
  exampleHost: string;
}

/** The config key for a placeholder: `CHANGE-ME-jwt-audience` → `JWT_AUDIENCE`. */
function placeholderKey(placeholder: string): string {
  return placeholder
    .replace(/^CHANGE-ME-/, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');
}

/** The key of a value's path that decides it: `DATABASES.default.PORT` → `DATABASES.*.PORT`. */
function pathKey(path: (string | number)[]): string {
  if (path[0] === 'DATABASES' && path.length === 3) return `DATABASES.*.${String(path[2])}`;
  if (path[0] === 'JWT_AUTH' && path[1] === 'JWT_ISSUERS' && path.length === 4)
    return `JWT_ISSUERS.*.${String(path[3])}`;
  return path.join('.');
}

/**
 * Values whose key says what they are: replaced whole. Names without a dot are the plugin's own
 * config (prefixed), the others are Tutor's.
 */
function wholeValue(
  key: string,
  original: unknown,
  input: ConfigTemplateInput,
  needs: TemplateNeeds,
): Expr | undefined {
  /** The plugin's own config key, defaulting to the example's value. */
  const own = (name: string) => {
    if (typeof original === 'string' || typeof original === 'number') needs.defaults.set(name, original);
    return expr(`${input.prefix}_${name}`);
  };
  const secret = (name: string) => {
    needs.unique.set(name, '{{ 24|random_string }}');
    return expr(`${input.prefix}_${name}`);
  };
  // A broker URL's parts, when the settings build the URL from them (src/model/example-config.ts
  // brokerParts): Tutor's Redis, as for CELERY_BROKER_URL below. The host is an example host.
  if (/(^|_)BROKER_USER(NAME)?$/.test(key)) return expr('REDIS_USERNAME');
  if (/(^|_)BROKER_PASSWORD$/.test(key)) return expr('REDIS_PASSWORD');
  if (/(^|_)BROKER_VHOST$/.test(key)) {
    needs.defaults.set('CELERY_REDIS_DB', 0);
    return expr(`${input.prefix}_CELERY_REDIS_DB`);
  }
  switch (key) {
    case 'SECRET_KEY':
      return secret('SECRET_KEY');
    case 'DATABASES.*.NAME':
      return own('MYSQL_DATABASE');
    case 'DATABASES.*.USER':
      return own('MYSQL_USERNAME');
    case 'DATABASES.*.PASSWORD':
      return secret('MYSQL_PASSWORD');
    case 'DATABASES.*.HOST':
      return expr('MYSQL_HOST');
    case 'DATABASES.*.PORT':
      return expr('MYSQL_PORT');
    case 'JWT_ISSUERS.*.AUDIENCE':
      return expr('JWT_COMMON_AUDIENCE');
    case 'JWT_ISSUERS.*.ISSUER':
      return expr('JWT_COMMON_ISSUER');
    case 'JWT_ISSUERS.*.SECRET_KEY':
      return expr('JWT_COMMON_SECRET_KEY');
    case 'JWT_AUTH.JWT_PUBLIC_SIGNING_JWK_SET':
      // The LMS's public key as a JWK set (a JSON string), as Tutor's IDA plugins publish it.
      return expr(
        '{"keys": [{"kid": "openedx", "kty": "RSA", "e": jwt_rsa_key.e|long_to_base64, ' +
          '"n": jwt_rsa_key.n|long_to_base64}]}|tojson',
      );
    case 'SOCIAL_AUTH_EDX_OAUTH2_KEY':
      return own('OAUTH2_KEY_SSO');
    case 'SOCIAL_AUTH_EDX_OAUTH2_SECRET':
      return secret('OAUTH2_SECRET_SSO');
    case 'BACKEND_SERVICE_EDX_OAUTH2_KEY':
      return own('OAUTH2_KEY');
    case 'BACKEND_SERVICE_EDX_OAUTH2_SECRET':
      return secret('OAUTH2_SECRET');
    case 'CELERY_BROKER_URL':
      needs.defaults.set('CELERY_REDIS_DB', 0);
      return concat(
        literal('redis://'),
        expr('REDIS_USERNAME'),
        literal(':'),
        expr('REDIS_PASSWORD'),
        literal('@'),
        expr('REDIS_HOST'),
        literal(':'),
        expr('REDIS_PORT'),
        literal('/'),
        expr(`${input.prefix}_CELERY_REDIS_DB`),
      );
    default:
      return undefined;
  }
}

/** Example host names (with the port the generator writes after some) → Tutor's values. */
function hostRules(input: ConfigTemplateInput, needs: TemplateNeeds): [RegExp, () => Expr][] {
  const own = (name: string) => expr(`${input.prefix}_${name}`);
  const escaped = input.exampleHost.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [
    [/https:\/\/lms\.example\.com/, () => concat(SCHEME, literal('://'), expr('LMS_HOST'))],
    [/https?:\/\/lms\.example\.internal/, () => literal('http://lms:8000')],
    [/lms\.example\.com/, () => expr('LMS_HOST')],
    [/db\.example\.internal(?::\d+)?/, () => concat(expr('MYSQL_HOST'), literal(':'), expr('MYSQL_PORT'))],
    [/redis\.example\.internal(?::\d+)?/, () => concat(expr('REDIS_HOST'), literal(':'), expr('REDIS_PORT'))],
    [
      /memcached\.example\.internal(?::\d+)?/,
      () => {
        // Tutor runs no memcached: the operator points these at theirs (see the plugin's README).
        needs.defaults.set('MEMCACHED_HOST', 'memcached');
        needs.defaults.set('MEMCACHED_PORT', 11211);
        return concat(own('MEMCACHED_HOST'), literal(':'), own('MEMCACHED_PORT'));
      },
    ],
    [new RegExp(`https://${escaped}`), () => concat(SCHEME, literal('://'), own('HOST'))],
    [new RegExp(escaped), () => own('HOST')],
    [
      /CHANGE-ME-[a-z0-9-]+/,
      // Any other placeholder is a value only the deployment has: a generated unique value.
      () => expr(''),
    ],
  ];
}

/** A string with example hosts and placeholders → an expression, or undefined when it has none. */
function textValue(text: string, input: ConfigTemplateInput, needs: TemplateNeeds): Expr | undefined {
  const rules = hostRules(input, needs);
  const parts: Expr[] = [];
  let rest = text;
  let changed = false;
  while (rest.length > 0) {
    let best: { index: number; length: number; make: () => Expr; match: string } | undefined;
    for (const [regex, make] of rules) {
      const match = regex.exec(rest);
      if (match && (best === undefined || match.index < best.index)) {
        best = { index: match.index, length: match[0].length, make, match: match[0] };
      }
    }
    if (!best) break;
    changed = true;
    if (best.index > 0) parts.push(literal(rest.slice(0, best.index)));
    if (best.match.startsWith('CHANGE-ME-')) {
      const key = placeholderKey(best.match);
      needs.unique.set(key, '{{ 24|random_string }}');
      parts.push(expr(`${input.prefix}_${key}`));
    } else {
      parts.push(best.make());
    }
    rest = rest.slice(best.index + best.length);
  }
  if (!changed) return undefined;
  if (rest.length > 0) parts.push(literal(rest));
  return concat(...parts);
}

/** The marker a value becomes until the YAML text is written (a plain scalar YAML never quotes). */
const MARK = 'tutor__expr__';
const MARKED = new RegExp(`${MARK}(\\d+)__`, 'g');

/**
 * Builds the Tutor template of the service's YAML from the example YAML's text: the same keys
 * in the same order, with Tutor's values where a deployment's own goes. Returns the template
 * and what config it reads (so the plugin declares exactly those).
 */
export function toTutorConfigTemplate(
  exampleYaml: string,
  input: ConfigTemplateInput,
  header: string[],
): { template: string; needs: TemplateNeeds } {
  const needs: TemplateNeeds = { defaults: new Map(), unique: new Map() };
  const source = parseDocument(exampleYaml);
  const doc = new Document(source.contents);
  const exprs: Expr[] = [];
  const marks = new Set<Scalar>();
  const mark = (value: Expr) => {
    exprs.push(value);
    const scalar = new Scalar(`${MARK}${exprs.length - 1}__`);
    marks.add(scalar);
    return scalar;
  };
  let usesJwk = false;
  // The example's comments name repo files: none reaches Jinja.
  visit(doc, (_key, node) => {
    if (isNode(node)) node.comment = node.commentBefore = null;
  });
  visit(doc, {
    Pair(_key, pair, path) {
      // The path of keys from the root to this pair: pair keys, and item indexes in sequences.
      const chain = [...path, pair];
      const keys: (string | number)[] = [];
      chain.forEach((node, i) => {
        if (isPair(node) && isScalar(node.key)) keys.push(String(node.key.value));
        if (isSeq(node)) keys.push(node.items.indexOf(chain[i + 1] as never));
      });
      const original = isScalar(pair.value) ? pair.value.value : undefined;
      const whole = wholeValue(pathKey(keys), original, input, needs);
      if (whole) {
        if (whole.jinja.includes('jwt_rsa_key')) usesJwk = true;
        pair.value = mark(whole);
        return visit.SKIP;
      }
      return undefined;
    },
    Scalar(key, node) {
      if (typeof node.value !== 'string' || marks.has(node)) return undefined;
      const text = node.value;
      if (key !== 'key') {
        const value = textValue(text, input, needs);
        if (value) return mark(value);
      }
      // Repo text that Tutor's Jinja would read as template syntax, or that looks like a marker.
      if (text.includes('{') || text.includes(MARK)) return mark(literal(text));
      return undefined;
    },
  });
  // Other containers call the service by its compose service or Kubernetes Service name.
  const hosts = doc.get('ALLOWED_HOSTS', true);
  if (isSeq(hosts) && !hosts.items.some((item) => isScalar(item) && item.value === input.serviceHost)) {
    hosts.items.push(new Scalar(input.serviceHost));
  }
  const body = doc.toString({ lineWidth: 0 }).replace(MARKED, (_all, index: string) => {
    return `{{ (${exprs[Number(index)]!.jinja})|tojson }}`;
  });
  const preamble = header.map((line) => `# ${line}`);
  if (usesJwk) preamble.push('{% set jwt_rsa_key | rsa_import_key %}{{ JWT_RSA_PRIVATE_KEY }}{% endset %}');
  return { template: `${preamble.join('\n')}\n${body}`, needs };
}
