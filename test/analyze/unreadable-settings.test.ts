import fs from 'fs-extra';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { UnreadableFileError } from '../../src/errors.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo } from '../support/fixtures.js';

const PRODUCTION = 'minicreds/settings/production.py';

/** What replaces the production settings file, made on disk. */
const SHAPES: [string, (path: string, repo: string) => void, RegExp][] = [
  ['a directory', (path) => fs.mkdirSync(path), /a directory/],
  ['a FIFO', (path) => execFileSync('mkfifo', [path]), /not a regular file/],
  ['a dangling symlink', (path) => fs.symlinkSync('missing.py', path), /leads nowhere readable/],
  ['a symlink loop', (path) => fs.symlinkSync('production.py', path), /leads nowhere readable/],
  ['a link out of the repo', (path) => fs.symlinkSync('/etc/hostname', path), /leads nowhere readable/],
];

function repoWith(make: (path: string, repo: string) => void): string {
  const repo = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-settings-'));
  copyFixtureRepo('standard', repo);
  fs.removeSync(join(repo, PRODUCTION));
  make(join(repo, PRODUCTION), repo);
  return repo;
}

describe('production settings that are there but cannot be read', () => {
  it.each(SHAPES)(
    '%s: a one-line error naming the file, never the base settings',
    (_shape, make, reason) => {
      const repo = repoWith(make);
      let error: unknown;
      try {
        analyzeRepo(new DiskReader(repo));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UnreadableFileError);
      const { oneLine, exitCode } = error as UnreadableFileError;
      expect(exitCode).toBe(2);
      expect(oneLine).toContain(PRODUCTION);
      expect(oneLine).toMatch(reason);
      expect(oneLine).toContain('--settings-module');
      expect(oneLine).not.toContain('\n');
    },
    10_000,
  );

  it('takes a --settings-module pointing at a readable file instead', () => {
    const repo = repoWith((path) => fs.mkdirSync(path));
    fs.writeFileSync(
      join(repo, 'minicreds/settings/prod_real.py'),
      fs.readFileSync(join(repo, 'minicreds/settings/base.py')),
    );
    expect(
      analyzeRepo(new DiskReader(repo), { settingsModule: 'minicreds.settings.prod_real' }).settingsModule.value,
    ).toBe('minicreds.settings.prod_real');
  });

  it('refuses a --settings-module whose file is a FIFO, without blocking on it', () => {
    const repo = repoWith(() => undefined);
    execFileSync('mkfifo', [join(repo, 'minicreds/settings/fifo.py')]);
    expect(() => analyzeRepo(new DiskReader(repo), { settingsModule: 'minicreds.settings.fifo' })).toThrow(
      /minicreds\/settings\/fifo\.py .*not a regular file/,
    );
  }, 10_000);

  it('openedx-ida exits 2 with the one line and writes nothing (built CLI)', () => {
    const repo = repoWith((path) => execFileSync('mkfifo', [path]));
    const run = cli([repo, '--yes']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cannot read minicreds\/settings\/production\.py \(it is not a regular file/);
    expect(fs.existsSync(join(repo, 'Dockerfile'))).toBe(false);
  }, 30_000);
});
