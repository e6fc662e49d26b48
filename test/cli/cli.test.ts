/** The built `openedx-ida` command as a user runs it: stdin closed, exit codes, files on disk. */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { FACT_KEYS } from '../../src/analyze/analyze.js';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo, listFiles } from '../support/fixtures.js';

function fixtureCopy(name: string): string {
  const dir = fs.mkdtempSync(join(tmpdir(), `openedx-ida-cli-${name}-`));
  copyFixtureRepo(name, dir);
  return dir;
}

beforeAll(() => {
  expect(fs.existsSync(join(__dirname, '..', '..', 'lib', 'src', 'cli', 'main.js')), 'run `npm run build` first').toBe(
    true,
  );
});

describe('openedx-ida', () => {
  it('writes the three files, then reports them identical on a second run', () => {
    const repo = fixtureCopy('standard');
    const first = cli([repo, '--yes']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/create .*Dockerfile/); // Yeoman logs to stderr
    const second = cli([repo, '--yes']);
    expect(second.status, second.stderr).toBe(0);
    for (const file of ['Dockerfile', '.dockerignore', 'minicreds.example.yml'])
      expect(second.stderr).toMatch(new RegExp(`identical .*${file.replace('.', '\\.')}`));
  });

  it('runs without a terminal and without --yes, taking detected values', () => {
    const repo = fixtureCopy('standard');
    expect(cli([repo]).status).toBe(0);
    expect(fs.readFileSync(join(repo, 'Dockerfile'), 'utf8')).toContain('EXPOSE 18150');
  });

  it('never overwrites a hand-written Dockerfile without asking: exits 1 with stdin closed, overwrites with --force', () => {
    const repo = fixtureCopy('standard');
    fs.writeFileSync(join(repo, 'Dockerfile'), 'FROM python:3.11\n# hand-written\n');
    const conflict = cli([repo, '--yes']);
    expect(conflict.status).toBe(1);
    expect(conflict.stderr).toMatch(/--force/);
    expect(fs.readFileSync(join(repo, 'Dockerfile'), 'utf8')).toContain('# hand-written');
    expect(cli([repo, '--yes', '--force']).status).toBe(0);
    expect(fs.readFileSync(join(repo, 'Dockerfile'), 'utf8')).not.toContain('# hand-written');
  });

  it('refuses a run that meets a hand-written file before writing anything: the --force run is still a first run', () => {
    const repo = fixtureCopy('standard');
    fs.writeFileSync(join(repo, 'Dockerfile'), 'FROM python:3.11\n# hand-written\n');
    const before = listFiles(repo);
    const refused = cli([repo, '--yes']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/conflict .*Dockerfile/);
    expect(refused.stderr).not.toMatch(/^\s*(create|update|force) /m);
    expect(refused.stderr).toContain('nothing was written');
    expect(listFiles(repo)).toEqual(before);
    const forced = cli([repo, '--yes', '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('Next:');
  });

  it('reports its own state files as update, not as a forced overwrite', () => {
    const repo = fixtureCopy('standard');
    expect(cli([repo, '--yes']).status).toBe(0);
    const again = cli([repo, '--yes', '--workers', '4']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/update .*\.yo-rc\.json/);
    expect(again.stderr).toMatch(/update .*\.openedx-ida\/pristine\/Dockerfile/);
    expect(again.stderr).not.toMatch(/force .*(\.yo-rc\.json|\.openedx-ida)/);
  });

  it('regenerating keeps an edit to a generated file, takes decision changes, and exits 1 on a clash', () => {
    const repo = fixtureCopy('standard');
    const dockerfile = join(repo, 'Dockerfile');
    expect(cli([repo, '--yes']).status).toBe(0);
    fs.writeFileSync(
      dockerfile,
      fs.readFileSync(dockerfile, 'utf8').replace('ARG PYTHON_VERSION=3.11\n', 'ARG PYTHON_VERSION=3.11\n# our note\n'),
    );
    const merged = cli([repo, '--yes', '--workers', '4']);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stderr).toMatch(/merged Dockerfile/);
    expect(fs.readFileSync(dockerfile, 'utf8')).toContain('# our note\n');
    expect(fs.readFileSync(dockerfile, 'utf8')).toContain('"--workers=4"');
    fs.writeFileSync(dockerfile, fs.readFileSync(dockerfile, 'utf8').replace('"--workers=4"', '"--workers=8"'));
    const clash = cli([repo, '--yes', '--workers', '6']);
    expect(clash.status).toBe(1);
    expect(clash.stderr).toMatch(/conflicts in Dockerfile/);
    expect(fs.readFileSync(dockerfile, 'utf8')).toMatch(/<<<<<<< your edit[\s\S]*--workers=8[\s\S]*>>>>>>> generator/);
  });

  it('exits 2 with one line naming what it looked for on a repo that is not a Django service, writing nothing', () => {
    const repo = fixtureCopy('not-django');
    const before = listFiles(repo);
    const result = cli([repo, '--yes']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^openedx-ida: no Django service found in .* \(looked for manage\.py .*\); run it at the root of an IDA repository, or pass --django-package/,
      ),
    ]);
    expect(listFiles(repo)).toEqual(before);
  });

  it('refuses to write through a symlink that points out of the repo, writing nothing', () => {
    const repo = fixtureCopy('standard');
    const outside = join(fs.mkdtempSync(join(tmpdir(), 'openedx-ida-outside-')), 'target');
    fs.writeFileSync(outside, 'not yours\n');
    fs.symlinkSync(outside, join(repo, 'Dockerfile'));
    const result = cli([repo, '--yes']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('openedx-ida: refusing to write Dockerfile: it is a symlink');
    expect(fs.readFileSync(outside, 'utf8')).toBe('not yours\n');
    expect(fs.existsSync(join(repo, 'minicreds.example.yml'))).toBe(false);
  });

  it('exits 2 on a missing path without creating it', () => {
    const missing = join(tmpdir(), `openedx-ida-missing-${Date.now()}`);
    const result = cli([missing, '--yes']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`no repository at ${missing}`);
    expect(fs.existsSync(missing)).toBe(false);
  });

  // Exit 1 of a generator means "written with unresolved variables": a rejected command line is 2, as for every command.
  it.each([
    [['REPO', '--bogus']],
    [['app', 'REPO', '--yes', '--bogus']],
    [['kubernetes', 'REPO', '--bogus']],
    [['ci', 'REPO', '--bogus', '--yes']],
    [['app', 'REPO', '--yes', '--workers']],
  ])('exits 2 on a command line commander rejects (%j), writing nothing', (args) => {
    const repo = fixtureCopy('standard');
    const before = listFiles(repo);
    const result = cli(args.map((arg) => (arg === 'REPO' ? repo : arg)));
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/error: (unknown option '--bogus'|option '--workers <value>' argument missing)/);
    expect(listFiles(repo)).toEqual(before);
  });

  it('takes numeric flags with a value (--port 9000 --uid 1001)', () => {
    const repo = fixtureCopy('standard');
    const result = cli([repo, '--yes', '--port', '9000', '--uid', '1001']);
    expect(result.status, result.stderr).toBe(0);
    const dockerfile = fs.readFileSync(join(repo, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('EXPOSE 9000\n');
    expect(dockerfile).toContain('USER 1001:1001\n');
  });

  it('writes derivatives in an operator repo from flags, and names the missing ones', () => {
    const repo = fixtureCopy('operator');
    const missing = cli(['newrelic', repo, '--service', 'minicreds']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/needs --base-image, --port, --wsgi-app/);
    const ok = cli([
      'newrelic',
      repo,
      '--base-image',
      'docker.io/openedx/minicreds:main',
      '--service',
      'minicreds',
      '--port',
      '18150',
      '--wsgi-app',
      'minicreds.wsgi:application',
    ]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(fs.readFileSync(join(repo, 'Dockerfile.newrelic'), 'utf8')).toContain('EXPOSE 18150\n');
    // A rerun needs no flags: they were stored.
    expect(cli(['newrelic', repo]).status).toBe(0);
  });

  it('writes both derivatives in an empty operator directory', () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-empty-operator-'));
    const flags = [
      '--base-image',
      'registry.example.com/openedx/credentials:redwood.3',
      '--service',
      'credentials',
      '--port',
      '18150',
      '--wsgi-app',
      'credentials.wsgi:application',
    ];
    expect(cli(['newrelic', dir, ...flags]).status).toBe(0);
    const result = cli(['private', dir, '--pip-packages', 'edx-plugin==1.0']);
    expect(result.status, result.stderr).toBe(0);
    const privateFile = fs.readFileSync(join(dir, 'Dockerfile.private'), 'utf8');
    expect(privateFile).toContain('ARG BASE_IMAGE=registry.example.com/openedx/credentials:redwood.3\n');
    expect(privateFile).toContain('pip install --no-cache-dir edx-plugin==1.0');
    expect(fs.readFileSync(join(dir, 'Dockerfile.newrelic'), 'utf8')).toContain(
      '"newrelic-admin","run-program","gunicorn","--workers=2","--name","credentials"',
    );
  });

  it('exits 2 on an invalid flag value, writing nothing', () => {
    const repo = fixtureCopy('standard');
    const before = listFiles(repo);
    const result = cli([repo, '--yes', '--python-version', 'latest']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--python-version "latest" is not valid/);
    expect(listFiles(repo)).toEqual(before);
  });

  it('detect --json prints every fact with value, source and rule', () => {
    const result = cli(['detect', fixtureCopy('var-not-package'), '--json']);
    expect(result.status, result.stderr).toBe(0);
    const facts = JSON.parse(result.stdout);
    for (const key of FACT_KEYS) expect(Object.keys(facts[key]).sort(), key).toEqual(['rule', 'source', 'value']);
    expect(facts.configVar).toEqual({
      value: 'CATALOG_CFG',
      source: 'program_catalog/settings/production.py:11',
      rule: expect.stringContaining('yaml.safe_load'),
    });
    expect(facts.service.value).toBe('catalog');
  });

  it('detect prints a table with the source of each fact', () => {
    const result = cli(['detect', fixtureCopy('standard')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/configVar\s+MINICREDS_CFG\n\s+↳ minicreds\/settings\/production\.py:14/);
  });

  it('detect exits 2 on a repo that is not a Django service', () => {
    expect(cli(['detect', fixtureCopy('not-django')]).status).toBe(2);
  });
});

describe('openedx-ida lint', () => {
  const bad = () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-lint-'));
    fs.writeFileSync(join(dir, 'Dockerfile'), 'FROM python\nRUN pip install x\nCMD gunicorn app\n');
    return join(dir, 'Dockerfile');
  };

  it('prints hadolint-style findings and exits 1 at the default threshold', () => {
    const file = bad();
    const result = cli(['lint', file]);
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      `${file}:1 OI010 error: no USER in the final image: it runs as root; add USER <uid>:<gid>`,
      `${file}:1 OI040 warning: FROM python: no tag, so it means :latest; pin a version`,
      `${file}:1 OI100 info: no org.opencontainers.image.* LABEL (title, source, version, revision) in the final image`,
      `${file}:2 OI060 warning: pip install without --no-cache-dir (or a cache mount): the download cache stays in the layer`,
      `${file}:3 OI020 warning: shell-form CMD: /bin/sh is PID 1 and docker stop's SIGTERM never reaches the service; use the JSON form`,
    ]);
  });

  it('prints JSON and honours --failure-threshold', () => {
    const file = bad();
    const result = cli(['lint', file, '--format', 'json', '--failure-threshold', 'error']);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)[0]).toEqual({
      file,
      line: 1,
      code: 'OI010',
      level: 'error',
      message: expect.any(String),
    });
    fs.writeFileSync(file, 'FROM python:3.11\nUSER 1000\nCMD ["gunicorn"]\n');
    expect(cli(['lint', file, '--failure-threshold', 'warning']).status).toBe(0);
    expect(cli(['lint', file, '--failure-threshold', 'info']).status).toBe(1);
  });

  it('refuses a FIFO instead of hanging on it, and fails an empty file', () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-lint-fifo-'));
    spawnSync('mkfifo', [join(dir, 'Dockerfile')]);
    const result = spawnSync(
      process.execPath,
      [join(__dirname, '..', '..', 'bin', 'openedx-ida.js'), 'lint', join(dir, 'Dockerfile')],
      { encoding: 'utf8', input: '', timeout: 20_000 },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('(not a regular file)');
    fs.writeFileSync(join(dir, 'empty'), '');
    const empty = cli(['lint', join(dir, 'empty')]);
    expect(empty.status).toBe(1);
    expect(empty.stdout).toContain('OI007 error: empty file: not a Dockerfile');
  });

  it('exits 2 on a file it cannot read', () => {
    const result = cli(['lint', join(tmpdir(), 'no-such-Dockerfile')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot read .*no-such-Dockerfile \(ENOENT\)/);
  });
});

