/**
 * Builds the untouched generated Dockerfiles of the runnable fixtures with Docker's legacy
 * builder and with buildah, runs them with a mounted YAML file, and checks what the
 * generator promises: it serves, as a numeric non-root user with gunicorn as PID 1, with
 * no compilers, no secrets in the image, a clean stop, a read-only root, and cheap
 * rebuilds after a code change. See test/e2e/prepare-engines.sh for the offline engines.
 */
import fs from 'fs-extra';
import { join } from 'node:path';
import { stringify, parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildahBuild, cli, copyFixture, dockerBuild, must, parseLegacyBuild, prepareEngines, removeContainer, run,
  startContainer, waitForHttp,
} from './engines.js';

interface Runnable {
  fixture: string;
  service: string;
  port: number;
  configPath: string;
  configVar: string;
  /** A .py file a code-only change touches. */
  codeFile: string;
}

const RUNNABLE: Runnable[] = [
  { fixture: 'standard', service: 'minicreds', port: 18150, configPath: '/edx/etc/minicreds.yml', configVar: 'MINICREDS_CFG', codeFile: 'minicreds/apps/core/views.py' },
  { fixture: 'optional-load', service: 'enterprise_reports', port: 18620, configPath: '/edx/etc/enterprise_reports.yml', configVar: 'ENTERPRISE_REPORTS_CFG', codeFile: 'enterprise_reports/views.py' },
];

const WORK = join(process.env.TMPDIR ?? '/tmp', 'openedx-ida-e2e');

beforeAll(() => {
  prepareEngines();
  fs.ensureDirSync(WORK);
}, 1_800_000);

