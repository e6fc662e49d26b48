/**
 * `openedx-ida smoke` against the standard fixture's image and the local MariaDB and memcached
 * (test/e2e/prepare-services.sh): healthy exits 0; a wrong database password, an unreachable
 * database and an image that finds no YAML exit 1 saying why; bad input exits 2. The images
 * and derivatives suites boot every image through the same command (`--keep`).
 */
import fs from 'fs-extra';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  E2E_ID,
  ROOT,
  copyFixture,
  createDatabase,
  dockerBuild,
  prepareEngines,
  prepareServices,
  run,
  smoke as smokeCli,
  workDir,
} from './engines.js';

const WORK = workDir('smoke');
const REPO = join(WORK, 'standard');
const IMAGE = `openedx-ida-e2e-${E2E_ID}/standard:docker`;
const PASSWORD = `db-${Math.random().toString(36).slice(2)}`;

const smoke = (args: string[], password = PASSWORD) => smokeCli(args, password);

beforeAll(() => {
  prepareEngines();
  prepareServices();
  fs.emptyDirSync(WORK);
  copyFixture('standard', REPO);
  expect(run(process.execPath, [join(ROOT, 'bin', 'openedx-ida.js'), REPO, '--yes'], { input: '' }).status).toBe(0);
  dockerBuild(REPO, IMAGE);
  createDatabase({ name: 'minicreds', user: 'minicreds001', password: PASSWORD });
}, 1_800_000);

describe('openedx-ida smoke', () => {
  it('exits 0 for a healthy image, printing each step and the verdict, no secret', () => {
    const result = smoke([IMAGE, REPO]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'ok image',
      'ok config',
      'ok migrate',
      'ok start',
      'ok health',
      'healthy: minicreds',
    ]);
    expect(result.stdout).toMatch(/GET http:\/\/127\.0\.0\.1:18150\/health\/ \(Host: localhost\) answered 200/);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    // Removed afterwards.
    expect(run('docker', ['ps', '-a', '--filter', 'name=openedx-ida-smoke-', '-q']).stdout.trim()).toBe('');
  });

  it('exits 1 with a wrong database password, with the database error and without the password', () => {
    const wrong = `wrong-${Math.random().toString(36).slice(2)}`;
    const result = smoke([IMAGE, REPO, '--json'], wrong);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.healthy).toBe(false);
    expect(report.reason).toMatch(
      /^migrate failed: .*OperationalError: \(1045, "Access denied for user 'minicreds001'/,
    );
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });

  it('exits 1 when the database is unreachable, saying so', () => {
    const result = smoke([IMAGE, REPO, '--db-port', '3399']);
    expect(result.status).toBe(1);
    // mysqlclient on MariaDB Connector/C: (2002, "Can't connect to server on '127.0.0.1' (115)").
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(
      /^unhealthy: migrate failed: .*OperationalError: \(200[23], "Can't connect to (MySQL |MariaDB )?server on '127\.0\.0\.1/,
    );
  });

  it("exits 1 when the image finds no YAML where it looks, with the ENTRYPOINT's message", () => {
    // The repo's decisions moved the YAML after the image was built: smoke mounts it elsewhere.
    const moved = join(WORK, 'moved');
    fs.copySync(REPO, moved);
    const regenerated = run(process.execPath, [
      join(ROOT, 'bin', 'openedx-ida.js'),
      moved,
      '--yes',
      '--config-path',
      '/edx/etc/elsewhere.yml',
    ]);
    expect(regenerated.status, regenerated.stderr).toBe(0);
    const result = smoke([IMAGE, moved]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      'the image sets MINICREDS_CFG=/edx/etc/minicreds.yml: was it built from this repo?',
    );
    expect(result.stdout.trim().split('\n').at(-1)).toBe(
      'unhealthy: migrate failed (no YAML config): MINICREDS_CFG=/edx/etc/minicreds.yml: no readable YAML config at ' +
        '/edx/etc/minicreds.yml; mount your config file there (see minicreds.example.yml)',
    );
  });

  it('exits 2 for an image the engine does not have, and for a repo that is not an IDA', () => {
    const missing = smoke([`openedx-ida-e2e-${E2E_ID}/no-such-image:none`, REPO]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no image .*no-such-image:none/);
    const notIda = join(WORK, 'not-django');
    copyFixture('not-django', notIda);
    const bad = smoke([IMAGE, notIda]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no Django service found/);
  });
});
