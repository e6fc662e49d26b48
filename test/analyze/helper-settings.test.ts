import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";

function helpers(base: string, after = '', code = '') {
  return analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/tasks.py': code,
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/devstack.py': 'from .base import *\nDEV_TIMEOUT = ONE_HOUR * 2\n',
      'svc/settings/production.py': `from .base import *\n${LOAD}${after}`,
    }),
  ).helperSettings;
}

describe('settings constants that only compute other settings', () => {
  const base = 'ONE_HOUR = 60 * 60\nCUSTOMER_CACHE_TIMEOUT = ONE_HOUR\nQUERY_CACHE_TIMEOUT = ONE_HOUR * 2\n';

  it("finds enterprise-catalog's ONE_HOUR, not the settings it computes", () => {
    expect(helpers(base)).toEqual(['ONE_HOUR']);
  });

  it.each([
    ['the code reads it from settings', '', 'from django.conf import settings\nx = settings.ONE_HOUR\n'],
    ['the code names it', '', "x = getattr(settings, 'ONE_HOUR', 1)\n"],
    ['the settings read it after the load (the YAML sets it)', 'LATE_TIMEOUT = ONE_HOUR\n', ''],
  ])('keeps it when %s', (_, after, code) => {
    expect(helpers(base, after, code)).toEqual([]);
  });

  it('keeps a name the code defines for itself apart (a ONE_HOUR of its own in tasks.py)', () => {
    expect(helpers(base, '', 'from datetime import timedelta\nONE_HOUR = timedelta(hours=1)\n')).toEqual(['ONE_HOUR']);
  });

  it.each([
    ["Django's own setting (MANAGERS = ADMINS)", "ADMINS = [('a', 'a@example.com')]\nMANAGERS = ADMINS\n"],
    ['a name tested in an if', 'FLAG = True\nX = FLAG\nif FLAG:\n    Y = 1\n'],
    ['a name only read by itself', 'X = []\nX = X + [1]\n'],
    ['a name read inside a function', 'X = 1\nY = X\ndef f():\n    return X\n'],
  ])('keeps %s', (_, settings) => {
    expect(helpers(settings)).toEqual([]);
  });
});
