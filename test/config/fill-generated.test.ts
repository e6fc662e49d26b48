import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { fillExampleConfig } from '../../src/config/fill.js';
import { resolveComposeConfig } from '../../src/model/compose.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { renderExampleConfig, toExampleConfigModel } from '../../src/model/example-config.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';
import { renderComposeFiles } from '../../src/render/compose.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";

/** An in-memory IDA: base settings, the YAML load in production, then `after`. */
function generated(base: string, after: string, requirements: string) {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py': `from .base import *\n${LOAD}${after}`,
      'requirements/base.txt': requirements,
    }),
  );
  const app = resolveConfig(facts, {});
  const example = renderExampleConfig(toExampleConfigModel(facts, app));
  const compose = resolveComposeConfig({}, undefined, app).config;
  const local = renderComposeFiles(facts, app, compose).get(compose.localConfig)!;
  // As smoke and an operator on the test machine fill it: every example host is the local server.
  const onHost = fillExampleConfig(example, {
    host: '127.0.0.1',
    placeholders: { 'CHANGE-ME-broker-password': '' },
    fallback: (name) => `filled-${name}`,
  }).text;
  return { local: parse(local), onHost: parse(onHost) };
}

/** Python's `'{}://{}:{}@{}/{}'.format(TRANSPORT, USER, PASSWORD, HOSTNAME, VHOST)`, as enterprise-catalog runs it. */
function brokerUrl(config: Record<string, unknown>): string {
  const parts = ['TRANSPORT', 'USER', 'PASSWORD', 'HOSTNAME', 'VHOST'].map((part) => config[`CELERY_BROKER_${part}`]);
  expect(parts.every((part) => typeof part === 'string')).toBe(true);
  const [transport, user, password, hostname, vhost] = parts as string[];
  return `${transport}://${user}:${password}@${hostname}/${vhost}`;
}

describe('filled example YAML of a service that builds its broker URL from parts (enterprise-catalog)', () => {
  const parts = ['TRANSPORT', 'HOSTNAME', 'VHOST', 'USER', 'PASSWORD'].map((part) => `CELERY_BROKER_${part}`);
  const build =
    "CELERY_BROKER_URL = '{}://{}:{}@{}/{}'.format(\n    CELERY_BROKER_TRANSPORT,\n    CELERY_BROKER_USER,\n" +
    '    CELERY_BROKER_PASSWORD,\n    CELERY_BROKER_HOSTNAME,\n    CELERY_BROKER_VHOST\n)\n';
  const { local, onHost } = generated(
    `import os\n${parts.map((name) => `${name} = os.environ.get('${name}', '')`).join('\n')}\n${build}`,
    build,
    'django==4.2.16\ncelery==5.4.0\nmysqlclient==2.2.4\n',
  );

  it("points the worker at the compose stack's Redis", () => {
    expect(brokerUrl(local)).toBe('redis://:@redis:6379/0');
  });

  it('points the worker at a Redis on the machine when every example host is 127.0.0.1', () => {
    expect(brokerUrl(onHost)).toBe('redis://:@127.0.0.1:6379/0');
  });
});

describe('filled example YAML of a multi-database service (analytics-data-api)', () => {
  const alias = (name: string) => `'${name}': {'ENGINE': 'django.db.backends.mysql', 'NAME': '${name}'}`;
  const { local, onHost } = generated(
    `DATABASES = {${['default', 'reports', 'reports_v1', 'enterprise'].map(alias).join(', ')}}\n`,
    '',
    'django==4.2.16\nmysqlclient==2.2.4\n',
  );

  type Databases = Record<string, { HOST: string; NAME: string }>;

  it('points every alias at the machine', () => {
    const databases = onHost.DATABASES as Databases;
    const hosts = Object.fromEntries(Object.entries(databases).map(([name, db]) => [name, db.HOST]));
    expect(hosts).toEqual({
      default: '127.0.0.1',
      reports: '127.0.0.1',
      reports_v1: '127.0.0.1',
      enterprise: '127.0.0.1',
    });
  });

  it("points every alias at the compose stack's database, the one it creates", () => {
    for (const db of Object.values(local.DATABASES as Databases)) expect([db.HOST, db.NAME]).toEqual(['db', 'svc']);
    expect(Object.keys(local.DATABASES)).toEqual(['default', 'reports', 'reports_v1', 'enterprise']);
  });
});