describe.each(RUNNABLE)('$fixture image', (fixture) => {
  const repo = join(WORK, fixture.fixture);
  const image = `openedx-ida-e2e/${fixture.fixture}:docker`;
  const buildahImage = `openedx-ida-e2e/${fixture.fixture}:buildah`;
  const configFile = join(WORK, `${fixture.fixture}.yml`);
  const secret = `e2e-secret-${Math.random().toString(36).slice(2)}`;
  const platformName = `E2E platform ${fixture.fixture} ${Date.now()}`;
  const container = `openedx-ida-e2e-${fixture.fixture}`;
  const mount = ['-v', `${configFile}:${fixture.configPath}:ro`];
  let legacyOutput = '';

  beforeAll(() => {
    copyFixture(fixture.fixture, repo);
    const generated = cli([repo, '--yes']);
    expect(generated.status, generated.stderr).toBe(0);
    // The operator's part: fill in the example YAML (a test database and cache, our values).
    const config = parse(fs.readFileSync(join(repo, `${fixture.service}.example.yml`), 'utf8'));
    Object.assign(config, {
      SECRET_KEY: secret,
      PLATFORM_NAME: platformName,
      ALLOWED_HOSTS: ['localhost', '127.0.0.1'],
      DATABASES: { default: { ENGINE: 'django.db.backends.sqlite3', NAME: ':memory:', PASSWORD: secret } },
      CACHES: { default: { BACKEND: 'django.core.cache.backends.locmem.LocMemCache' } },
    });
    fs.writeFileSync(configFile, stringify(config));
    fs.chmodSync(configFile, 0o644);
    legacyOutput = dockerBuild(repo, image);
    buildahBuild(repo, buildahImage);
  }, 900_000);

  afterAll(() => removeContainer(container));

  it('builds with the legacy builder, as the last stage', () => {
    const steps = parseLegacyBuild(legacyOutput);
    expect(steps.at(0)?.instruction).toMatch(/^ARG PYTHON_VERSION=/);
    expect(steps.filter((step) => step.instruction.startsWith('FROM')).at(-1)?.instruction).toMatch(/AS production$/);
  });

  // Every runtime promise is checked on the image from each engine.
  describe.each([
    { engine: 'legacy builder', engineImage: image },
    { engine: 'buildah', engineImage: buildahImage },
  ])('built by the $engine', ({ engineImage }) => {
    it('serves health/ and a value from the mounted YAML, as a numeric non-root user with gunicorn as PID 1', async () => {
      startContainer(container, engineImage, mount);
      try {
        const health = await waitForHttp(`http://127.0.0.1:${fixture.port}/health/`);
        expect(health.status).toBe(200);
        const platform = await (await fetch(`http://127.0.0.1:${fixture.port}/platform/`)).json();
        expect(platform.platform_name).toBe(platformName);
        expect(must('docker', ['exec', container, 'id', '-u']).trim()).toBe('1000');
        expect(must('docker', ['inspect', '-f', '{{.Config.User}}', engineImage]).trim()).toMatch(/^\d+:\d+$/);
        const pid1 = must('docker', ['exec', container, 'cat', '/proc/1/cmdline']).split('\0');
        expect(pid1.slice(0, 2).join(' ')).toMatch(/\/gunicorn$/);
      } finally {
        removeContainer(container);
      }
    });

    it('stops cleanly on docker stop (exit 0, no SIGKILL)', async () => {
      startContainer(container, engineImage, mount);
      try {
        await waitForHttp(`http://127.0.0.1:${fixture.port}/health/`);
        const started = Date.now();
        must('docker', ['stop', '-t', '10', container]);
        const seconds = (Date.now() - started) / 1000;
        expect(must('docker', ['inspect', '-f', '{{.State.ExitCode}}', container]).trim()).toBe('0');
        expect(seconds).toBeLessThan(10);
      } finally {
        removeContainer(container);
      }
    });

    it('serves with a read-only root filesystem and a tmpfs /tmp', async () => {
      startContainer(container, engineImage, ['--read-only', '--tmpfs', '/tmp', ...mount]);
      try {
        expect((await waitForHttp(`http://127.0.0.1:${fixture.port}/health/`)).status).toBe(200);
      } finally {
        removeContainer(container);
      }
    });

    it('has no compiler and no -dev headers in the runtime image', () => {
      const probe = run('docker', ['run', '--rm', '--entrypoint', 'sh', engineImage, '-c',
        'for c in gcc cc g++ c++ make; do command -v "$c"; done; dpkg-query -W -f "\\${Package}\\n" | grep -E -- "-dev$|^build-essential$"; ls /usr/include/*.h 2>/dev/null | head -3; true']);
      expect(probe.status).toBe(0);
      expect(probe.stdout.trim()).toBe('');
    });

    it('keeps the YAML secrets out of the history, env and labels', () => {
      const history = must('docker', ['history', '--no-trunc', engineImage]);
      const inspect = must('docker', ['inspect', engineImage]);
      expect(history).not.toContain(secret);
      expect(inspect).not.toContain(secret);
      expect(inspect).not.toContain(platformName);
    });

    it('exits non-zero without the YAML, naming the variable and the path', () => {
      // Also for an optional load in the code: the image always sets the variable.
      const result = run('docker', ['run', '--rm', '--network', 'host', engineImage]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(fixture.configVar);
      expect(result.stderr).toContain(fixture.configPath);
    });
  });

  it('keeps the HEALTHCHECK in the buildah image (--format docker)', () => {
    expect(must('docker', ['inspect', '-f', '{{json .Config.Healthcheck}}', buildahImage])).toContain('urllib.request');
  });

  it('builds the --cache-mounts variant with buildah', () => {
    const cached = join(WORK, `${fixture.fixture}-cache-mounts`);
    copyFixture(fixture.fixture, cached);
    expect(cli([cached, '--yes', '--cache-mounts']).status).toBe(0);
    expect(fs.readFileSync(join(cached, 'Dockerfile'), 'utf8')).toContain('RUN --mount=type=cache');
    const output = buildahBuild(cached, `${buildahImage}-cache-mounts`);
    expect(output).toContain('COMMIT');
  });

  it('rebuilds only the code layers after a .py change', () => {
    fs.appendFileSync(join(repo, fixture.codeFile), `\n# touched by the e2e test ${Date.now()}\n`);
    const steps = parseLegacyBuild(dockerBuild(repo, image));
    const codeCopy = steps.findIndex((step) => step.instruction === 'COPY . .');
    expect(codeCopy).toBeGreaterThan(0);
    const dependencySteps = steps.slice(0, codeCopy).filter((step) => !step.instruction.startsWith('FROM') && !step.instruction.startsWith('ARG'));
    expect(dependencySteps.filter((step) => !step.cached).map((step) => step.instruction)).toEqual([]);
    expect(dependencySteps.some((step) => step.instruction.startsWith('RUN pip install'))).toBe(true);
    expect(steps[codeCopy].cached).toBe(false);
    const venvCopy = steps.find((step) => step.instruction.startsWith('COPY --from=builder'));
    expect(venvCopy?.cached).toBe(true);
  });
});
