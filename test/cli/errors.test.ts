/** How the built CLI fails: typo'd commands, and --json failures as JSON. */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { closestCommand } from '../../src/cli/suggest.js';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo } from '../support/fixtures.js';

beforeAll(() => {
  expect(fs.existsSync(join(__dirname, '..', '..', 'lib', 'src', 'cli', 'main.js')), 'run `npm run build` first').toBe(
    true,
  );
});

describe('a mistyped command', () => {
  it.each([
    [['detcet'], 'detect'],
    [['detcet', '.'], 'detect'],
    [['chekc', '--json'], 'check'],
    [['privat'], 'private'],
  ])('openedx-ida %j says unknown command, did you mean %s (exit 2)', (args, meant) => {
    const run = cli(args, tmpdir());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`unknown command "${args[0]}"`);
    expect(run.stderr).toContain(`did you mean ${meant}?`);
    expect(run.stderr).not.toMatch(/too many arguments/);
  });

  it('still takes an existing directory of that name as the repo', () => {
    const parent = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-typo-'));
    fs.mkdirSync(join(parent, 'detcet'));
    const run = cli(['detcet'], parent);
    expect(run.stderr).not.toContain('unknown command');
    expect(run.stderr).toContain('no Django service found in detcet');
  });

  it('suggests only what is close', () => {
    expect(closestCommand('lnit', ['lint', 'check'])).toBe('lint');
    expect(closestCommand('my-ida', ['lint', 'check', 'app'])).toBeUndefined();
    expect(closestCommand('ap', ['app'])).toBe('app');
    expect(closestCommand('x', ['app'])).toBeUndefined();
  });
});

describe('--json failures', () => {
  it.each([
    ['detect', ['detect', '/nonexistent/repo', '--json'], /no repository at \/nonexistent\/repo/],
    [
      'detect on a repo without Django',
      ['detect', fs.mkdtempSync(join(tmpdir(), 'openedx-ida-empty-')), '--json'],
      /no Django service found/,
    ],
  ])('%s prints a JSON error object on stdout', (_what, args, message) => {
    const run = cli(args);
    expect(run.status).toBe(2);
    const printed = JSON.parse(run.stdout) as { error: { message: string; nextStep: string; exitCode: number } };
    expect(printed.error.message).toMatch(message);
    expect(printed.error.nextStep).toEqual(expect.any(String));
    expect(printed.error.exitCode).toBe(2);
  });

  it('a mistyped command with --json prints JSON too', () => {
    const run = cli(['chekc', '--json']);
    expect(JSON.parse(run.stdout).error.message).toContain('unknown command');
  });
});

describe('a hostile .yo-rc.json', () => {
  it.each([['check'], ['batch', '--check']])('fails %s with exit 2, naming the stored key', (...command) => {
    const repo = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-hostile-'));
    copyFixtureRepo('standard', repo);
    const stored = { appDir: '/edx/app/x\nRUN touch /pwned', private: { aptPackages: ['libmagic1'] } };
    fs.writeJsonSync(join(repo, '.yo-rc.json'), { 'generator-openedx-ida': stored });
    const run = cli([...command, repo]);
    expect(run.status).toBe(2);
    expect(run.stdout + run.stderr).toContain('appDir in .yo-rc.json (--app-dir)');
    expect(fs.existsSync(join(repo, 'Dockerfile'))).toBe(false);
  });
});
