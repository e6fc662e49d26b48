/** The compose generator through Yeoman (golden files) and the built CLI (reruns, check, bad decisions). */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import helpers from 'yeoman-test';
import { beforeAll, describe, expect, it } from 'vitest';
import ComposeGenerator from '../../generators/compose/index.js';
import { cli } from '../e2e/engines.js';
import { FIXTURES_DIR, UPDATE_GOLDEN, copyFixtureRepo, listFiles } from '../support/fixtures.js';

const FIXTURES = [
  { name: 'standard', service: 'minicreds' },
  { name: 'celery-redis', service: 'license_manager' },
];

function fixtureCopy(name: string): string {
  const dir = fs.mkdtempSync(join(tmpdir(), `openedx-ida-compose-${name}-`));
  copyFixtureRepo(name, dir);
  return dir;
}

function expectGolden(path: string, actual: string) {
  if (UPDATE_GOLDEN) fs.outputFileSync(path, actual);
  else expect(actual).toBe(fs.readFileSync(path, 'utf8'));
}

beforeAll(() => {
  expect(fs.existsSync(join(__dirname, '..', '..', 'lib', 'src', 'cli', 'main.js')), 'run `npm run build` first').toBe(
    true,
  );
});

describe.each(FIXTURES)('compose for $name', ({ name, service }) => {
  it('yo openedx-ida:compose writes the recorded compose.yaml and local YAML, and stores compose.*', async () => {
    const result = await helpers
      .run(ComposeGenerator, {
        resolved: join(__dirname, '..', '..', 'generators', 'compose', 'index.ts'),
        namespace: 'openedx-ida:compose',
      })
      .inTmpDir((tmp) => copyFixtureRepo(name, tmp))
      .withOptions({ yes: true } as never);
    const written = listFiles(result.cwd).filter((file) => /^(compose\.yaml|[^/]+\.local\.yml)$/.test(file));
    expect(written).toEqual(['compose.yaml', `${service}.local.yml`]);
    for (const file of written) {
      expectGolden(join(FIXTURES_DIR, name, 'expected-compose', file), fs.readFileSync(join(result.cwd, file), 'utf8'));
    }
    expect(fs.readJsonSync(join(result.cwd, '.yo-rc.json'))['generator-openedx-ida']).toEqual({
      compose: {
        file: 'compose.yaml',
        mysqlImage: 'mysql:8.0',
        memcachedImage: 'memcached:1.6',
        redisImage: 'redis:7',
      },
    });
  });
});

describe('openedx-ida compose', () => {
  it('writes the same files on a second run, and check sees them identical until a decision changes', () => {
    const repo = fixtureCopy('celery-redis');
    expect(cli([repo, '--yes']).status).toBe(0);
    const first = cli(['compose', repo, '--yes']);
    expect(first.status, first.stderr).toBe(0);
    const before = fs.readFileSync(join(repo, 'compose.yaml'), 'utf8');
    const second = cli(['compose', repo, '--yes']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/identical .*compose\.yaml/);
    expect(second.stderr).toMatch(/identical .*license_manager\.local\.yml/);
    expect(fs.readFileSync(join(repo, 'compose.yaml'), 'utf8')).toBe(before);
    const clean = cli(['check', repo]);
    expect(clean.status, clean.stdout).toBe(0);
    expect(clean.stdout).toContain('compose.yaml: identical');

    const rc = join(repo, '.yo-rc.json');
    const stored = fs.readJsonSync(rc);
    stored['generator-openedx-ida'].compose.hostPort = 8080;
    fs.writeJsonSync(rc, stored);
    const drift = cli(['check', repo]);
    expect(drift.status, drift.stdout).toBe(1);
    expect(drift.stdout).toContain('+      - "8080:18170"');
  });

  it('regenerates when the repo changes: a renamed Celery app is a new worker command, seen by check', () => {
    const repo = fixtureCopy('celery-redis');
    expect(cli(['compose', repo, '--yes']).status).toBe(0);
    const celery = join(repo, 'license_manager', 'celery.py');
    fs.writeFileSync(celery, fs.readFileSync(celery, 'utf8').replaceAll('app', 'worker_app'));
    const drift = cli(['check', repo]);
    expect(drift.status, drift.stdout).toBe(1);
    expect(drift.stdout).toContain('license_manager.celery:worker_app');
    expect(cli(['compose', repo, '--yes']).status).toBe(0);
    expect(fs.readFileSync(join(repo, 'compose.yaml'), 'utf8')).toContain('license_manager.celery:worker_app');
  });

  it('refuses a bad decision in one line and writes nothing', () => {
    const repo = fixtureCopy('standard');
    const before = listFiles(repo);
    const result = cli(['compose', repo, '--yes', '--host-port', '70000']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'openedx-ida: --host-port "70000" is not valid (use a port between 1 and 65535); pass a valid --host-port',
    ]);
    expect(listFiles(repo)).toEqual(before);
  });

  it.each([
    [
      'operator',
      /^openedx-ida: .* holds no Django service to generate the compose stack from .*; run openedx-ida compose /,
    ],
    ['no-yaml-load', /^openedx-ida: VEDA\.settings\.production loads no YAML config, .*openedx-ida --config-var NAME/],
  ])('refuses the %s fixture in one line, naming the next step, and writes nothing', (name, message) => {
    const repo = fixtureCopy(name);
    const before = listFiles(repo);
    const result = cli(['compose', repo, '--yes']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(listFiles(repo)).toEqual(before);
  });
});
