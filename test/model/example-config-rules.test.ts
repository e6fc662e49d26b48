import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { renderExampleConfig, toExampleConfigModel } from '../../src/model/example-config.js';
import { toConfigSchema } from '../../src/model/example-schema.js';
import { fillExampleConfig } from '../../src/config/fill.js';
import { NotADjangoServiceError } from '../../src/errors.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';
import { fixtureNames, fixtureRepo } from '../support/fixtures.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";

/** The example model of an in-memory IDA: base settings, production after `from .base import *`, the load, then `after`. */
function model(opts: {
  base?: string;
  before?: string;
  after?: string;
  requirements?: string;
  files?: Record<string, string>;
}) {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': opts.base ?? '',
      'svc/settings/production.py': `from .base import *\n${opts.before ?? ''}${LOAD}${opts.after ?? ''}`,
      'requirements/base.txt': opts.requirements ?? 'django==4.2.16\nmysqlclient==2.2.4\n',
      ...opts.files,
    }),
  );
  return toExampleConfigModel(facts, resolveConfig(facts, {}));
}

const keys = (m: ReturnType<typeof model>) => [...m.required, ...m.overrides].map((entry) => entry.key);
const entry = (m: ReturnType<typeof model>, key: string) =>
  [...m.required, ...m.overrides].find((candidate) => candidate.key === key);

describe('example YAML: keys only for installed libraries', () => {
  const oauth = /^(JWT_AUTH|BACKEND_SERVICE_EDX_OAUTH2_|SOCIAL_AUTH_EDX_OAUTH2_)/;

  it('writes no JWT_AUTH, BACKEND_SERVICE_* or SOCIAL_AUTH_EDX_OAUTH2_* without edx-drf-extensions and edx-auth-backends', () => {
    expect(keys(model({})).filter((key) => oauth.test(key))).toEqual([]);
  });

  it('writes JWT_AUTH and BACKEND_SERVICE_* with edx-drf-extensions, SOCIAL_AUTH_EDX_OAUTH2_* with edx-auth-backends', () => {
    const drf = keys(model({ requirements: 'django==4.2.16\nedx-drf-extensions==10.5.0\n' }));
    expect(drf.filter((key) => oauth.test(key))).toEqual([
      'JWT_AUTH',
      'BACKEND_SERVICE_EDX_OAUTH2_KEY',
      'BACKEND_SERVICE_EDX_OAUTH2_SECRET',
      'BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL',
    ]);
    const backends = keys(model({ requirements: 'django==4.2.16\nedx-auth-backends==4.4.0\n' }));
    expect(backends.filter((key) => oauth.test(key))).toEqual([
      'SOCIAL_AUTH_EDX_OAUTH2_KEY',
      'SOCIAL_AUTH_EDX_OAUTH2_SECRET',
      'SOCIAL_AUTH_EDX_OAUTH2_ISSUER',
      'SOCIAL_AUTH_EDX_OAUTH2_URL_ROOT',
      'SOCIAL_AUTH_EDX_OAUTH2_PUBLIC_URL_ROOT',
    ]);
    expect(backends).toContain('SOCIAL_AUTH_REDIRECT_IS_HTTPS');
    expect(drf).toContain('EDX_DRF_EXTENSIONS');
    expect(keys(model({}))).not.toContain('EDX_DRF_EXTENSIONS');
  });
});

describe('example YAML: the broker key Celery reads', () => {
  const brokers = (m: ReturnType<typeof model>) => keys(m).filter((key) => /BROKER_URL$/.test(key));

  it.each([
    ['the settings define BROKER_URL', "BROKER_URL = 'redis://'\n", 'django==4.2.16\ncelery==5.4.0\n', 'BROKER_URL'],
    [
      'the settings define CELERY_BROKER_URL',
      "CELERY_BROKER_URL = ''\n",
      'django==3.2\ncelery==3.1.26\n',
      'CELERY_BROKER_URL',
    ],
    ['Celery 3 and no setting', '', 'django==3.2\ncelery==3.1.26\n', 'BROKER_URL'],
    ['Celery 5 and no setting', '', 'django==4.2.16\ncelery==5.4.0\n', 'CELERY_BROKER_URL'],
  ])('%s: %s', (_, base, requirements, key) => {
    expect(brokers(model({ base, requirements }))).toEqual([key]);
  });

  it('writes no broker without Celery', () => {
    expect(brokers(model({}))).toEqual([]);
  });
});

