/**
 * Builds the New Relic and private derivatives FROM the public image of the standard
 * fixture (tagged with the derivatives' default BASE_IMAGE), with no build arguments,
 * and runs them. The `newrelic` package in the test wheelhouse is a stand-in for the
 * agent (test/e2e/standin/extra-wheels/newrelic): it provides `newrelic-admin run-program`,
 * which sets NEW_RELIC_STANDIN=1 and execs the program; it is not the agent.
 */
import fs from 'fs-extra';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildahBuild, cli, copyFixture, dockerBuild, dockerToBuildah, must, prepareEngines, removeContainer, startContainer, waitForHttp } from './engines.js';

const WORK = join(process.env.TMPDIR ?? '/tmp', 'openedx-ida-e2e-derivatives');
const PUBLIC_IMAGE = 'docker.io/openedx/minicreds:main';
const PORT = 18150;
const CONFIG = join(WORK, 'minicreds.yml');
const MOUNT = ['-v', `${CONFIG}:/edx/etc/minicreds.yml:ro`];
const INDEX_SECRET = join(WORK, 'pip-index-url');
const DUMMY_INDEX_URL = `https://e2e-user:e2e-token-${Date.now()}@pypi.example.invalid/simple`;
const container = 'openedx-ida-e2e-derivative';

beforeAll(() => {
  prepareEngines();
  fs.ensureDirSync(WORK);
  fs.writeFileSync(CONFIG, stringify({ SECRET_KEY: 'e2e', ALLOWED_HOSTS: ['localhost', '127.0.0.1'], PLATFORM_NAME: 'derived', DATABASES: { default: { ENGINE: 'django.db.backends.sqlite3', NAME: ':memory:' } } }));
  fs.chmodSync(CONFIG, 0o644);
  fs.writeFileSync(INDEX_SECRET, DUMMY_INDEX_URL);
}, 1_800_000);

afterAll(() => removeContainer(container));

async function expectServesAsUid1000(image: string) {
  startContainer(container, image, MOUNT);
  try {
    expect((await waitForHttp(`http://127.0.0.1:${PORT}/health/`)).status).toBe(200);
    expect(must('docker', ['exec', container, 'id', '-u']).trim()).toBe('1000');
    return {
      pid1: must('docker', ['exec', container, 'cat', '/proc/1/cmdline']).split('\0').filter(Boolean),
      environ: must('docker', ['exec', container, 'cat', '/proc/1/environ']).split('\0'),
      exec: (args: string[]) => must('docker', ['exec', container, ...args]),
    };
  } catch (error) {
    removeContainer(container);
    throw error;
  }
}

