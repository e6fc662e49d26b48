/**
 * Builds the New Relic and private derivatives FROM the public image of the standard fixture
 * (tagged with the derivatives' default BASE_IMAGE), with no build arguments, and runs them with
 * the standard fixture's example YAML filled mechanically, against the local MariaDB, booted
 * through `openedx-ida smoke --keep` as every image in the e2e suite is.
 * - New Relic: the real `newrelic` agent from PyPI, with no license key: the agent's bootstrap
 *   runs and execs gunicorn in place, and the service still starts and serves.
 * - Private: a real private index, pypiserver with basic auth (passlib htpasswd) on 127.0.0.1,
 *   serving the wheel of test/e2e/private-plugin that the test builds; its URL with the
 *   credentials goes to buildah as the BuildKit secret, and must appear nowhere in the image.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'fs-extra';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  E2E_ID,
  ROOT,
  buildahBuild,
  cli,
  copyFixture,
  createDatabase,
  dockerBuild,
  dockerToBuildah,
  must,
  prepareEngines,
  prepareServices,
  removeContainer,
  smokeKeep,
  waitForHttp,
  workDir,
} from './engines.js';

const WORK = workDir('derivatives');
const TOOLS = join(process.env.OPENEDX_IDA_E2E_STATE ?? '/var/cache/openedx-ida-e2e', 'pypiserver-venv', 'bin');
const PUBLIC_IMAGE = 'docker.io/openedx/minicreds:main';
const PORT = 18150;
/** The standard fixture, generated: the repo whose example YAML smoke fills for every variant. */
const EXAMPLE_REPO = join(WORK, 'example');
const DB_PASSWORD = `db-${Math.random().toString(36).slice(2)}`;
const INDEX_PORT = 18991;
const INDEX_USER = 'e2e-operator';
const INDEX_TOKEN = `e2e-token-${Math.random().toString(36).slice(2)}`;
const INDEX_SECRET = join(WORK, 'pip-index-url');
const container = `openedx-ida-e2e-${E2E_ID}-derivative`;
/** Tags of the derived images (the public image keeps the derivatives' default BASE_IMAGE). */
const tag = (name: string) => `openedx-ida-e2e-${E2E_ID}/${name}`;
let index: ChildProcess | undefined;

/** Builds the private plugin's wheel and serves it from pypiserver, basic auth on every request. */
async function startPrivateIndex(): Promise<void> {
  const packages = join(WORK, 'index-packages');
  const source = join(WORK, 'private-plugin');
  fs.emptyDirSync(packages);
  fs.copySync(join(ROOT, 'test', 'e2e', 'private-plugin'), source);
  must(join(TOOLS, 'pip'), ['wheel', '--quiet', '--no-deps', '--no-build-isolation', '--wheel-dir', packages, source]);
  const htpasswd = join(WORK, 'htpasswd');
  must(join(TOOLS, 'python'), [
    '-c',
    'import sys; from passlib.apache import HtpasswdFile as H; f = H(sys.argv[1], new=True); ' +
      'f.set_password(sys.argv[2], sys.argv[3]); f.save()',
    htpasswd,
    INDEX_USER,
    INDEX_TOKEN,
  ]);
  index = spawn(
    join(TOOLS, 'pypi-server'),
    ['run', '-i', '127.0.0.1', '-p', String(INDEX_PORT), '-P', htpasswd, '-a', 'download,list,update', packages],
    { stdio: 'ignore' },
  );
  await waitForHttp(`http://127.0.0.1:${INDEX_PORT}/simple/`);
  fs.writeFileSync(INDEX_SECRET, `http://${INDEX_USER}:${INDEX_TOKEN}@127.0.0.1:${INDEX_PORT}/simple/`);
}

beforeAll(async () => {
  prepareEngines();
  prepareServices();
  fs.emptyDirSync(WORK);
  // The standard fixture's database, as its example YAML names it; smoke fills the YAML for each boot.
  copyFixture('standard', EXAMPLE_REPO);
  expect(cli([EXAMPLE_REPO, '--yes']).status).toBe(0);
  createDatabase({ name: 'minicreds', user: 'minicreds001', password: DB_PASSWORD });
  await startPrivateIndex();
}, 1_800_000);

afterAll(() => {
  removeContainer(container);
  index?.kill();
});