/** enterprise-catalog's broker: parts from the environment in base, the URL built from them again after the load. */
const PARTS = ['TRANSPORT', 'HOSTNAME', 'VHOST', 'USER', 'PASSWORD'].map((part) => `CELERY_BROKER_${part}`);
const BUILD_URL =
  "CELERY_BROKER_URL = '{}://{}:{}@{}/{}'.format(\n" +
  '    CELERY_BROKER_TRANSPORT,\n    CELERY_BROKER_USER,\n    CELERY_BROKER_PASSWORD,\n' +
  '    CELERY_BROKER_HOSTNAME,\n    CELERY_BROKER_VHOST\n)\n';
const ECAT_BROKER = {
  base: `import os\n${PARTS.map((name) => `${name} = os.environ.get('${name}', '')`).join('\n')}\n${BUILD_URL}`,
  after: `CELERY_WORKER_HIJACK_ROOT_LOGGER = False\n${BUILD_URL}`,
  requirements: 'django==4.2.16\ncelery==5.4.0\nmysqlclient==2.2.4\n',
};

describe('example YAML: a broker URL the settings build from its parts after the load (enterprise-catalog)', () => {
  const m = model(ECAT_BROKER);

  it('requires the parts, with the example Redis, and writes no URL the settings would overwrite', () => {
    const parts = m.required.filter((candidate) => candidate.key.startsWith('CELERY_BROKER_'));
    expect(Object.fromEntries(parts.map((part) => [part.key, part.value]))).toEqual({
      CELERY_BROKER_TRANSPORT: 'redis',
      CELERY_BROKER_USER: '',
      CELERY_BROKER_PASSWORD: 'CHANGE-ME-broker-password',
      CELERY_BROKER_HOSTNAME: 'redis.example.internal:6379',
      CELERY_BROKER_VHOST: '0',
    });
    expect(keys(m)).not.toContain('CELERY_BROKER_URL');
    expect(m.overrides.map((entry) => entry.key).filter((key) => PARTS.includes(key))).toEqual([]);
    expect(parts[0].comment).toBe(
      "Celery's broker, its transport (amqp for RabbitMQ); Celery is in the requirements (requirements/base.txt:2) " +
        'and CELERY_BROKER_URL is built from CELERY_BROKER_TRANSPORT, CELERY_BROKER_USER, CELERY_BROKER_PASSWORD, ' +
        'CELERY_BROKER_HOSTNAME, CELERY_BROKER_VHOST after the load (svc/settings/production.py:6) ' +
        '(default in svc/settings/base.py:2)',
    );
  });

  it('keeps the parts optional without Celery', () => {
    const plain = model({ ...ECAT_BROKER, requirements: 'django==4.2.16\n' });
    expect(plain.required.map((entry) => entry.key).filter((key) => PARTS.includes(key))).toEqual([]);
    expect(plain.overrides.map((entry) => entry.key)).toEqual(expect.arrayContaining(PARTS));
  });

  it('asks for a separate port when the settings build the URL with one', () => {
    const withPort = model({
      base: "CELERY_BROKER_HOST = ''\nCELERY_BROKER_PORT = 0\n",
      after: "CELERY_BROKER_URL = f'redis://{CELERY_BROKER_HOST}:{CELERY_BROKER_PORT}/0'\n",
      requirements: 'django==4.2.16\ncelery==5.4.0\n',
    });
    expect(entry(withPort, 'CELERY_BROKER_HOST')?.value).toBe('redis.example.internal');
    expect(entry(withPort, 'CELERY_BROKER_PORT')?.value).toBe(6379);
  });
});

describe('example YAML: no helper constant offered as a setting', () => {
  it("names enterprise-catalog's ONE_HOUR at the end instead of offering it; offers the settings it computes", () => {
    const m = model({ base: 'ONE_HOUR = 60 * 60\nCUSTOMER_CACHE_TIMEOUT = ONE_HOUR\n' });
    expect(keys(m)).not.toContain('ONE_HOUR');
    expect(m.omitted).toContain('ONE_HOUR');
    expect(entry(m, 'CUSTOMER_CACHE_TIMEOUT')?.value).toBe(3600);
  });
});