describe('the fast path', () => {
  const traced = (args: string[]) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        join(__dirname, '..', 'support', 'trace-yeoman.mjs'),
        join(__dirname, '..', '..', 'bin', 'openedx-ida.js'),
        ...args,
      ],
      { encoding: 'utf8', input: '' },
    );

  it.each([
    ['app', [], ['--port', '9000', '--newrelic', '--no-collectstatic']],
    ['newrelic', ['newrelic'], ['--newrelic-version', '9.12.0']],
    ['private', ['private'], ['--pip-packages', 'edx-plugin==1.0']],
  ])('runs %s without a terminal without loading Yeoman, writing what Yeoman writes', async (_name, command, flags) => {
    const fast = fixtureCopy('standard');
    const result = traced([...command, fast, ...flags]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('yeoman module loaded');
    const slow = fixtureCopy('standard');
    const viaYeoman = traced([...command, slow, ...flags, '--whitespace']);
    expect(viaYeoman.status, viaYeoman.stderr).toBe(0);
    expect(viaYeoman.stderr).toContain('yeoman module loaded');
    expect(listFiles(fast)).toEqual(listFiles(slow));
    for (const file of listFiles(fast))
      expect(fs.readFileSync(join(fast, file), 'utf8'), file).toBe(fs.readFileSync(join(slow, file), 'utf8'));
  });
});