/** Boots the variant through `openedx-ida smoke --keep` (migrate, read-only, health/), then looks inside. */
async function expectServesAsUid1000(image: string) {
  smokeKeep(image, EXAMPLE_REPO, container, DB_PASSWORD);
  try {
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

/** The real agent's `newrelic-admin run-program` puts its bootstrap on PYTHONPATH and execs the program. */
function expectAgentBootstrap(running: { pid1: string[]; environ: string[] }) {
  expect(running.pid1.slice(0, 2).join(' ')).toMatch(/\/gunicorn$/);
  expect(running.environ.find((entry) => entry.startsWith('PYTHONPATH='))).toMatch(/newrelic\/bootstrap/);
  expect(running.environ).toContain('NEW_RELIC_LOG=stdout');
}

/** The credentials and the index host appear nowhere in what `docker history` and `inspect` show. */
function expectNoIndexSecret(image: string) {
  for (const view of [['history', '--no-trunc'], ['inspect']]) {
    const text = must('docker', [...view, image]);
    expect(text).not.toContain(INDEX_TOKEN);
    expect(text).not.toContain(INDEX_USER);
    expect(text).not.toContain(`127.0.0.1:${INDEX_PORT}`);
  }
}

it('the private index refuses anonymous downloads (so the secret is what lets the build in)', async () => {
  expect((await fetch(`http://127.0.0.1:${INDEX_PORT}/simple/openedx-e2e-plugin/`)).status).toBe(401);
});

describe('derivatives in the service repo', () => {
  const repo = join(WORK, 'service');

  beforeAll(() => {
    copyFixture('standard', repo);
    const generated = cli([
      repo,
      '--yes',
      '--newrelic',
      '--private',
      '--pip-packages',
      'openedx-e2e-plugin==1.0.0',
      '--copy',
      'minicreds/static:themes',
    ]);
    expect(generated.status, generated.stderr).toBe(0);
    dockerBuild(repo, PUBLIC_IMAGE);
    dockerToBuildah(PUBLIC_IMAGE, WORK);
  }, 900_000);

  it('builds the New Relic variant bare with the legacy builder; the real agent starts without a key and it serves', async () => {
    must('docker', [
      'build',
      '--network',
      'host',
      '-f',
      join(repo, 'Dockerfile.newrelic'),
      '-t',
      tag('minicreds:newrelic'),
      repo,
    ]);
    const cmd = JSON.parse(must('docker', ['inspect', '-f', '{{json .Config.Cmd}}', tag('minicreds:newrelic')]));
    expect(cmd.slice(0, 3)).toEqual(['newrelic-admin', 'run-program', 'gunicorn']);
    const running = await expectServesAsUid1000(tag('minicreds:newrelic'));
    try {
      expectAgentBootstrap(running);
      expect(running.exec(['python', '-c', 'import newrelic; print(newrelic.version)']).trim()).toMatch(
        /^\d+\.\d+\.\d+/,
      );
    } finally {
      removeContainer(container);
    }
    expect(must('docker', ['inspect', tag('minicreds:newrelic')])).not.toMatch(/LICENSE_KEY=/);
  });

  it('builds the private variant bare with buildah and the index secret; the plugin imports and no secret is in the image', async () => {
    buildahBuild(repo, tag('minicreds:private'), [
      '-f',
      join(repo, 'Dockerfile.private'),
      '--secret',
      `id=pip_index_url,src=${INDEX_SECRET}`,
    ]);
    const running = await expectServesAsUid1000(tag('minicreds:private'));
    try {
      expect(
        running.exec(['python', '-c', 'import openedx_e2e_plugin; print(openedx_e2e_plugin.PLUGIN_NAME)']).trim(),
      ).toBe('openedx-e2e-plugin');
      expect(running.exec(['ls', '/edx/app/minicreds/themes/css'])).toContain('site.css');
      expect(
        running.exec(['sh', '-c', 'grep -rl "$0" /etc /opt/venv /root /tmp 2>/dev/null || true', INDEX_TOKEN]).trim(),
      ).toBe('');
    } finally {
      removeContainer(container);
    }
    expectNoIndexSecret(tag('minicreds:private'));
  });
});

describe('derivatives in an operator repo without IDA source', () => {
  const repo = join(WORK, 'operator');
  const flags = [
    '--base-image',
    PUBLIC_IMAGE,
    '--service',
    'minicreds',
    '--port',
    String(PORT),
    '--wsgi-app',
    'minicreds.wsgi:application',
    '--gunicorn-config',
    'minicreds/docker_gunicorn_configuration.py',
  ];

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

  it('builds and serves the New Relic variant from flags alone, with the real agent', async () => {
    must('docker', [
      'build',
      '--network',
      'host',
      '-f',
      join(repo, 'Dockerfile.newrelic'),
      '-t',
      tag('operator:newrelic'),
      repo,
    ]);
    const running = await expectServesAsUid1000(tag('operator:newrelic'));
    removeContainer(container);
    expectAgentBootstrap(running);
  });

  it('builds the private variant with its private requirements from the private index and its theme; the plugin imports', async () => {
    buildahBuild(repo, tag('operator:private'), [
      '-f',
      join(repo, 'Dockerfile.private'),
      '--secret',
      `id=pip_index_url,src=${INDEX_SECRET}`,
    ]);
    const running = await expectServesAsUid1000(tag('operator:private'));
    try {
      expect(running.exec(['python', '-c', 'import openedx_e2e_plugin']).trim()).toBe('');
      expect(running.exec(['cat', '/edx/app/minicreds/themes/edx.org/static/theme.css'])).toContain('operator theme');
    } finally {
      removeContainer(container);
    }
    expectNoIndexSecret(tag('operator:private'));
  });
});
