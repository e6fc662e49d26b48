import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { toExampleConfigModel } from '../../src/model/example-config.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";

function repo(base: string, production = '') {
  return analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.production')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py': `from .base import *\nLOGGING['handlers']['local']['level'] = 'INFO'\n${LOAD}${production}`,
      'requirements/base.txt': 'django==4.2.16\ngunicorn==23.0.0\n',
    }),
  );
}

/** blockstore's and course-discovery's shape: a console handler and a syslog one on a socket. */
const logging = (address: string) =>
  "syslog_address = '/var/run/syslog' if platform.system().lower() == 'darwin' else '/dev/log'\n" +
  "LOGGING = {\n    'version': 1,\n    'handlers': {\n" +
  "        'console': {'class': 'logging.StreamHandler', 'stream': 'ext://sys.stdout'},\n" +
  `        'local': {'level': 'INFO', 'class': 'logging.handlers.SysLogHandler', 'address': ${address}},\n` +
  "    },\n    'loggers': {'': {'handlers': ['console', 'local']}},\n}\n";

describe('LOGGING through a local syslog socket', () => {
  it.each<{ shape: string; base: string; production?: string; found: string | null }>([
    {
      shape: 'a socket path in a variable (blockstore)',
      base: logging('syslog_address'),
      found: 'svc/settings/base.py:2',
    },
    { shape: "'/dev/log' written out", base: logging("'/dev/log'"), found: 'svc/settings/base.py:2' },
    { shape: 'a (host, port) server', base: logging("('syslog.internal', 514)"), found: null },
    {
      shape: 'console only',
      base: "LOGGING = {'handlers': {'console': {'class': 'logging.StreamHandler'}}}\n",
      found: null,
    },
    { shape: 'built by a function (handlers not readable)', base: 'LOGGING = get_logger_config()\n', found: null },
    {
      shape: 'assigned again after the YAML load (the YAML cannot replace it: xqueue)',
      base: logging('syslog_address'),
      production: "LOGGING = get_logger_config('/tmp')\n",
      found: null,
    },
  ])('$shape', ({ base, production, found }) => {
    expect(repo(base, production).syslogLogging).toBe(found);
  });

  it('gives the example YAML a LOGGING to stdout, saying why', () => {
    const facts = repo(logging('syslog_address'));
    const model = toExampleConfigModel(facts, resolveConfig(facts, {}));
    expect(model.required.find((entry) => entry.key === 'LOGGING')).toEqual({
      key: 'LOGGING',
      value: {
        version: 1,
        disable_existing_loggers: false,
        formatters: {
          standard: {
            format: '%(asctime)s %(levelname)s %(process)d [%(name)s] %(filename)s:%(lineno)d - %(message)s',
          },
        },
        handlers: { console: { class: 'logging.StreamHandler', formatter: 'standard', stream: 'ext://sys.stdout' } },
        root: { handlers: ['console'], level: 'INFO' },
      },
      comment:
        "The settings' LOGGING (svc/settings/base.py:2) sends records to a syslog socket (/dev/log) that a container " +
        'does not have (each one: "--- Logging error ---"); this one logs to stdout, the container\'s log',
    });
    expect(model.overrides.some((entry) => entry.key === 'LOGGING')).toBe(false);
  });
});
