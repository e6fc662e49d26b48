import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo } from '../support/fixtures.js';

function generated(name: string, flags: string[] = []): string {
  const dir = fs.mkdtempSync(join(tmpdir(), `openedx-ida-check-${name}-`));
  copyFixtureRepo(name, dir);
  const result = cli([dir, '--yes', ...flags]);
  expect(result.status, result.stderr).toBe(0);
  return dir;
}

describe('openedx-ida check', () => {
  it('exits 0 when every file is as regeneration would write it, and writes nothing', () => {
    const repo = generated('standard', ['--newrelic']);
    const before = fs.readFileSync(join(repo, 'Dockerfile'), 'utf8');
    const result = cli(['check', repo]);
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toContain(`${repo}: identical`);
    expect(result.stdout).toContain('Dockerfile.newrelic: identical');
    expect(fs.readFileSync(join(repo, 'Dockerfile'), 'utf8')).toBe(before);
  });

  it('treats your own edits as intended: no drift when the generator has nothing new', () => {
    const repo = generated('standard');
    fs.appendFileSync(join(repo, 'Dockerfile'), '# local note\n');
    const result = cli(['check', repo]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Dockerfile: identical apart from your edits');
  });

  it('exits 1 on drift with a diff and what in the repo changed', () => {
    const repo = generated('standard');
    for (const file of ['requirements/base.txt', 'requirements/production.txt', 'requirements/pip.txt']) {
      fs.writeFileSync(
        join(repo, file),
        fs.readFileSync(join(repo, file), 'utf8').replace('with Python 3.11', 'with Python 3.12'),
      );
    }
    const before = fs.readFileSync(join(repo, 'Dockerfile'), 'utf8');
    const result = cli(['check', repo]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('Dockerfile: stale: regeneration would update it');
    expect(result.stdout).toMatch(/^\s+-ARG PYTHON_VERSION=3\.11$/m);
    expect(result.stdout).toMatch(/^\s+\+ARG PYTHON_VERSION=3\.12$/m);
    expect(result.stdout).toContain('repo changed: pythonVersion 3.11 -> 3.12 (requirements/production.txt:2)');
    expect(fs.readFileSync(join(repo, 'Dockerfile'), 'utf8')).toBe(before);
  });

  it('says when files from another generator version would change', () => {
    const repo = generated('standard');
    for (const file of ['Dockerfile', '.openedx-ida/pristine/Dockerfile']) {
      const path = join(repo, file);
      fs.writeFileSync(
        path,
        fs
          .readFileSync(path, 'utf8')
          .replace(/generator-openedx-ida \S+:/, 'generator-openedx-ida 0.0.9:')
          .replace('--max-requests=1000', '--max-requests=500'),
      );
    }
    const result = cli(['check', repo, '--json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.repos[0].generatorNote).toMatch(
      /^files were written by generator 0\.0\.9; generator \S+ writes something different$/,
    );
  });

  it('exits 2 for a repo it cannot check, and reports every repo in JSON', () => {
    const good = generated('optional-load');
    const notGenerated = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-check-none-'));
    copyFixtureRepo('standard', notGenerated);
    const result = cli(['check', good, notGenerated, join(tmpdir(), 'no-such-repo'), '--json']);
    expect(result.status).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.exitCode).toBe(2);
    expect(report.repos.map((repo: { status: string }) => repo.status)).toEqual(['identical', 'error', 'error']);
    expect(report.repos[1].error).toMatch(/has no \.yo-rc\.json decisions/);
    expect(report.repos[0].files[0]).toEqual({
      file: 'Dockerfile',
      action: 'identical',
      drift: false,
      diff: '',
      writtenBy: expect.any(String),
    });
  });
});
