import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";

function repo(production: string, extra: Record<string, string> = {}) {
  return new MemoryReader({
    'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
    'svc/__init__.py': '',
    'svc/wsgi.py': 'application = get_wsgi_application()\n',
    'svc/settings/__init__.py': '',
    'svc/settings/base.py':
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\nDATABASES['default']['BEFORE'] = 1\n",
    'svc/settings/production.py': `from .base import *\n${LOAD}${production}`,
    ...extra,
  });
}

describe('nested reads of settings dicts after the YAML load', () => {
  it.each([
    {
      shape: 'a read',
      code: "x = DATABASES['default']['OPTIONS']\n",
      reads: [
        { setting: 'DATABASES', keys: ['default', 'OPTIONS'], dict: false, source: 'svc/settings/production.py:5' },
      ],
    },
    {
      shape: 'an assignment below a key',
      code: "DATABASES['default']['OPTIONS']['init_command'] = 'x'\n",
      reads: [
        { setting: 'DATABASES', keys: ['default', 'OPTIONS'], dict: true, source: 'svc/settings/production.py:5' },
      ],
    },
    {
      shape: 'a method call',
      code: "CACHES['default']['OPTIONS'].update({'a': 1})\n",
      reads: [{ setting: 'CACHES', keys: ['default', 'OPTIONS'], dict: true, source: 'svc/settings/production.py:5' }],
    },
    {
      shape: 'a dynamic key',
      code: "for k, v in O.items():\n    DATABASES['default'][k] = v\n",
      reads: [{ setting: 'DATABASES', keys: ['default'], dict: true, source: 'svc/settings/production.py:6' }],
    },
    { shape: 'a top-level assignment (no nested key needed)', code: "DATABASES['default'] = {}\n", reads: [] },
    {
      shape: 'a read inside a function (not at import time)',
      code: "def f():\n    return DATABASES['default']['OPTIONS']\n",
      reads: [],
    },
    { shape: 'a lower-case variable', code: "local = {}\nlocal['a']['b'] = 1\n", reads: [] },
  ])('$shape', ({ code, reads }) => {
    expect(analyzeRepo(repo(code)).nestedSettingReads).toEqual(reads);
  });

  it('ignores reads before the load and follows modules executed after the loading one', () => {
    const facts = analyzeRepo(
      repo('', {
        'svc/settings/production.py':
          "from .base import *\nfrom .yaml_config import *\nDATABASES['default']['OPTIONS']['charset'] = 'utf8'\n",
        'svc/settings/yaml_config.py': `DATABASES['default']['EARLY'] = 1\n${LOAD}`,
      }),
    );
    expect(facts.nestedSettingReads).toEqual([
      { setting: 'DATABASES', keys: ['default', 'OPTIONS'], dict: true, source: 'svc/settings/production.py:3' },
    ]);
  });
});
