import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";

function rebuilt(base: string, after: string) {
  return analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py': `from .base import *\n${LOAD}${after}`,
    }),
  ).rebuiltSettings;
}

describe('settings rebuilt from other settings after the YAML load', () => {
  it.each([
    [
      'a format() of the parts (enterprise-catalog)',
      "URL = '{}://{}@{}/{}'.format(\n    TRANSPORT,\n    USER,\n    HOSTNAME,\n    VHOST\n)\n",
      [{ name: 'URL', inputs: ['TRANSPORT', 'USER', 'HOSTNAME', 'VHOST'], source: 'svc/settings/production.py:5' }],
    ],
    [
      'an f-string, the last assignment winning',
      "URL = A\nURL = f'redis://{HOST}:{PORT}/0'\n",
      [{ name: 'URL', inputs: ['HOST', 'PORT'], source: 'svc/settings/production.py:6' }],
    ],
    ['a literal (nothing to set instead)', "URL = 'redis://'\n", []],
    ['a value that reads itself (the YAML still sets it)', "URL = os.environ.get('URL', URL)\n", []],
    ['inside a function', 'def f():\n    URL = HOST\n', []],
  ])('%s', (_, after, expected) => {
    expect(rebuilt('A = HOST = PORT = TRANSPORT = USER = HOSTNAME = VHOST = URL = 1\n', after)).toEqual(expected);
  });

  it('reads nothing before the load', () => {
    expect(rebuilt("HOST = 'h'\nURL = 'redis://' + HOST\n", '')).toEqual([]);
  });
});
