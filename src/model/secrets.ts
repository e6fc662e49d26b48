import type { PyLiteral } from '../analyze/python.js';

/** An obviously fake value for a secret: never a value copied from the repo. */
export function placeholder(what: string): string {
  return `CHANGE-ME-${what
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}`;
}

/** Words of a setting name that say it holds a secret on their own. */
const SECRET_WORDS = new Set(['SECRET', 'SECRETS', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'TOKEN', 'TOKENS', 'DSN']);
/** Words that make a following KEY/KEYS a secret (`API_KEY`, `FERNET_KEYS`); a bare `*_KEY` is often a client id. */
const KEY_QUALIFIERS = new Set([
  'API',
  'ACCESS',
  'SECRET',
  'PRIVATE',
  'SIGNING',
  'ENCRYPTION',
  'TRANSACTION',
  'HMAC',
  'FERNET',
  'SHARED',
  'MASTER',
  'LICENSE',
]);
/** A last word that says what the value is, and it is not a secret (`ACCESS_TOKEN_URL`, `ID_TOKEN_EXPIRATION`). */
const DESCRIPTOR_WORDS = new Set([
  'URL',
  'URLS',
  'URI',
  'PATH',
  'NAME',
  'TIMEOUT',
  'EXPIRATION',
  'SECONDS',
  'LENGTH',
  'ENABLED',
  'HEADER',
  'CLASS',
  'BACKEND',
  'FIELD',
  'PREFIX',
  'TTL',
  'AGE',
  'ID',
  'TYPE',
  'ALGORITHM',
]);

/**
 * Whether a setting's or nested key's name says it holds a secret, in any case
 * (`SECRET_KEY`, `client_secret`, `transaction_key`, `HMAC_KEYS`, `SENTRY_DSN`), unless its last
 * word says what else the value is (`*_TOKEN_URL`, `*_TOKEN_EXPIRATION`).
 */
export function isSecretName(name: string): boolean {
  const words = name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (words.length === 0 || DESCRIPTOR_WORDS.has(words.at(-1)!)) return false;
  return words.some(
    (word, index) =>
      SECRET_WORDS.has(word) ||
      // `GOOGLE_SERVICE_ACCOUNT_CREDENTIALS`, not `CREDENTIALS_SERVICE_USER` (a service named credentials).
      (/^CREDENTIALS?$/.test(word) && index === words.length - 1) ||
      (/^KEYS?$/.test(word) && (words.length === 1 || KEY_QUALIFIERS.has(words[index - 1] ?? ''))),
  );
}

/** `scheme://user:password@` or `scheme://key@` at the start of a URL or DSN. */
const URL_CREDENTIALS = /^([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*)(?::([^/\s@]*))?@/i;
/** Prefixes of well-known API tokens and keys. */
const TOKEN_PREFIX =
  /^(?:sk_live_|sk_test_|rk_live_|rk_test_|ghp_|gho_|ghs_|ghu_|github_pat_|glpat-|xox[abpors]-|AKIA[0-9A-Z]{12}|AIza[0-9A-Za-z_-]{20}|SG\.[\w-]{10,})/;
/** Code, paths, URLs and prose: long, but never a secret by their look. */
const NOT_A_TOKEN = /[\s/]|^[\w-]+(?:\.[\w-]+)+$|:\/\//;

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / text.length) * Math.log2(count / text.length);
  return bits;
}

/** Whether a string looks like a key or token: a known prefix, a PEM key, or long, mixed and random. */
export function looksLikeSecret(value: string): boolean {
  if (TOKEN_PREFIX.test(value) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return true;
  if (value.length < 24 || NOT_A_TOKEN.test(value)) return false;
  return /[a-z]/i.test(value) && /\d/.test(value) && entropy(value) >= 4;
}

/**
 * The example's value for a string: a URL or DSN keeps its shape with its credentials
 * replaced, a token- or key-shaped string becomes a placeholder, anything else stays.
 */
function redactString(where: string, value: string): string {
  const url = URL_CREDENTIALS.exec(value);
  if (url) {
    const [whole, scheme, user, password] = url;
    if (password !== undefined && password !== '')
      return `${scheme}${user}:${placeholder(`${where} password`)}@${value.slice(whole.length)}`;
    if (password === undefined && user !== '')
      return `${scheme}${placeholder(`${where} key`)}@${value.slice(whole.length)}`;
  }
  return looksLikeSecret(value) ? placeholder(where) : value;
}

/** A literal with every secret replaced, and whether anything was. */
export interface Redacted {
  value: unknown;
  redacted: boolean;
}

/**
 * Replaces every secret inside a setting's default: the strings (and None) under a
 * secret name at any depth and in any case, credentials inside URLs and DSNs, token-shaped and
 * high-entropy strings. Numbers and booleans are never secrets (`OAUTH_ID_TOKEN_EXPIRATION: 60`).
 */
export function redact(name: string, value: PyLiteral): Redacted {
  let redacted = false;
  const walk = (where: string, node: PyLiteral, secret: boolean): unknown => {
    const isSecret = secret || isSecretName(where.split(' ').at(-1)!);
    if (typeof node === 'string' || node === null) {
      if (node === null || node === '') {
        if (node === null && isSecret) redacted = true;
        return node === null && isSecret ? placeholder(where) : node;
      }
      // A URL or DSN keeps its shape with its credentials replaced, under a secret name too.
      const result = redactString(where, node);
      if (isSecret && result === node) {
        redacted = true;
        return placeholder(where);
      }
      if (result !== node) redacted = true;
      return result;
    }
    if (Array.isArray(node)) return node.map((item) => walk(where, item, isSecret));
    if (typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([key, item]) => [key, walk(`${where} ${key}`, item, isSecret)]),
      );
    }
    return node;
  };
  const result = walk(name, value, false);
  return { value: result, redacted };
}
