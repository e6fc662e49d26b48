/**
 * Runs the generated compose.yaml of the runnable fixtures with a database, as a developer would:
 * `config` validates the untouched file, then `up -d --build` builds the service from its
 * Dockerfile, the one-shot migrate completes, the service (read-only, as uid 1000) answers its
 * health URL with 200 and, for Celery, a task goes through Redis to the worker; `down -v` leaves
 * no container, volume or network.
 *
 * The tool is whichever compose is real here: `docker compose` (v2) when the plugin is installed,
 * else Debian bookworm's docker-compose 1.29.2 (.ci/run installs it; Docker Hub and GitHub, where
 * v2 comes from, are not reachable). The servers' images (mysql:8.0, memcached:1.6, redis:7) are
 * the real ones when they can be pulled, else stand-ins from Debian packages
 * (prepare-compose-images.sh; the database is MariaDB standing in for MySQL 8).
 *
 * Tests here create no bridge network: a test-only override puts every service on the host
 * network, moves the servers off the ports the host's own MariaDB, memcached and Redis use
 * (prepare-services.sh) and mounts a copy of the local YAML pointed at 127.0.0.1 and those ports;
 * the app's `ports` is dropped from the merged file, since Docker refuses port bindings there.
 * The generated files themselves stay what a user runs, and the service is reached as `localhost`,
 * the host name the local YAML allows.
 */
import { execFileSync } from 'node:child_process';
import fs from 'fs-extra';
import { join } from 'node:path';
import { parse, parseDocument, stringify, visit } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ID, ROOT, cli, copyFixture, must, prepareEngines, run, waitForHttp, workDir } from './engines.js';

interface ComposeFixture {
  fixture: string;
  service: string;
  port: number;
  configPath: string;
  /** The table the Celery task writes to, when the fixture has a worker. */
  taskTable?: string;
}

const FIXTURES: ComposeFixture[] = [
  { fixture: 'standard', service: 'minicreds', port: 18150, configPath: '/edx/etc/minicreds.yml' },
  {
    fixture: 'celery-redis',
    service: 'license_manager',
    port: 18170,
    configPath: '/edx/etc/license_manager.yml',
    taskTable: 'license_manager_note',
  },
];

/** The servers' ports in the test: off 3306, 11211 and 6379, where the host's own servers listen. */
const PORTS = { db: 13306, memcached: 21211, redis: 16379 };
const ROOT_PASSWORD = 'local-only-database-root-password';
const WORK = workDir('compose');

