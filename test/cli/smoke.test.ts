/** `openedx-ida smoke` refusing bad input before it boots anything (exit 2, one line). Booting: test/e2e/smoke.test.ts. */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo } from '../support/fixtures.js';

function fixtureCopy(name: string): string {
  const dir = fs.mkdtempSync(join(tmpdir(), `openedx-ida-smoke-${name}-`));
  copyFixtureRepo(name, dir);
  return dir;
}

describe('openedx-ida smoke refuses bad input', () => {
  it.each([
    [['--db-port', 'x'], /--db-port "x" is not a number from 1 to 65535/],
    [['--cache-port', '70000'], /--cache-port "70000" is not a number from 1 to 65535/],
    [['--db-host', 'db;rm'], /--db-host "db;rm" is not a host name or IP address/],
    [['--network', 'a b'], /--network "a b" is not a Docker network name/],
    [['--keep', '-x'], /--keep "-x" is not a container name/],
    [['--timeout', '0'], /--timeout "0" is not a number from 1 to 3600/],
  ])('%j', (flags, message) => {
    const repo = fixtureCopy('standard');
    const result = cli(['smoke', 'any-image', repo, ...flags]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    ['not YAML', 'A: [1\n', /cannot check .*ops\.yml: not YAML \(line \d\)/],
    ['a list', '- a\n- b\n', /ops\.yml: not a YAML mapping/],
    ['an alias bomb', aliasBomb(), /ops\.yml: not usable YAML: Excessive alias count/],
  ])('--config with %s: one line naming the file, before any docker command', (_, text, message) => {
    const repo = fixtureCopy('standard');
    const file = join(repo, 'ops.yml');
    fs.writeFileSync(file, text);
    // The image does not exist: the YAML is checked before docker is asked about it.
    const result = cli(['smoke', 'no-such-image-xyz', repo, '--config', file]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('--config with a missing file, and with a flag that only fills the example', () => {
    const repo = fixtureCopy('standard');
    const missing = cli(['smoke', 'any-image', repo, '--config', join(repo, 'none.yml')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/none\.yml: ENOENT/);
    fs.writeFileSync(join(repo, 'ops.yml'), 'SECRET_KEY: x\n');
    const clash = cli(['smoke', 'any-image', repo, '--config', join(repo, 'ops.yml'), '--db-name', 'x']);
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/--db-name fills the example YAML, but --config .* is mounted as it is/);
  });

  it('a repo that is not an IDA, with --json as one object', () => {
    const result = cli(['smoke', 'any-image', fixtureCopy('not-django'), '--json']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).error.message).toMatch(/no Django service found/);
  });
});

/** A "billion laughs" YAML: each level aliases the previous one ten times. */
function aliasBomb(): string {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level < 9; level++) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}