describe('derivatives in the service repo', () => {
  const repo = join(WORK, 'service');

  beforeAll(() => {
    copyFixture('standard', repo);
    const generated = cli([repo, '--yes', '--newrelic', '--private', '--pip-packages', 'openedx-e2e-plugin==1.0.0', '--copy', 'minicreds/static:themes']);
    expect(generated.status, generated.stderr).toBe(0);
    dockerBuild(repo, PUBLIC_IMAGE);
    dockerToBuildah(PUBLIC_IMAGE, WORK);
  }, 900_000);

  it('builds the New Relic variant bare with the legacy builder; it serves under newrelic-admin as the same user', async () => {
    must('docker', ['build', '--network', 'host', '-f', join(repo, 'Dockerfile.newrelic'), '-t', 'openedx-ida-e2e/minicreds:newrelic', repo]);
    const cmd = JSON.parse(must('docker', ['inspect', '-f', '{{json .Config.Cmd}}', 'openedx-ida-e2e/minicreds:newrelic']));
    expect(cmd.slice(0, 3)).toEqual(['newrelic-admin', 'run-program', 'gunicorn']);
    const running = await expectServesAsUid1000('openedx-ida-e2e/minicreds:newrelic');
    try {
      // newrelic-admin ran as PID 1 and exec'd gunicorn in place, as the real agent does.
      expect(running.environ).toContain('NEW_RELIC_STANDIN=1');
      expect(running.pid1.slice(0, 2).join(' ')).toMatch(/\/gunicorn$/);
      expect(running.environ).toContain('NEW_RELIC_LOG=stdout');
    } finally {
      removeContainer(container);
    }
    expect(must('docker', ['inspect', 'openedx-ida-e2e/minicreds:newrelic'])).not.toMatch(/LICENSE_KEY=/);
  });

  it('builds the private variant bare with buildah and a secret; the plugin imports and no secret is in the image', async () => {
    buildahBuild(repo, 'openedx-ida-e2e/minicreds:private', ['-f', join(repo, 'Dockerfile.private'), '--secret', `id=pip_index_url,src=${INDEX_SECRET}`]);
    const running = await expectServesAsUid1000('openedx-ida-e2e/minicreds:private');
    try {
      expect(running.exec(['python', '-c', 'import openedx_e2e_plugin; print(openedx_e2e_plugin.PLUGIN_NAME)']).trim()).toBe('openedx-e2e-plugin');
      expect(running.exec(['ls', '/edx/app/minicreds/themes/css'])).toContain('site.css');
    } finally {
      removeContainer(container);
    }
    for (const view of [['history', '--no-trunc'], ['inspect']]) {
      const text = must('docker', [...view, 'openedx-ida-e2e/minicreds:private']);
      expect(text).not.toContain('e2e-token');
      expect(text).not.toContain('pypi.example.invalid');
    }
  });
});

describe('derivatives in an operator repo without IDA source', () => {
  const repo = join(WORK, 'operator');
  const flags = ['--base-image', PUBLIC_IMAGE, '--service', 'minicreds', '--port', String(PORT), '--wsgi-app', 'minicreds.wsgi:application', '--gunicorn-config', 'minicreds/docker_gunicorn_configuration.py'];

  beforeAll(() => {
    copyFixture('operator', repo);
    expect(cli(['newrelic', repo, ...flags]).status).toBe(0);
    const generated = cli(['private', repo, '--copy', 'themes:themes']);
    expect(generated.status, generated.stderr).toBe(0);
    // The public image from the service repo describe block, or build it here.
    if (must('docker', ['images', '-q', PUBLIC_IMAGE]).trim() === '') {
      const service = join(WORK, 'service-for-operator');
      copyFixture('standard', service);
      expect(cli([service, '--yes']).status).toBe(0);
      dockerBuild(service, PUBLIC_IMAGE);
      dockerToBuildah(PUBLIC_IMAGE, WORK);
    }
  }, 900_000);

  it('builds and serves the New Relic variant from flags alone', async () => {
    must('docker', ['build', '--network', 'host', '-f', join(repo, 'Dockerfile.newrelic'), '-t', 'openedx-ida-e2e/operator:newrelic', repo]);
    const running = await expectServesAsUid1000('openedx-ida-e2e/operator:newrelic');
    removeContainer(container);
    expect(running.environ).toContain('NEW_RELIC_STANDIN=1');
  });

  it('builds the private variant with its private requirements and theme; the plugin imports', async () => {
    buildahBuild(repo, 'openedx-ida-e2e/operator:private', ['-f', join(repo, 'Dockerfile.private'), '--secret', `id=pip_index_url,src=${INDEX_SECRET}`]);
    const running = await expectServesAsUid1000('openedx-ida-e2e/operator:private');
    try {
      expect(running.exec(['python', '-c', 'import openedx_e2e_plugin']).trim()).toBe('');
      expect(running.exec(['cat', '/edx/app/minicreds/themes/edx.org/static/theme.css'])).toContain('operator theme');
    } finally {
      removeContainer(container);
    }
    expect(must('docker', ['history', '--no-trunc', 'openedx-ida-e2e/operator:private'])).not.toContain('e2e-token');
  });
});
