import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { toExampleConfigModel } from '../../src/model/example-config.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const LOAD =
  "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    config_from_yaml = yaml.safe_load(f)\n" +
  'vars().update(config_from_yaml)\n';

/** The example's broker keys (required), and the analysis warnings about a broker URL, for `after` the load. */
function broker(after: string, base = '') {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py': `from .base import *\n${LOAD}${after}`,
      'requirements/base.txt': 'django==4.2.16\nmysqlclient==2.2.4\ncelery==5.3.6\n',
    }),
  );
  const model = toExampleConfigModel(facts, resolveConfig(facts, {}));
  const keys = Object.fromEntries(
    model.required.filter((entry) => /BROKER|REDIS/.test(entry.key)).map((entry) => [entry.key, entry.value]),
  );
  const warnings = facts.warnings.filter((warning) => /BROKER_URL/.test(warning.message)).map((w) => w.source);
  return { keys, warnings };
}

describe('example YAML: a broker URL the settings rebuild after the load', () => {
  it.each([
    {
      shape: "a key read from the loaded YAML, the port in the URL ('redis://{}:6379/0'.format(...))",
      after: 'CELERY_BROKER_URL = "redis://{}:6379/0".format(config_from_yaml.get("REDIS_HOST", "localhost"))\n',
      keys: { REDIS_HOST: 'redis.example.internal' },
    },
    {
      shape: 'a key read by subscript, no port in the URL',
      after: 'CELERY_BROKER_URL = f"redis://{config_from_yaml[\'REDIS_HOST\']}/0"\n',
      keys: { REDIS_HOST: 'redis.example.internal:6379' },
    },
    {
      shape: 'an f-string of a setting with the port spelled',
      after: "CELERY_BROKER_URL = f'redis://{CELERY_BROKER_HOSTNAME}:6379/0'\n",
      base: "CELERY_BROKER_HOSTNAME = 'localhost'\n",
      keys: { CELERY_BROKER_HOSTNAME: 'redis.example.internal' },
    },
  ])('$shape: the read key is required with an example host', ({ after, base, keys }) => {
    expect(broker(after, base)).toEqual({ keys, warnings: [] });
  });

  it('a URL rebuilt under an if is not followed: one warning naming file:line', () => {
    const found = broker(
      "if CELERY_BROKER_HOSTNAME:\n    CELERY_BROKER_URL = f'redis://{CELERY_BROKER_HOSTNAME}/0'\n",
      "CELERY_BROKER_HOSTNAME = 'localhost:6379'\n",
    );
    expect(found.warnings).toEqual(['svc/settings/production.py:7']);
  });

  it('a URL assigned from nothing the YAML sets: one warning naming file:line', () => {
    expect(broker("CELERY_BROKER_URL = os.environ['BROKER']\n").warnings).toEqual(['svc/settings/production.py:6']);
  });

  it('a URL that keeps the YAML value (os.environ.get(..., CELERY_BROKER_URL)) is no warning', () => {
    const found = broker("CELERY_BROKER_URL = os.environ.get('BROKER', CELERY_BROKER_URL)\n");
    expect(found.warnings).toEqual([]);
    expect(Object.keys(found.keys)).toEqual(['CELERY_BROKER_URL']);
  });
});
