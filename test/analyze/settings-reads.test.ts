import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";

function facts(base: string, after = '', extra: Record<string, string> = {}) {
  return analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py': `from .base import *\n${LOAD}${after}`,
      ...extra,
    }),
  );
}

describe('settings defaults', () => {
  it.each([
    ["A = 'x'\nB = A", 'B', 'x'],
    ["A = 'x'\nB = A + '/y'", 'B', 'x/y'],
    ['B = [1] + [2]', 'B', [1, 2]],
    ['B = 60 * 60 - 10', 'B', 3590],
    ['B = 7 // 2', 'B', 3],
    ["B = os.environ.get('B', 'dflt')", 'B', 'dflt'],
    ["B = os.getenv('B')", 'B', null],
    [
      "A = 'en'\nB = {'default': {'fallbacks': [A]}, 1: ({'code': A},)}",
      'B',
      { default: { fallbacks: ['en'] }, 1: [{ code: 'en' }] },
    ],
  ])('evaluates %j', (base, name, value) => {
    const setting = facts(`${base}\n`).settingsDefaults.find((candidate) => candidate.name === name);
    expect(setting).toEqual({ name, value, source: expect.stringMatching(/^svc\/settings\/base\.py:\d+$/) });
  });

  it.each([
    ["B = root('assets')", "root('assets')"],
    ['B = UNKNOWN', 'UNKNOWN'],
    ["B = {  # why\n    'a': f(),\n}", "{ 'a': f(), }"],
  ])('keeps %j as computed source text', (base, computed) => {
    const setting = facts(`${base}\n`).settingsDefaults.find((candidate) => candidate.name === 'B');
    expect(setting).toMatchObject({ value: null, computed });
  });
});

describe('reads after the YAML load', () => {
  it('finds what production assigns again (unless from itself) and the dicts it spreads', () => {
    const result = facts(
      'A = 1\nB = 2\nC = {}\n',
      "A = 3\nB = os.environ.get('B', B)\nvars().update(C)\ndef f():\n    D = 1\n",
    );
    expect(result.overwrittenSettings).toEqual(['A']);
    expect(result.spreadSettings).toEqual(['C']);
  });

  // analytics-data-api: `REPORT_DOWNLOAD_BACKEND = config_from_yaml.pop('REPORT_DOWNLOAD_BACKEND', {})`
  // after the load takes the YAML's own key: the YAML sets it, and {} is what it holds without one.
  it.each([
    ["A = cfg.pop('A', {})", { value: {}, source: 'svc/settings/production.py:7' }],
    ["A = cfg.get('A', 'x')", { value: 'x', source: 'svc/settings/production.py:7' }],
    ["A = cfg.pop('A')", { value: null, source: 'svc/settings/production.py:7' }],
    ["A = cfg.pop('A', f())", { value: null, computed: 'f()', source: 'svc/settings/production.py:7' }],
  ])('keeps %j as a YAML key with its fallback as the default', (line, expected) => {
    const result = facts('A = {1: 2}\n', '', {
      'svc/settings/production.py':
        `from .base import *\nimport os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    cfg = yaml.safe_load(f)\n` +
        `\n\n${line}\nvars().update(cfg)\n`,
    });
    expect(result.overwrittenSettings).toEqual([]);
    expect(result.settingsDefaults.find((setting) => setting.name === 'A')).toEqual({ name: 'A', ...expected });
  });

  it.each([
    ["A = os.environ.get('A', {})", 'an environment read'],
    ["A = other.pop('A', {})", 'another dict'],
    ["A = cfg.pop('B', {})", "the YAML's key of another name"],
  ])('still counts %j as assigned again after the load (%s)', (line) => {
    const result = facts('A = {1: 2}\n', '', {
      'svc/settings/production.py':
        `from .base import *\nimport os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    cfg = yaml.safe_load(f)\n` +
        `${line}\nvars().update(cfg)\n`,
    });
    expect(result.overwrittenSettings).toEqual(['A']);
  });

  it.each([
    ['if settings.A:\n    pass\n', ['A']],
    ['if x:\n    pass\nelif settings.A:\n    pass\n', ['A']],
    ['x = flag and settings.A\n', ['A']],
    ['x = settings.A or settings.B\n', ['A', 'B']],
    ['x = not settings.A\n', ['A']],
    ['x = 1 if settings.A else 2\n', ['A']],
    ['while settings.A:\n    break\n', ['A']],
    ["x = settings.A + '/'\n", []],
    ['if settings.A == 1:\n    pass\n', []],
    ['x = settings.A if ok else settings.B\n', []],
    ['if settings.a:\n    pass\n', []],
  ])("finds the settings the service's code tests for truth in %j", (code, expected) => {
    const result = facts('', '', {
      'svc/apps/a/views.py': `from django.conf import settings\n${code}`,
      'svc/apps/a/tests/test_views.py': 'if settings.IN_TESTS:\n    pass\n',
    });
    expect(result.switchSettings.sort()).toEqual(expected);
  });

  it("finds getattr(settings, 'NAME', default) in the service's code, not in its tests or migrations", () => {
    const result = facts('', '', {
      'svc/apps/a/views.py': "x = getattr(settings, 'A_SETTING', 5)\ny = getattr(settings, name)\n",
      'svc/apps/a/tests/test_views.py': "getattr(settings, 'IN_TESTS', 1)\n",
      'svc/apps/a/migrations/0001_initial.py': "getattr(settings, 'IN_MIGRATIONS', 1)\n",
      'svc/apps/a/helpers.py': "getattr(settings, 'NO_DEFAULT')\n",
    });
    expect(result.codeSettingReads).toEqual([
      { name: 'NO_DEFAULT', value: undefined, source: 'svc/apps/a/helpers.py:1' },
      { name: 'A_SETTING', value: 5, source: 'svc/apps/a/views.py:1' },
    ]);
  });
});

describe('settings defaults with comments inside', () => {
  it('evaluates a list and a dict whose items carry comments', () => {
    const result = facts(
      "A = (\n    'http://a',  # app a\n    'http://b',\n)\nB = {\n    # why\n    'k': 1,  # one\n}\n",
    );
    expect(result.settingsDefaults.map(({ name, value }) => ({ name, value }))).toEqual([
      { name: 'A', value: ['http://a', 'http://b'] },
      { name: 'B', value: { k: 1 } },
    ]);
  });
});