describe('openedx-ida writes only what it generated, only inside the repo', () => {
  it.each([
    ['.yo-rc.json', 'existing'],
    ['.yo-rc.json', 'dangling'],
    ['.openedx-ida/facts.json', 'existing'],
    ['.openedx-ida/facts.json', 'dangling'],
  ])('refuses a %s symlink to an %s file outside the repo, writing nothing', (file, kind) => {
    const repo = fixtureCopy('standard');
    const outside = join(fs.mkdtempSync(join(tmpdir(), 'openedx-ida-outside-')), 'target');
    if (kind === 'existing') fs.writeFileSync(outside, '{}\n');
    fs.ensureDirSync(join(repo, '.openedx-ida'));
    fs.symlinkSync(outside, join(repo, file));
    const before = listFiles(repo);
    const result = cli([repo, '--yes']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`openedx-ida: refusing to write ${file}: it is a symlink`);
    expect(kind === 'existing' ? fs.readFileSync(outside, 'utf8') : fs.existsSync(outside)).toBe(
      kind === 'existing' ? '{}\n' : false,
    );
    expect(listFiles(repo)).toEqual(before);
  });

  it('never adopts a hand-written file: every run refuses it (exit 1) and check reports it', () => {
    const repo = fixtureCopy('standard');
    // A repo the tool has run in (decisions stored) whose .dockerignore it never wrote.
    expect(cli([repo, '--yes']).status).toBe(0);
    fs.rmSync(join(repo, '.openedx-ida/pristine/.dockerignore'));
    fs.writeFileSync(join(repo, '.dockerignore'), '# ours\n');
    for (const run of [1, 2]) {
      const result = cli([repo, '--yes']);
      expect(result.status, `run ${run}: ${result.stderr}`).toBe(1);
      expect(result.stderr).toMatch(/conflict .*\.dockerignore/);
      expect(result.stderr).toContain(
        'openedx-ida: .dockerignore differs from what would be written and was not generated by this tool; rerun with --force',
      );
    }
    expect(fs.readFileSync(join(repo, '.dockerignore'), 'utf8')).toBe('# ours\n');
    expect(fs.existsSync(join(repo, '.openedx-ida/pristine/.dockerignore'))).toBe(false);
    const check = cli(['check', repo]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('.dockerignore: differs, and was not generated by this tool');
  });

  it('keeps an unresolved conflict a conflict on every later run and in check', () => {
    const repo = fixtureCopy('standard');
    const dockerfile = join(repo, 'Dockerfile');
    expect(cli([repo, '--yes']).status).toBe(0);
    fs.writeFileSync(dockerfile, fs.readFileSync(dockerfile, 'utf8').replace('"--workers=2"', '"--workers=8"'));
    expect(cli([repo, '--yes', '--workers', '6']).status).toBe(1);
    const marked = fs.readFileSync(dockerfile, 'utf8');
    const again = cli([repo, '--yes']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('conflict Dockerfile: it still has unresolved <<<<<<< markers');
    expect(again.stderr).toContain('openedx-ida: conflicts in Dockerfile');
    expect(fs.readFileSync(dockerfile, 'utf8')).toBe(marked);
    const check = cli(['check', repo]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('Dockerfile: conflict: it still has unresolved <<<<<<< markers');
    expect(cli([repo, '--yes', '--force']).status).toBe(0);
    expect(fs.readFileSync(dockerfile, 'utf8')).not.toContain('<<<<<<<');
  });

  it('leaves its state alone when nothing changed: no rewrite of .yo-rc.json, no force lines', () => {
    const repo = fixtureCopy('standard');
    expect(cli([repo, '--yes']).status).toBe(0);
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    fs.utimesSync(join(repo, '.yo-rc.json'), past, past);
    const second = cli([repo, '--yes']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/force|\.yo-rc\.json|\.openedx-ida/);
    expect(fs.statSync(join(repo, '.yo-rc.json')).mtimeMs).toBe(past.getTime());
  });

  it('tells a first run what it detected and what to run next; a run that changed nothing says nothing more', () => {
    const repo = fixtureCopy('standard');
    const first = cli([repo, '--yes', '--port', '9000']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/^ {2}config variable +MINICREDS_CFG +minicreds\/settings\/production\.py:14$/m);
    expect(first.stderr).toMatch(/^ {2}config path +\/edx\/etc\/minicreds\.yml +default$/m);
    expect(first.stderr).toMatch(/^ {2}port +9000 +your choice$/m);
    expect(first.stderr).toContain(
      'docker run -v /secure/place/minicreds.yml:/edx/etc/minicreds.yml:ro -p 9000:9000 minicreds',
    );
    expect(first.stderr).toContain(
      'docker run --rm -v /secure/place/minicreds.yml:/edx/etc/minicreds.yml:ro minicreds python manage.py migrate',
    );
    expect(first.stderr).toContain('openedx-ida check');
    const second = cli([repo, '--yes']);
    expect(second.stderr).not.toContain('Next:');
  });

  it('--dry-run writes nothing and still reports each file', () => {
    const repo = fixtureCopy('standard');
    const before = listFiles(repo);
    const result = cli([repo, '--yes', '--dry-run']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/create .*Dockerfile/);
    expect(listFiles(repo)).toEqual(before);
  });
});
