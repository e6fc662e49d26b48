import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo, expectedDir, fixtureNames } from '../support/fixtures.js';

const SERVICES = fixtureNames().filter((name) => !['not-django', 'operator'].includes(name));

/** Twenty repos: every service fixture (some twice) and one that is not a Django service. */
function twentyRepos(): { root: string; names: string[] } {
  const root = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-batch-'));
  const names: string[] = [];
  for (let i = 0; names.length < 19; i++) {
    const fixture = SERVICES[i % SERVICES.length];
    const name = i < SERVICES.length ? fixture : `${fixture}-${i}`;
    copyFixtureRepo(fixture, join(root, name));
    names.push(name);
  }
  copyFixtureRepo('not-django', join(root, 'broken'));
  fs.writeFileSync(join(root, 'broken', 'manage.py'), 'print("not django")\n');
  return { root, names: [...names, 'broken'].sort() };
}

describe('openedx-ida batch', () => {
  it('generates twenty repos in parallel; the broken one is named and the others succeed', () => {
    const { root, names } = twentyRepos();
    const result = cli(['batch', root, '--json', '--concurrency', '3']);
    expect(result.status).toBe(2);
    const run = JSON.parse(result.stdout);
    expect(run.repos.map((repo: { repo: string }) => repo.repo)).toEqual(names.map((name) => join(root, name)));
    const broken = run.repos.filter((repo: { error: string | null }) => repo.error);
    expect(broken.map((repo: { repo: string }) => repo.repo)).toEqual([join(root, 'broken')]);
    expect(broken[0].error).toMatch(/no Django service found/);
    for (const repo of run.repos.filter((r: { error: string | null }) => !r.error)) {
      // What the fixture's recorded output holds: a service that reads no YAML gets no example.
      const fixture = repo.repo.slice(root.length + 1).replace(/-\d+$/, '');
      const recorded = fs.readdirSync(expectedDir(fixture)).filter((file) => file !== 'detect.json');
      expect([...repo.created].sort()).toEqual([...recorded].sort());
    }
    // The batch writes what the generator writes.
    for (const fixture of SERVICES) {
      for (const file of ['Dockerfile', '.dockerignore']) {
        expect(fs.readFileSync(join(root, fixture, file), 'utf8'), `${fixture}/${file}`).toBe(
          fs.readFileSync(join(expectedDir(fixture), file), 'utf8'),
        );
      }
    }
  });

  it('prints a summary table and plain progress lines without a terminal; --check exits 0 after a generation', () => {
    const { root } = twentyRepos();
    fs.removeSync(join(root, 'broken'));
    const generate = cli(['batch', root]);
    expect(generate.status, generate.stdout).toBe(0);
    expect(generate.stdout.split('\n')[0]).toMatch(
      /^repo\s+created\s+changed\s+identical\s+conflicts\s+error \/ detected changes$/,
    );
    expect(generate.stderr).toMatch(/^\[1\/19\] .*: 4 created, 0 changed, 0 identical$/m);
    const check = cli(['batch', root, '--check']);
    expect(check.status, check.stdout).toBe(0);
    // A new native dependency (xmlsec needs libxmlsec1) in the requirements the image installs.
    const production = join(root, 'standard', 'requirements', 'production.txt');
    // The fact is sourced at the first native pin (mysqlclient), which stays where it was.
    const pinLine =
      fs
        .readFileSync(production, 'utf8')
        .split('\n')
        .findIndex((line) => line.startsWith('mysqlclient==')) + 1;
    fs.appendFileSync(production, 'xmlsec==1.3.14\n');
    const drift = cli(['batch', root, '--check', '--json']);
    expect(drift.status).toBe(1);
    const standard = JSON.parse(drift.stdout).repos.find((repo: { repo: string }) => repo.repo.endsWith('/standard'));
    // A native library changes the image's packages only: the database driver was already there.
    expect(standard.changed).toEqual(['Dockerfile']);
    expect(standard.repoChanges.join('\n')).toMatch(
      new RegExp(`^systemPackages .* \\(requirements/production\\.txt:${pinLine}\\)$`, 'm'),
    );
  });

  it('reads repos from a list file, and leaves a hand-written Dockerfile alone', () => {
    const root = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-batch-list-'));
    copyFixtureRepo('standard', join(root, 'a'));
    copyFixtureRepo('optional-load', join(root, 'b'));
    fs.writeFileSync(join(root, 'b', 'Dockerfile'), 'FROM python:3.11\n# ours\n');
    fs.writeFileSync(join(root, 'repos.txt'), '# our services\na\nb\n');
    const result = cli(['batch', '--list', join(root, 'repos.txt'), '--json', '--concurrency', '1']);
    expect(result.status).toBe(1);
    const [a, b] = JSON.parse(result.stdout).repos;
    // Dockerfile, .dockerignore, the example YAML and its schema.
    expect(a.created).toHaveLength(4);
    expect(b.conflicts).toEqual(['Dockerfile']);
    expect(fs.readFileSync(join(root, 'b', 'Dockerfile'), 'utf8')).toBe('FROM python:3.11\n# ours\n');
  });
});
