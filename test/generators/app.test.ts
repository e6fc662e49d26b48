import fs from 'fs-extra';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { copyFixtureRepo, runApp } from '../support/fixtures.js';

describe('app generator', () => {
  it('stores decisions, not detected facts, in .yo-rc.json', async () => {
    const result = await runApp('standard');
    const stored = fs.readJsonSync(join(result.cwd, '.yo-rc.json'))['generator-openedx-ida'];
    expect(stored).toEqual({
      exampleConfig: 'minicreds.example.yml',
      cacheMounts: false,
      debianRelease: 'bookworm',
      workers: 2,
      uid: 1000,
      venvPath: '/opt/venv',
      appDir: '/edx/app/minicreds',
    });
  });

  it('stores a flag that overrides detection, and uses it', async () => {
    const result = await runApp('standard', { yes: true, pythonVersion: '3.12', port: 9000 });
    const stored = fs.readJsonSync(join(result.cwd, '.yo-rc.json'))['generator-openedx-ida'];
    expect(stored).toMatchObject({ pythonVersion: '3.12', port: 9000 });
    const dockerfile = fs.readFileSync(join(result.cwd, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG PYTHON_VERSION=3.12\n');
    expect(dockerfile).toContain('EXPOSE 9000\n');
  });

  it('asks with detected defaults and uses the answers', async () => {
    const result = await runApp('standard', {}).withAnswers(
      { service: 'creds', port: '18999' },
      { throwOnMissingAnswer: false },
    );
    const dockerfile = fs.readFileSync(join(result.cwd, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('"--name","creds"');
    expect(dockerfile).toContain('EXPOSE 18999\n');
    expect(fs.existsSync(join(result.cwd, 'creds.example.yml'))).toBe(true);
  });

  it('asks on a rerun only when the app decisions were never stored (a derivative-only .yo-rc.json)', async () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-asked-'));
    copyFixtureRepo('standard', dir);
    fs.writeJsonSync(join(dir, '.yo-rc.json'), {
      'generator-openedx-ida': { newrelic: { file: 'Dockerfile.newrelic', newrelicVersion: '9.13.0' } },
    });
    await runApp('standard', {}, dir).withAnswers({ port: '18999' }, { throwOnMissingAnswer: false });
    expect(fs.readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('EXPOSE 18999\n');
    // Now the answers are stored: a rerun asks nothing and keeps them.
    await runApp('standard', {}, dir).withAnswers({ port: '1' }, { throwOnMissingAnswer: false });
    expect(fs.readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('EXPOSE 18999\n');
  });

  it('adds BuildKit cache mounts only when asked', async () => {
    const plain = fs.readFileSync(join((await runApp('standard')).cwd, 'Dockerfile'), 'utf8');
    expect(plain).not.toContain('--mount');
    const cached = fs.readFileSync(
      join((await runApp('standard', { yes: true, cacheMounts: true })).cwd, 'Dockerfile'),
      'utf8',
    );
    expect(cached).toContain(
      'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements/production.txt\n',
    );
    expect(cached).toMatch(/^# Uses BuildKit cache mounts \(--cache-mounts\): build with BuildKit/m);
    expect(plain).not.toContain('Uses BuildKit');
  });

  it('rejects an invalid flag value with the flag name', async () => {
    await expect(runApp('standard', { yes: true, pythonVersion: 'three' })).rejects.toThrow(/--python-version/);
  });
});

describe('app generator writes (through Yeoman)', () => {
  const fixtureDir = () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-yo-writes-'));
    copyFixtureRepo('standard', dir);
    return dir;
  };

  it.each(['existing', 'dangling'])(
    'refuses a facts.json symlink to an %s file outside the repo, writing nothing',
    async (kind) => {
      const dir = fixtureDir();
      const outside = join(fs.mkdtempSync(join(tmpdir(), 'openedx-ida-outside-')), 'facts.json');
      if (kind === 'existing') fs.writeFileSync(outside, 'theirs\n');
      fs.ensureDirSync(join(dir, '.openedx-ida'));
      fs.symlinkSync(outside, join(dir, '.openedx-ida', 'facts.json'));
      await expect(runApp('standard', { yes: true }, dir)).rejects.toThrow(
        /refusing to write \.openedx-ida\/facts\.json: it is a symlink/,
      );
      expect(kind === 'existing' ? fs.readFileSync(outside, 'utf8') : fs.existsSync(outside)).toBe(
        kind === 'existing' ? 'theirs\n' : false,
      );
      expect(fs.existsSync(join(dir, 'Dockerfile'))).toBe(false);
    },
  );

  // yeoman-test runs with --force unless told otherwise: these runs let the conflicter ask.
  const asking = (dir: string) =>
    runApp('standard', { yes: true, force: false }, dir).withEnvironment((env) => {
      (env as unknown as { options: { force?: boolean } }).options.force = false;
    });

  it('writes the pristine copy of a hand-written file only when the user chooses to overwrite it', async () => {
    const kept = fixtureDir();
    fs.writeFileSync(join(kept, 'Dockerfile'), 'FROM mine\n');
    await asking(kept).withAnswers({ action: 'skip' });
    expect(fs.readFileSync(join(kept, 'Dockerfile'), 'utf8')).toBe('FROM mine\n');
    expect(fs.existsSync(join(kept, '.openedx-ida/pristine/Dockerfile'))).toBe(false);
    expect(fs.existsSync(join(kept, '.openedx-ida/pristine/.dockerignore'))).toBe(true);

    const replaced = fixtureDir();
    fs.writeFileSync(join(replaced, 'Dockerfile'), 'FROM mine\n');
    await asking(replaced).withAnswers({ action: 'force' });
    expect(fs.readFileSync(join(replaced, 'Dockerfile'), 'utf8')).toBe(
      fs.readFileSync(join(replaced, '.openedx-ida/pristine/Dockerfile'), 'utf8'),
    );
  });

  it('does not rewrite .yo-rc.json or the facts when they do not change', async () => {
    const dir = fixtureDir();
    await runApp('standard', { yes: true }, dir);
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    for (const file of ['.yo-rc.json', '.openedx-ida/facts.json']) fs.utimesSync(join(dir, file), past, past);
    await runApp('standard', { yes: true }, dir);
    for (const file of ['.yo-rc.json', '.openedx-ida/facts.json'])
      expect(fs.statSync(join(dir, file)).mtimeMs, file).toBe(past.getTime());
  });
});
