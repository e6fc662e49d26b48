import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { renderExampleConfig, toExampleConfigModel } from '../../src/model/example-config.js';
import { fillExampleConfig } from '../../src/config/fill.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";

function repo(production: string, base = 'DEBUG = False\n') {
  return analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.production')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py': `from .base import *\n${LOAD}${production}`,
      'requirements/base.txt': 'django==4.2.16\ngunicorn==23.0.0\n',
    }),
  );
}

describe('settings read with no default (only the YAML can set them)', () => {
  it.each<{ shape: string; production: string; base?: string; names: string[] }>([
    {
      shape: 'bare names read after the load (xqueue: LOG_DIR...)',
      production: "LOGGING = get_logger_config(LOG_DIR, logging_env=LOGGING_ENV)\nX = [NEWRELIC_KEY for _ in '']\n",
      names: ['LOG_DIR', 'LOGGING_ENV', 'NEWRELIC_KEY'],
    },
    {
      shape: 'a name the base settings define',
      production: 'X = LOG_DIR\n',
      base: "LOG_DIR = '/var/log'\n",
      names: [],
    },
    {
      shape: "a name guarded by 'X' in vars()",
      production: "X = DB_OVERRIDES if 'DB_OVERRIDES' in vars() else {}\n",
      names: [],
    },
    {
      shape: 'a name imported by the settings',
      production: 'from svc.constants import LOG_DIR\nX = LOG_DIR\n',
      names: [],
    },
    { shape: 'a read inside a function', production: 'def f():\n    return LOG_DIR\n', names: [] },
    {
      shape: 'comprehension and loop variables',
      production: 'Y = [K for K in []]\nfor N in []:\n    Z = N\n',
      names: [],
    },
    { shape: 'a keyword argument', production: 'Y = dict(LOG_DIR=1)\n', names: [] },
  ])('$shape', ({ production, base, names }) => {
    expect(repo(production, base).settingsWithoutDefault.map((setting) => setting.name)).toEqual(names);
  });

  it('reports nothing when the settings star-import a module outside the repo', () => {
    expect(repo('from third_party.settings import *\nX = LOG_DIR\n').settingsWithoutDefault).toEqual([]);
  });

  it('puts each one in the example YAML as a required placeholder, with where it is read', () => {
    const facts = repo('X = LOG_DIR\n');
    const entry = toExampleConfigModel(facts, resolveConfig(facts, {})).required.find((e) => e.key === 'LOG_DIR');
    expect(entry).toEqual({
      key: 'LOG_DIR',
      value: 'CHANGE-ME-log-dir',
      comment:
        'Read at svc/settings/production.py:5 with no default in the settings: the service does not start without it',
    });
  });

  it('marks a name read as the host of a (host, port) pair', () => {
    expect(repo('LOGGING = f(LOG_DIR, syslog_addr=(SYSLOG_ADDR, 514), other=(A, B))\n').settingsWithoutDefault).toEqual(
      [
        { name: 'LOG_DIR', source: 'svc/settings/production.py:5' },
        { name: 'SYSLOG_ADDR', source: 'svc/settings/production.py:5', host: true },
        { name: 'A', source: 'svc/settings/production.py:5' },
        { name: 'B', source: 'svc/settings/production.py:5' },
      ],
    );
  });

  it.each([
    ['SYSLOG_SERVER', 'X = SYSLOG_SERVER\n', 'syslog.example.internal'],
    ['DB_HOST', 'X = DB_HOST\n', 'db.example.internal'],
    ['SMTP_HOSTNAME', 'X = SMTP_HOSTNAME\n', 'smtp.example.internal'],
    ['LOG_TARGET', 'X = (LOG_TARGET, 514)\n', 'log-target.example.internal'],
    ['LOG_DIR', 'X = LOG_DIR\n', 'CHANGE-ME-log-dir'],
  ])('gives %s an example host when it holds one (by name or as a host:port pair)', (key, production, value) => {
    const facts = repo(production);
    const model = toExampleConfigModel(facts, resolveConfig(facts, {}));
    expect(model.required.find((e) => e.key === key)?.value).toBe(value);
    // The mechanical fill turns the example host into the servers' address, as an operator would.
    const filled = parse(
      fillExampleConfig(renderExampleConfig(model), { host: '127.0.0.1', fallback: () => 'x' }).text,
    );
    expect(filled[key]).toBe(value.startsWith('CHANGE-ME') ? 'x' : '127.0.0.1');
  });
});