describe('example YAML: merge semantics per dict', () => {
  it('says which dicts the YAML updates, spreads or replaces', () => {
    const m = model({
      base: "JWT_AUTH = {'A': 1}\nFILES = {'B': 2}\nOTHER = {'C': 3}\n",
      before: "DICT_UPDATE_KEYS = ('JWT_AUTH',)\n",
      after: 'vars().update(FILES)\n',
      requirements: 'django==4.2.16\nedx-drf-extensions==10.5.0\n',
    });
    expect(entry(m, 'JWT_AUTH')?.comment).toMatch(/updates the JWT_AUTH dict: keys not given keep their defaults/);
    expect(entry(m, 'FILES')?.comment).toMatch(/each of its keys becomes a setting \(vars\(\)\.update\(FILES\)\)/);
    expect(entry(m, 'OTHER')?.comment).toMatch(/replaces the whole OTHER dict/);
  });

  it("says the YAML updates a dict the settings update with the YAML's value (analytics-data-api's JWT_AUTH)", () => {
    const m = model({
      base: "JWT_AUTH = {'JWT_AUTH_COOKIE': 'c'}\n",
      after: "JWT_AUTH_CONFIG = config_from_yaml.pop('JWT_AUTH', {})\nJWT_AUTH.update(JWT_AUTH_CONFIG)\n",
      requirements: 'django==4.2.16\nedx-drf-extensions==10.5.0\n',
    });
    expect(entry(m, 'JWT_AUTH')?.comment).toMatch(
      /; updates the JWT_AUTH dict: keys not given keep their defaults \(JWT_AUTH\.update\(\.\.\.\) at svc\/settings\/production\.py:6\)/,
    );
    expect(entry(m, 'JWT_AUTH')?.comment).not.toMatch(/replaces/);
  });
});

describe('example YAML: no default secret copied, labels only on secrets', () => {
  const m = model({
    base:
      "FERNET_KEYS = ['insecure-secret-key']\nHMAC_KEYS = {'k1': 'x'}\n" +
      "SENTRY_DSN = 'https://0123abcd@o1.ingest.sentry.io/5'\nEVENT_BUS_URL = 'redis://:pw@redis:6379/'\n" +
      "PAYMENTS = {'stripe': {'secret_key': 'x', 'publishable': 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'mode': 'live'}}\n" +
      'CORS_ALLOW_CREDENTIALS = True\nOAUTH_ID_TOKEN_EXPIRATION = 60\n',
  });

  it.each([
    ['FERNET_KEYS', ['CHANGE-ME-fernet-keys']],
    ['HMAC_KEYS', { k1: 'CHANGE-ME-hmac-keys-k1' }],
    ['SENTRY_DSN', 'https://CHANGE-ME-sentry-dsn-key@o1.ingest.sentry.io/5'],
    ['EVENT_BUS_URL', 'redis://:CHANGE-ME-event-bus-url-password@redis:6379/'],
    [
      'PAYMENTS',
      {
        stripe: {
          secret_key: 'CHANGE-ME-payments-stripe-secret-key',
          publishable: 'CHANGE-ME-payments-stripe-publishable',
          mode: 'live',
        },
      },
    ],
  ])('%s is a placeholder, labelled as a secret', (key, value) => {
    expect(entry(m, key)?.value).toEqual(value);
    expect(entry(m, key)?.comment).toMatch(/^Secret: set it/);
  });

  it.each([
    ['CORS_ALLOW_CREDENTIALS', true],
    ['OAUTH_ID_TOKEN_EXPIRATION', 60],
  ])('%s keeps its default and no secret label', (key, value) => {
    expect(entry(m, key)).toMatchObject({ value, comment: expect.stringMatching(/^Default from /) });
  });
});

