import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import helpers from 'yeoman-test';
import { describe, expect, it } from 'vitest';
import NewrelicGenerator from '../../generators/newrelic/index.js';
import PrivateGenerator from '../../generators/private/index.js';
import { UPDATE_GOLDEN, copyFixtureRepo, expectedDir, runApp } from '../support/fixtures.js';

const GENERATORS = { newrelic: NewrelicGenerator, private: PrivateGenerator };

function runVariant(variant: 'newrelic' | 'private', fixture: string, options: Record<string, unknown>, dir?: string) {
  const context = helpers.run(GENERATORS[variant], {
    resolved: join(__dirname, '..', '..', 'generators', variant, 'index.ts'),
    namespace: `openedx-ida:${variant}`,
  });
  return (dir ? context.cd(dir) : context.inTmpDir((tmp) => copyFixtureRepo(fixture, tmp))).withOptions({
    yes: true,
    ...options,
  } as never);
}

function expectGolden(path: string, actual: string) {
  if (UPDATE_GOLDEN) fs.outputFileSync(path, actual);
  else expect(actual).toBe(fs.readFileSync(path, 'utf8'));
}

const OPERATOR_FLAGS = {
  baseImage: 'registry.example.com/openedx/minicreds:redwood.1',
  service: 'minicreds',
  port: 18150,
  wsgiApp: 'minicreds.wsgi:application',
  gunicornConfig: 'minicreds/docker_gunicorn_configuration.py',
};

describe('derivative images', () => {
  it('app --newrelic --private writes both variants in the service repo (golden)', async () => {
    const result = await runApp('standard', {
      yes: true,
      newrelic: true,
      private: true,
      pipPackages: 'openedx-e2e-plugin==1.0.0',
      copy: 'minicreds/static:themes',
    });
    for (const file of ['Dockerfile.newrelic', 'Dockerfile.private']) {
      expectGolden(
        join(expectedDir('standard'), '..', 'expected-derivatives', file),
        fs.readFileSync(join(result.cwd, file), 'utf8'),
      );
    }
    const stored = fs.readJsonSync(join(result.cwd, '.yo-rc.json'))['generator-openedx-ida'];
    expect(stored.private).toMatchObject({
      pipPackages: ['openedx-e2e-plugin==1.0.0'],
      copies: ['minicreds/static:themes'],
    });
  });

  it.each(['newrelic', 'private'] as const)(
    '%s works in an operator repo with no IDA source, from flags (golden)',
    async (variant) => {
      const result = await runVariant(variant, 'operator', { ...OPERATOR_FLAGS, copy: 'themes:themes' });
      const file = `Dockerfile.${variant}`;
      expectGolden(join(expectedDir('operator'), file), fs.readFileSync(join(result.cwd, file), 'utf8'));
      expect(fs.readJsonSync(join(result.cwd, '.yo-rc.json'))['generator-openedx-ida'].operator).toMatchObject(
        OPERATOR_FLAGS,
      );
    },
  );

  it('names every missing flag in an operator repo', async () => {
    await expect(runVariant('newrelic', 'operator', { service: 'minicreds' })).rejects.toThrow(
      /no IDA source, so the derivative needs --base-image, --port, --wsgi-app/,
    );
  });

  it('follows the app decisions when regenerated: user, port, command, app dir', async () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-follow-'));
    copyFixtureRepo('standard', dir);
    await runApp('standard', { yes: true, uid: 1234, port: 9100, workers: 4, appDir: '/srv/minicreds' }, dir);
    const result = await runVariant('newrelic', 'standard', {}, dir);
    const dockerfile = fs.readFileSync(join(result.cwd, 'Dockerfile.newrelic'), 'utf8');
    expect(dockerfile).toContain('USER 1234:1234\n');
    expect(dockerfile).toContain('WORKDIR /srv/minicreds\n');
    expect(dockerfile).toContain('EXPOSE 9100\n');
    expect(dockerfile).toContain('"newrelic-admin","run-program","gunicorn","--workers=4"');
    expect(dockerfile).toContain(
      '"-c","/srv/minicreds/minicreds/docker_gunicorn_configuration.py","--bind","0.0.0.0:9100"',
    );
  });

  it('does not install the agent when the requirements pin it, and says where', async () => {
    let pinLine = 0;
    const result = await helpers
      .run(NewrelicGenerator, {
        resolved: join(__dirname, '..', '..', 'generators', 'newrelic', 'index.ts'),
        namespace: 'openedx-ida:newrelic',
      })
      .inTmpDir((tmp) => {
        copyFixtureRepo('standard', tmp);
        const production = join(tmp, 'requirements/production.txt');
        pinLine = fs.readFileSync(production, 'utf8').split('\n').length;
        fs.appendFileSync(production, 'newrelic==10.2.0\n    # via -r requirements/production.in\n');
      })
      .withOptions({ yes: true } as never);
    const dockerfile = fs.readFileSync(join(result.cwd, 'Dockerfile.newrelic'), 'utf8');
    expect(dockerfile).not.toContain('pip install');
    expect(dockerfile).toContain(
      `# The agent comes with the service's requirements (requirements/production.txt:${pinLine}).`,
    );
  });

  it('uses requirements/private.txt by default and a BuildKit secret for the index, never an ARG or ENV', async () => {
    const result = await runVariant('private', 'operator', OPERATOR_FLAGS);
    const dockerfile = fs.readFileSync(join(result.cwd, 'Dockerfile.private'), 'utf8');
    expect(dockerfile).toContain('COPY requirements/private.txt /tmp/private-requirements/requirements/private.txt\n');
    expect(dockerfile).toContain('RUN --mount=type=secret,id=pip_index_url');
    expect(dockerfile).not.toMatch(/^(ARG|ENV) .*INDEX/m);
  });
});
