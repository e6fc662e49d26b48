/** The topics the example YAML groups its keys by, in the order it writes them. */
export const TOPICS = [
  { id: 'security', title: 'Security: signing keys, hosts, cookies, CORS and CSRF' },
  { id: 'data', title: 'Database, cache and search' },
  { id: 'services', title: 'Other services: URLs, OAuth2 clients and JWT' },
  { id: 'brokers', title: 'Task queues and event bus' },
  { id: 'email', title: 'Email' },
  { id: 'storage', title: 'Storage: static files, media, buckets' },
  { id: 'features', title: 'Features and per-site values' },
  { id: 'logging', title: 'Logging and monitoring' },
  { id: 'other', title: 'Other settings' },
] as const;

export type Topic = (typeof TOPICS)[number]['id'];

/** Name patterns per topic, tried in TOPICS order (a key goes to the first that matches). */
const TOPIC_PATTERNS: [Topic, RegExp][] = [
  // OAuth2 clients and JWT keep their secrets with them.
  ['services', /^(SOCIAL_AUTH_|BACKEND_SERVICE_|JWT_)/],
  ['logging', /(^|_)(LOGGING|LOG|LOGS|SENTRY|NEWRELIC|MONITORING|DATADOG)(_|$)/],
  ['email', /(^|_)(EMAIL|EMAILS|SES|SMTP|MAIL|SAILTHRU|BRAZE|ACE)(_|$)/],
  ['brokers', /(^|_)(CELERY|CELERYD|BROKER|EVENT_BUS|KAFKA|SCHEMA_REGISTRY)(_|$)/],
  ['storage', /(^|_)(STORAGE|STORAGES|STATIC|STATICFILES|MEDIA|BUCKET|S3|AWS|FILE|FILES|CDN)(_|$)/],
  ['data', /(^|_)(DATABASES|DATABASE|CACHES|CACHE|REDIS|MEMCACHED|ELASTICSEARCH|HAYSTACK|SEARCH|ALGOLIA)(_|$)/],
  [
    'security',
    /(^|_)(SECRET|ALLOWED|HOSTS|CSRF|CORS|SESSION|COOKIE|SECURE|FERNET|HMAC|PASSWORD|X_FRAME|HSTS|RATELIMIT)(_|$)/,
  ],
  [
    'services',
    /(^|_)(URL|URLS|API|OAUTH|OAUTH2|JWT|SOCIAL|AUTH|BACKEND_SERVICE|SERVICE|HOST|PORT|ISSUER|LMS|WORKER)(_|$)|_URL_ROOT$/,
  ],
  [
    'features',
    /(^|_)(ENABLE|ENABLED|FEATURES|FEATURE|SWITCH|FLAG|FLAGS|PLATFORM|LANGUAGE|LANGUAGES|TIME_ZONE|THEME|THEMES|SITE|PARTNER|LOGO|FAVICON|CURRENCY)(_|$)/,
  ],
];

/** The topic of a key, from the words of its name. */
export function topicOf(key: string): Topic {
  for (const [topic, pattern] of TOPIC_PATTERNS) if (pattern.test(key)) return topic;
  return 'other';
}

/**
 * Django settings that describe how the code works, the same on every site: they are not
 * part of a deployment's configuration (Django's "Core settings" that the deployment
 * checklist never names).
 */
const DJANGO_INTERNALS = new Set([
  'USE_I18N',
  'USE_L10N',
  'USE_TZ',
  'USE_THOUSAND_SEPARATOR',
  'USE_DEPRECATED_PYTZ',
  'DEFAULT_HASHING_ALGORITHM',
  'APPEND_SLASH',
  'LOGIN_URL',
  'LOGOUT_URL',
  'LOGIN_REDIRECT_URL',
  'STATIC_URL',
  'MEDIA_URL',
  'DATE_FORMAT',
  'DATETIME_FORMAT',
  'FORMAT_MODULE_PATH',
  'DEFAULT_CHARSET',
  'FILE_UPLOAD_HANDLERS',
  'MESSAGE_STORAGE',
  'SESSION_SERIALIZER',
]);

/** Celery settings that tune how tasks are serialized and tracked: the code's, not the site's. */
const CELERY_INTERNAL =
  /SERIALIZER|ACCEPT_CONTENT|COMPRESSION|IGNORE_RESULT|STORE_ERRORS|TRACK_STARTED|SEND_.*EVENT|HIJACK_ROOT_LOGGER|^CELERY_IMPORTS$|ALWAYS_EAGER|^CELERY_ROUTES$|^CELERY_TASK_ROUTES$/;

/** A dotted path to a Python module, class or function (`rest_framework.pagination.PageNumberPagination`). */
const CLASS_PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/;

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Whether a value is Python wiring: one or more import paths and nothing an operator varies (no URL, no host). */
function isCodeWiring(value: unknown): boolean {
  const all = strings(value);
  return (
    all.length > 0 &&
    all.some((text) => CLASS_PATH.test(text) && /\.[a-z_]\w*\./.test(text)) &&
    !all.some((text) => text.includes('://'))
  );
}

/**
 * Why a setting with a default is left out of the example's optional part, or null when an
 * operator tunes it per deployment. Left out: development-only settings (debug, auto-auth),
 * Django's code-describing settings, Celery's serialization tuning, and values that are only
 * import paths (REST_FRAMEWORK classes, providers), except backends that pick a deployment's
 * email, storage, cache or logging service.
 */
export function internalReason(key: string, value: unknown): string | null {
  if (/(^|_)DEBUG(_|$)|AUTO_AUTH/.test(key)) return 'development';
  if (DJANGO_INTERNALS.has(key)) return 'framework';
  if (/(^|_)(CELERY|CELERYD)_/.test(key) && CELERY_INTERNAL.test(key)) return 'framework';
  const topic = topicOf(key);
  if (isCodeWiring(value) && !['email', 'storage', 'data', 'logging', 'brokers'].includes(topic)) return 'code';
  return null;
}
