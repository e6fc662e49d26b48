import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { toExampleConfigModel } from '../../src/model/example-config.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";
const IMPORT = 'from django.conf import settings\n';

function repo(files: Record<string, string>, base = 'DEBUG = False\n', production = '') {
  return analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.production')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py': `from .base import *\n${LOAD}${production}`,
      'requirements/base.txt': 'django==4.2.16\ngunicorn==23.0.0\n',
      ...files,
    }),
  );
}

const READY = `${IMPORT}class ApiConfig(AppConfig):\n    def ready(self):\n        apply_django_settings(settings.CODE_JAIL)\n`;

describe("settings the service's code reads at startup with no default anywhere", () => {
  it.each<{ shape: string; files: Record<string, string>; base?: string; found: object[] }>([
    {
      shape: "in an AppConfig's ready() (codejail-service's CODE_JAIL)",
      files: { 'svc/apps/api/apps.py': READY },
      found: [{ name: 'CODE_JAIL', source: 'svc/apps/api/apps.py:4', when: 'ready()' }],
    },
    {
      shape: 'at import: module level, class body, decorator, default argument',
      files: {
        'svc/a.py': `${IMPORT}X = settings.AT_MODULE\nclass C:\n    Y = settings.IN_CLASS\n@cache(settings.IN_DECORATOR)\ndef f(a=settings.IN_DEFAULT):\n    pass\n`,
      },
      found: [
        ['AT_MODULE', 2],
        ['IN_CLASS', 4],
        ['IN_DECORATOR', 5],
        ['IN_DEFAULT', 6],
      ].map(([name, line]) => ({ name, source: `svc/a.py:${line}`, when: 'import' })),
    },
    {
      shape: 'with the settings imported under another name',
      files: { 'svc/a.py': 'from django.conf import settings as django_settings\nX = django_settings.OTHER\n' },
      found: [{ name: 'OTHER', source: 'svc/a.py:2', when: 'import' }],
    },
    {
      shape: 'in a view, a nested function or a lambda (one request fails, not the start)',
      files: {
        'svc/views.py': `${IMPORT}def view(request):\n    return settings.IN_VIEW\nclass A:\n    def ready(self):\n        def inner():\n            return settings.NESTED\nF = lambda: settings.IN_LAMBDA\n`,
      },
      found: [],
    },
    {
      shape: "Django's own settings, and names the settings define",
      files: { 'svc/a.py': `${IMPORT}X = (settings.DEBUG, settings.CACHES, settings.STORAGES, settings.IN_BASE)\n` },
      base: "IN_BASE = 'x'\n",
      found: [],
    },
    {
      shape: 'under an if or a try (devstack-only, or guarded)',
      files: {
        'svc/urls.py': `${IMPORT}if settings.DEBUG:\n    X = settings.DEV_ONLY\ntry:\n    Y = settings.MAYBE\nexcept AttributeError:\n    Y = 1\n`,
      },
      found: [],
    },
    {
      shape: 'guarded by getattr or hasattr elsewhere in the code',
      files: {
        'svc/a.py': `${IMPORT}X = settings.GUARDED\n`,
        'svc/b.py': `${IMPORT}Y = hasattr(settings, 'GUARDED')\n`,
      },
      found: [],
    },
    {
      shape: "in tests and migrations, or through another module's settings",
      files: {
        'svc/tests/test_a.py': `${IMPORT}X = settings.IN_TESTS\n`,
        'svc/migrations/0001_initial.py': `${IMPORT}X = settings.IN_MIGRATION\n`,
        'svc/c.py': 'from svc import settings\nX = settings.NOT_DJANGO\n',
      },
      found: [],
    },
  ])('$shape', ({ files, base, found }) => {
    expect(repo(files, base).settingsWithoutDefault).toEqual(found);
  });

  it('reports nothing when the settings star-import a module outside the repo', () => {
    expect(
      repo({ 'svc/apps/api/apps.py': READY }, 'DEBUG = False\n', 'from third_party.settings import *\n')
        .settingsWithoutDefault,
    ).toEqual([]);
  });

  it("takes the shape from another settings module's dict (test.py: CODE_JAIL = {})", () => {
    const facts = repo({
      'svc/apps/api/apps.py': READY,
      'svc/settings/test.py': 'from .base import *\nCODE_JAIL = {}\n',
    });
    expect(facts.settingsWithoutDefault).toEqual([
      {
        name: 'CODE_JAIL',
        source: 'svc/apps/api/apps.py:4',
        when: 'ready()',
        example: { value: {}, source: 'svc/settings/test.py:2' },
      },
    ]);
    const entry = toExampleConfigModel(facts, resolveConfig(facts, {})).required.find((e) => e.key === 'CODE_JAIL');
    expect(entry).toEqual({
      key: 'CODE_JAIL',
      value: {},
      comment:
        'Read at svc/apps/api/apps.py:4 (in ready()) with no default in the settings or Django: the service does not ' +
        "start without it; the value shown is svc/settings/test.py:2's",
    });
  });

  it('asks for a placeholder when no other settings module gives a dict', () => {
    const facts = repo({ 'svc/apps/api/apps.py': READY, 'svc/settings/test.py': "CODE_JAIL = 'x'\n" });
    const entry = toExampleConfigModel(facts, resolveConfig(facts, {})).required.find((e) => e.key === 'CODE_JAIL');
    expect(entry?.value).toBe('CHANGE-ME-code-jail');
  });

  const entryOf = (files: Record<string, string>, key: string) => {
    const facts = repo(files);
    return toExampleConfigModel(facts, resolveConfig(facts, {})).required.find((e) => e.key === key);
  };

  it("gives a mapping of the keys read inside it (settings.X['a']['b'] at import), not a string", () => {
    const entry = entryOf(
      {
        'svc/a.py':
          `${IMPORT}A = settings.SERVICE_CONF['api']['url']\nB = settings.SERVICE_CONF['api']['key']\n` +
          "C = settings.SERVICE_CONF['timeout']\n",
      },
      'SERVICE_CONF',
    );
    expect(entry?.value).toEqual({
      api: { url: 'CHANGE-ME-service-conf-api-url', key: 'CHANGE-ME-service-conf-api-key' },
      timeout: 'CHANGE-ME-service-conf-timeout',
    });
    expect(entry?.comment).toMatch(/a mapping of the keys the code reads in it$/);
  });

  it.each([
    ['the whole condition', 'if settings.DEBUG_TOOLBAR_HOST:\n    X = 1\n'],
    [
      'under not / and',
      'if not settings.DEBUG_TOOLBAR_HOST and X:\n    pass\nelif (settings.DEBUG_TOOLBAR_HOST):\n    pass\n',
    ],
  ])('a read only tested for truth (%s) gets null, not an example host that switches it on', (_, code) => {
    const entry = entryOf({ 'svc/a.py': `${IMPORT}X = 0\n${code}` }, 'DEBUG_TOOLBAR_HOST');
    expect(entry?.value).toBeNull();
    expect(entry?.comment).toContain('only tested for truth');
  });

  it('a host also read as a value keeps its example host', () => {
    const code = `${IMPORT}if settings.CACHE_HOST:\n    X = 1\nY = connect(settings.CACHE_HOST)\n`;
    expect(entryOf({ 'svc/a.py': code }, 'CACHE_HOST')?.value).toBe('cache.example.internal');
  });
});