/** `docker compose` when the v2 plugin answers, else docker-compose (v1). */
function composeTool(): string[] {
  if (run('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (run('docker-compose', ['version']).status === 0) return ['docker-compose'];
  throw new Error('no docker compose plugin and no docker-compose: apt-get install docker-compose (see .ci/run)');
}

let tool: string[] = [];

/** A devstack compose file of the repo's own (no ports: port detection must not read it). */
const DEVSTACK_COMPOSE = 'version: "2.1"\nservices:\n  devstack-only:\n    image: busybox\n';

beforeAll(() => {
  prepareEngines();
  execFileSync('bash', [join(ROOT, 'test', 'e2e', 'prepare-compose-images.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  tool = composeTool();
  fs.ensureDirSync(WORK);
}, 1_800_000);

/**
 * The local YAML, pointed at the servers on 127.0.0.1 at the test's ports: the compose service
 * names (db, memcached, redis) are the only hosts it names.
 */
function pointedAtLoopback(localYaml: string): string {
  const doc = parseDocument(localYaml);
  doc.setIn(['DATABASES', 'default', 'HOST'], '127.0.0.1');
  doc.setIn(['DATABASES', 'default', 'PORT'], PORTS.db);
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string') return;
      node.value = node.value
        .replace(/\bmemcached:11211\b/g, `127.0.0.1:${PORTS.memcached}`)
        .replace(/(@|\/\/)redis:6379\b/g, (_match, lead: string) => `${lead}127.0.0.1:${PORTS.redis}`);
    },
  });
  const text = doc.toString();
  expect(text).not.toMatch(/\b(db|memcached|redis):\d/);
  return text;
}

/** The test-only override: host network everywhere, servers on the test's ports, the loopback YAML. */
function override(
  compose: { services: Record<string, unknown> },
  testYaml: string,
  configPath: string,
  image: string,
): string {
  const services: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(compose.services)) services[name] = { network_mode: 'host' };
  Object.assign(services.db, {
    command: [`--port=${PORTS.db}`, '--bind-address=127.0.0.1'],
    // mysqladmin in the generated healthcheck reads its default port from MYSQL_TCP_PORT.
    environment: { MYSQL_TCP_PORT: String(PORTS.db) },
  });
  if (services.memcached) {
    Object.assign(services.memcached, {
      command: ['-l', '127.0.0.1', '-p', String(PORTS.memcached)],
      healthcheck: {
        test: ['CMD', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${PORTS.memcached}`],
      },
    });
  }
  if (services.redis) {
    Object.assign(services.redis, {
      command: [
        'redis-server',
        '--bind',
        '127.0.0.1',
        '--port',
        String(PORTS.redis),
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      healthcheck: { test: ['CMD', 'redis-cli', '-p', String(PORTS.redis), 'ping'] },
    });
  }
  for (const name of ['migrate', 'app', 'worker']) {
    // Built on the host network (dockerd has no bridge) under this checkout's tag.
    if (services[name]) Object.assign(services[name], { image, build: { network: 'host' } });
    if (services[name]) services[name].volumes = [`${testYaml}:${configPath}:ro`];
  }
  // YAML 1.1, as docker-compose v1 reads it: `no` and `16379` stay strings.
  return stringify({ services }, { version: '1.1' });
}

/** One line per container of the project: name, state and exit code. */
function containers(project: string): string[] {
  return must('docker', [
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Names}} {{.State}} {{.Status}}',
  ])
    .split('\n')
    .filter(Boolean);
}

describe.each(FIXTURES)('$fixture compose stack', (fixture) => {
  const repo = join(WORK, fixture.fixture);
  const project = `oie2e${E2E_ID}${fixture.fixture.replace(/[^a-z0-9]/g, '')}`;
  const testYaml = join(WORK, `${fixture.fixture}.loopback.yml`);
  const overrideFile = join(WORK, `${fixture.fixture}.override.yml`);
  const mergedFile = join(WORK, `${fixture.fixture}.merged.yml`);
  const files = () => ['-p', project, '-f', mergedFile];
  let networksBefore = '';

  beforeAll(() => {
    copyFixture(fixture.fixture, repo);
    // As in most IDA repos: a devstack docker-compose.yml of the repo's own, which compose reads first.
    fs.writeFileSync(join(repo, 'docker-compose.yml'), DEVSTACK_COMPOSE);
    for (const args of [
      [repo, '--yes'],
      ['compose', repo, '--yes'],
    ]) {
      const generated = cli(args);
      expect(generated.status, generated.stderr).toBe(0);
    }
    const localYaml = fs.readFileSync(join(repo, `${fixture.service}.local.yml`), 'utf8');
    fs.writeFileSync(testYaml, pointedAtLoopback(localYaml));
    fs.chmodSync(testYaml, 0o644);
    const compose = parse(fs.readFileSync(join(repo, 'compose.yaml'), 'utf8'));
    const image = `openedx-ida-e2e-${E2E_ID}/${fixture.fixture}:compose`;
    fs.writeFileSync(overrideFile, override(compose, testYaml, fixture.configPath, image));
    // Compose merges the override itself; the one thing an override cannot take away is `ports`,
    // which Docker refuses on the host network (where the service port is the host's anyway).
    const merged = parse(
      must(tool[0], [...tool.slice(1), '-f', join(repo, 'compose.yaml'), '-f', overrideFile, 'config'], { cwd: repo }),
    );
    expect(merged.services.app.ports).toHaveLength(1);
    delete merged.services.app.ports;
    fs.writeFileSync(mergedFile, stringify(merged, { version: '1.1' }));
    networksBefore = must('docker', ['network', 'ls', '-q']);
  }, 600_000);

  afterAll(() => {
    run(tool[0], [...tool.slice(1), ...files(), 'down', '-v', '--remove-orphans']);
  }, 120_000);

  it("the header's run line reads compose.yaml, not the repo's own docker-compose.yml", () => {
    const header = fs
      .readFileSync(join(repo, 'compose.yaml'), 'utf8')
      .match(/^# Run: docker compose (.*?) up --build/m);
    expect(header, 'a Run: line in the header').not.toBeNull();
    const flags = header![1].split(' ');
    expect(flags).toContain('-f');
    const services = (args: string[]) =>
      must(tool[0], [...tool.slice(1), ...args, 'config', '--services'], { cwd: repo })
        .trim()
        .split('\n')
        .sort();
    // Without the flags compose takes the devstack file: the flags are what makes the line work.
    expect(services([])).toEqual(['devstack-only']);
    expect(services(flags)).toEqual(
      Object.keys(parse(fs.readFileSync(join(repo, 'compose.yaml'), 'utf8')).services).sort(),
    );
  });

  it('validates with the compose tool, untouched', () => {
    const result = run(tool[0], [...tool.slice(1), '-f', join(repo, 'compose.yaml'), 'config', '-q'], { cwd: repo });
    expect(result.status, result.stderr).toBe(0);
  });

  it('comes up: migrate completes, the service answers health/ with 200, read-only as uid 1000', async () => {
    const up = run(tool[0], [...tool.slice(1), ...files(), 'up', '-d', '--build'], { cwd: repo });
    expect(up.status, `${up.stdout.slice(-3000)}\n${up.stderr.slice(-3000)}`).toBe(0);
    const health = await waitForHttp(`http://localhost:${fixture.port}/health/`, 180_000);
    expect(health.status, await health.text()).toBe(200);
    const migrate = containers(project).find((line) => line.includes('migrate'));
    expect(migrate, containers(project).join('\n')).toMatch(/ exited Exited \(0\)/);
    const app = must('docker', [
      'ps',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--filter',
      'label=com.docker.compose.service=app',
    ]).trim();
    expect(must('docker', ['exec', app, 'id', '-u']).trim()).toBe('1000');
    expect(must('docker', ['inspect', '-f', '{{.HostConfig.ReadonlyRootfs}}', app]).trim()).toBe('true');
    // The generated healthcheck (not the override's) turns the service healthy.
    const deadline = Date.now() + 120_000;
    let state = '';
    while (Date.now() < deadline && state !== 'healthy') {
      state = must('docker', ['inspect', '-f', '{{.State.Health.Status}}', app]).trim();
      if (state !== 'healthy') await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(state).toBe('healthy');
    expect(must('docker', ['network', 'ls', '-q'])).toBe(networksBefore);
  }, 900_000);

  it.runIf(fixture.taskTable)(
    'runs the Celery worker: a task sent through Redis writes a row',
    async () => {
      const text = `compose task ${Date.now()}`;
      const response = await fetch(`http://localhost:${fixture.port}/api/v1/tasks/`, {
        method: 'POST',
        body: JSON.stringify({ text }),
      });
      expect(response.status, await response.text()).toBe(202);
      const db = parse(fs.readFileSync(testYaml, 'utf8')).DATABASES.default;
      const count = () =>
        Number(
          must('mariadb', [
            '-h127.0.0.1',
            `-P${PORTS.db}`,
            '-uroot',
            `-p${ROOT_PASSWORD}`,
            '-N',
            '-e',
            `SELECT COUNT(*) FROM \`${db.NAME}\`.${fixture.taskTable} WHERE text = '${text}'`,
          ]).trim(),
        );
      const deadline = Date.now() + 60_000;
      while (count() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
      expect(count()).toBe(1);
    },
    120_000,
  );

  it('goes down with -v leaving no container, volume or network', () => {
    const down = run(tool[0], [...tool.slice(1), ...files(), 'down', '-v'], { cwd: repo });
    expect(down.status, down.stderr).toBe(0);
    expect(containers(project)).toEqual([]);
    expect(
      must('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`]).trim(),
    ).toBe('');
    expect(must('docker', ['network', 'ls', '-q'])).toBe(networksBefore);
  }, 120_000);
});
