import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

/** analytics-data-api's load: the YAML parsed into config_from_yaml, then `after`, then the spread. */
function dictUpdates(after: string) {
  return analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': "JWT_AUTH = {'A': 1}\nOTHER = {}\n",
      'svc/settings/production.py':
        'import os, yaml\nfrom .base import *\n' +
        "with open(os.environ['SVC_CFG']) as f:\n  config_from_yaml = yaml.load(f, Loader=yaml.FullLoader)\n" +
        `${after}vars().update(config_from_yaml)\n`,
    }),
  ).dictUpdates;
}

describe("dict settings updated with the YAML's value after the load", () => {
  it.each([
    [
      'through a variable (analytics-data-api)',
      "JWT_AUTH_CONFIG = config_from_yaml.pop('JWT_AUTH', {})\nJWT_AUTH.update(JWT_AUTH_CONFIG)\n",
      [{ name: 'JWT_AUTH', source: 'svc/settings/production.py:6' }],
    ],
    [
      'directly',
      "JWT_AUTH.update(config_from_yaml.pop('JWT_AUTH', {}))\n",
      [{ name: 'JWT_AUTH', source: 'svc/settings/production.py:5' }],
    ],
    ["with the code's own values: the YAML's dict still replaces it", "JWT_AUTH.update({'B': 2})\n", []],
    ["with another key's value", "OTHER.update(config_from_yaml.pop('JWT_AUTH', {}))\n", []],
    ['inside a function', "def f():\n    JWT_AUTH.update(config_from_yaml.pop('JWT_AUTH', {}))\n", []],
  ])('%s', (_, after, expected) => {
    expect(dictUpdates(after)).toEqual(expected);
  });
});