describe('example YAML: defaults from the code', () => {
  it('evaluates defaults built from earlier settings, arithmetic and environment reads', () => {
    const m = model({
      base:
        "LANGUAGE_CODE = 'fr'\nPARLER_DEFAULT_LANGUAGE_CODE = LANGUAGE_CODE\nCACHE_TTL = 60 * 60\n" +
        "PATHS = {'receipt': RECEIPT}\nRECEIPT = '/r/'\nREGION = os.environ.get('REGION', 'us-east-1')\n",
    });
    expect(entry(m, 'PARLER_DEFAULT_LANGUAGE_CODE')?.value).toBe('fr');
    expect(entry(m, 'CACHE_TTL')?.value).toBe(3600);
    expect(entry(m, 'REGION')?.value).toBe('us-east-1');
    // RECEIPT is defined after PATHS reads it: not evaluated, shown commented out.
    expect(entry(m, 'PATHS')).toMatchObject({
      commented: true,
      comment: expect.stringContaining("{'receipt': RECEIPT}"),
    });
  });

  it('writes a computed default as a commented-out key, never as a value', () => {
    const m = model({ base: "STATIC_ROOT = root('assets')\n" });
    expect(entry(m, 'STATIC_ROOT')).toMatchObject({ value: null, commented: true });
    const text = renderExampleConfig(m);
    expect(text).toMatch(/^# Default computed at svc\/settings\/base\.py:1: root\('assets'\)$/m);
    expect(text).toMatch(/^# STATIC_ROOT:$/m);
    expect(parse(text)).not.toHaveProperty('STATIC_ROOT');
  });

  it('leaves out settings the production settings assign after the load, keeps those that read themselves', () => {
    const m = model({
      base: "DB_OVERRIDES = {}\nCURRENCY = 'USD'\n",
      after: "DB_OVERRIDES = dict(PASSWORD='x')\nCURRENCY = os.environ.get('CURRENCY', CURRENCY)\n",
    });
    expect(keys(m)).not.toContain('DB_OVERRIDES');
    expect(entry(m, 'CURRENCY')?.value).toBe('USD');
  });

  it('offers an *_APPS list the settings read after the load, never INSTALLED_APPS', () => {
    const m = model({
      base: "INSTALLED_APPS = ['a']\nEXTRA_APPS = []\nTHIRD_PARTY_APPS = ['b']\n",
      after: "if 'EXTRA_APPS' in locals():\n    INSTALLED_APPS += EXTRA_APPS\n",
    });
    expect(entry(m, 'EXTRA_APPS')?.value).toEqual([]);
    expect(keys(m)).not.toContain('INSTALLED_APPS');
    expect(keys(m)).not.toContain('THIRD_PARTY_APPS');
  });

  it("offers a setting the service's code reads with getattr(settings, ...) and a default", () => {
    const m = model({
      files: {
        'svc/apps/vc/settings.py':
          "from django.conf import settings\nVC = getattr(settings, 'VERIFIABLE_CREDENTIALS', {})\n",
        'svc/apps/vc/tests/test_x.py': "getattr(settings, 'TEST_ONLY', 1)\n",
      },
    });
    expect(entry(m, 'VERIFIABLE_CREDENTIALS')).toMatchObject({
      value: {},
      comment: expect.stringContaining('svc/apps/vc/settings.py:2'),
    });
    expect(keys(m)).not.toContain('TEST_ONLY');
  });
});

// analytics-data-api: edx-enterprise-data does `settings.LMS_BASE_URL + '/'` at import, and the
// example offered the code's `LMS_BASE_URL = None`: migrate died with a TypeError.
describe('example YAML: an example URL for a service URL whose code default is empty', () => {
  const m = model({
    base:
      "LMS_BASE_URL = None\nSTUDIO_URL_ROOT = ''\nMFE_URL = None\nDOCS_URL = 'https://docs.edx.org'\n" +
      "LOGOUT_REDIRECT_URL = ''\nREDIS_URL = None\nLOGO_URL = None\nLMS_URLS = None\n",
    files: {
      'svc/apps/a/views.py':
        'from django.conf import settings\nif settings.MFE_URL:\n    pass\n' +
        "x = getattr(settings, 'CATALOG_API_URL', None)\n",
    },
  });

  it.each([
    ['LMS_BASE_URL', 'https://lms.example.internal'],
    ['STUDIO_URL_ROOT', 'https://studio.example.internal'],
    ['CATALOG_API_URL', 'https://catalog-api.example.internal'],
  ])('offers %s as %s and says the default is empty', (key, url) => {
    expect(entry(m, key)).toMatchObject({
      value: url,
      comment: expect.stringMatching(
        /^(Read with getattr\(settings, \.\.\.\): )?Default at svc\/.*\.py:\d+ is (None|'')/,
      ),
    });
  });

  it.each([
    ['MFE_URL', null, 'tested for truth by the code: an off switch'],
    ['DOCS_URL', 'https://docs.edx.org', 'a default of its own'],
    ['LOGOUT_REDIRECT_URL', '', "Django's own path"],
    ['REDIS_URL', null, 'not a web service'],
    ['LOGO_URL', null, 'an image'],
    ['LMS_URLS', null, 'not one URL'],
  ])('keeps %s at %j (%s)', (key: string, value: string | null, _why: string) => {
    expect(entry(m, key)?.value).toEqual(value);
  });

  it('keeps None valid in the schema where it is the default', () => {
    const schema = toConfigSchema(m, 'svc', 'svc.schema.json');
    expect(schema.properties.LMS_BASE_URL).not.toHaveProperty('type');
    expect(schema.properties.STUDIO_URL_ROOT).toHaveProperty('type', 'string');
  });

  it('is an example host that filling maps like the others', () => {
    const filled = parse(fillExampleConfig(renderExampleConfig(m), { host: '127.0.0.1', fallback: () => 'v' }).text);
    expect(filled.LMS_BASE_URL).toBe('https://127.0.0.1');
  });
});

describe('example YAML: readable', () => {
  const m = model({
    base:
      "DEBUG_TOOLBAR_PANELS = ['debug_toolbar.panels.timer.TimerPanel']\nUSE_L10N = True\nDEBUG = False\n" +
      "REST_FRAMEWORK = {'DEFAULT_PAGINATION_CLASS': 'rest_framework.pagination.PageNumberPagination', 'PAGE_SIZE': 20}\n" +
      "EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'\nPLATFORM_NAME = 'Your Platform'\n" +
      "LMS_URL_ROOT = 'http://127.0.0.1:8000'\n",
  });

  it('leaves development settings, framework internals and code wiring out, naming them at the end', () => {
    expect(keys(m)).not.toEqual(expect.arrayContaining(['DEBUG_TOOLBAR_PANELS']));
    for (const key of ['DEBUG_TOOLBAR_PANELS', 'USE_L10N', 'DEBUG', 'REST_FRAMEWORK']) {
      expect(keys(m)).not.toContain(key);
      expect(m.omitted).toContain(key);
    }
    expect(keys(m)).toEqual(expect.arrayContaining(['EMAIL_BACKEND', 'PLATFORM_NAME', 'LMS_URL_ROOT']));
    expect(renderExampleConfig(m)).toMatch(/^# Not shown: .*\n# .*DEBUG_TOOLBAR_PANELS/m);
  });

  it('groups keys by topic, required first', () => {
    const text = renderExampleConfig(m);
    const order = [
      '--- Required',
      '-- Security',
      '-- Database',
      '--- Optional',
      '-- Other services',
      '-- Email',
      '-- Features',
    ];
    const positions = order.map((marker) => text.indexOf(`# ${marker}`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe('example YAML: no key the settings overwrite after the load', () => {
  it('writes no broker URL or CSRF_TRUSTED_ORIGINS that production builds itself, keeps the parts it reads', () => {
    const m = model({
      base: "CELERY_BROKER_URL = ''\nCELERY_BROKER_HOSTNAME = ''\nCSRF_TRUSTED_ORIGINS_WITH_SCHEMES = []\n",
      after:
        "CELERY_BROKER_URL = 'redis://{}'.format(CELERY_BROKER_HOSTNAME)\n" +
        'if True:\n    CSRF_TRUSTED_ORIGINS = CSRF_TRUSTED_ORIGINS_WITH_SCHEMES\n',
      requirements: 'django==4.2.16\ncelery==5.4.0\n',
    });
    expect(keys(m)).not.toContain('CELERY_BROKER_URL');
    expect(keys(m)).not.toContain('CSRF_TRUSTED_ORIGINS');
    expect(keys(m)).toEqual(expect.arrayContaining(['CELERY_BROKER_HOSTNAME', 'CSRF_TRUSTED_ORIGINS_WITH_SCHEMES']));
  });
});

describe('example YAML: every key is a real setting with its source', () => {
  it.each(fixtureNames())(
    '%s: each key cites the settings line, the code line or the installed requirement',
    (name) => {
      let facts: ReturnType<typeof analyzeRepo>;
      try {
        facts = analyzeRepo(new DiskReader(fixtureRepo(name)));
      } catch (error) {
        // Fixtures of repos with no service (not-django, operator) have no example.
        expect(error).toBeInstanceOf(NotADjangoServiceError);
        return;
      }
      if (facts.configVar.value === null) return;
      const m = toExampleConfigModel(facts, resolveConfig(facts, {}));
      // Django's own settings every service has.
      const sources = new Set([
        'SECRET_KEY',
        'ALLOWED_HOSTS',
        'DATABASES',
        'CACHES',
        ...facts.settingsDefaults.map((setting) => setting.name),
        ...facts.settingsWithoutDefault.map((setting) => setting.name),
        ...facts.codeSettingReads.map((read) => read.name),
      ]);
      for (const item of [...m.required, ...m.overrides]) {
        const cited = /\.py:\d+|is installed \(requirements|is in the requirements \(|Django's/.test(item.comment);
        // The second key of an OAuth2 client pair points at the first one's comment.
        const paired = /^The (secret of that client|LMS)/.test(item.comment);
        expect(cited || paired || sources.has(item.key), `${item.key}: ${item.comment}`).toBe(true);
      }
    },
  );
});
