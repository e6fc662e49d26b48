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

  it('a repo that is not an IDA, with --json as one object', () => {
    const result = cli(['smoke', 'any-image', fixtureCopy('not-django'), '--json']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).error.message).toMatch(/no Django service found/);
  });
});
