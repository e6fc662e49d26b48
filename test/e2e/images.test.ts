/**
 * Builds the untouched generated Dockerfiles of the runnable fixtures (dependencies pinned from
 * PyPI, native ones compiled in the builder stage) with Docker's legacy builder and with buildah,
 * and boots each image through `openedx-ida smoke --keep` (what users and the generated CI run):
 * its own example YAML filled mechanically (placeholders and example hosts only, see
 * src/smoke/config.ts), real MariaDB, memcached and Redis on 127.0.0.1
 * (test/e2e/prepare-services.sh), `manage.py migrate` as its own step, health/ answering 200.
 * Then the kept container answers a request that writes and reads a database row and a cache key.
 * It also checks what the generator promises: a numeric non-root user, gunicorn as PID 1, a
 * read-only root with a tmpfs /tmp, no compilers, no secrets in the image, a clean stop, a config
 * change served after a restart from the same image, and cheap rebuilds after a code change.
 * See test/e2e/prepare-engines.sh for the engines and the stand-in base images.
 * CI budget: every fixture on both engines fits (a cold run of this file is about 8.5 minutes on
 * two cores, see test/e2e/README.md); the --cache-mounts variant is built for `standard` only,
 * since it differs from the plain Dockerfile only in its RUN --mount lines.
 */
import fs from 'fs-extra';
import { dirname, join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  E2E_ID,
  askServer,
  buildahBuild,
  cli,
  copyFixture,
  createDatabase,
  dockerBuild,
  keepStages,
  must,
  parseLegacyBuild,
  prepareEngines,
  prepareServices,
  removeContainer,
  run,
  smokeKeep,
  waitForHttp,
  workDir,
  type TestDatabase,
} from './engines.js';

interface Runnable {
  fixture: string;
  service: string;
  port: number;
  configPath: string;
  configVar: string;
  /** A .py file a code-only change touches. */
  codeFile: string;
  /** The shared cache the example YAML points at: its port on 127.0.0.1 and how to ask it for a key. */
  cache: { port: number; probe: (key: string) => string; hit: RegExp };
  /** The table the round-trip view writes to. */
  noteTable: string;
  /** A Celery worker command run from the same image (the broker is Redis). */
  worker?: string[];
  /** A file the Node assets stage builds, relative to the app directory. */
  nodeBundle?: string;
  /** Also build the --cache-mounts variant (once is enough: it differs only in RUN --mount lines). */
  cacheMounts?: boolean;
}

const MEMCACHED = { port: 11211, probe: (key: string) => `get ${key}`, hit: /^VALUE / };

const RUNNABLE: Runnable[] = [
  {
    fixture: 'standard',
    service: 'minicreds',
    port: 18150,
    configPath: '/edx/etc/minicreds.yml',
    configVar: 'MINICREDS_CFG',
    codeFile: 'minicreds/apps/core/views.py',
    cache: MEMCACHED,
    noteTable: 'core_note',
    cacheMounts: true,
  },
  {
    fixture: 'optional-load',
    service: 'enterprise_reports',
    port: 18620,
    configPath: '/edx/etc/enterprise_reports.yml',
    configVar: 'ENTERPRISE_REPORTS_CFG',
    codeFile: 'enterprise_reports/views.py',
    cache: MEMCACHED,
    noteTable: 'enterprise_reports_note',
  },
  {
    fixture: 'node-assets',
    service: 'learner_portal',
    port: 18320,
    configPath: '/edx/etc/learner_portal.yml',
    configVar: 'LEARNER_PORTAL_CFG',
    codeFile: 'learner_portal/views.py',
    cache: MEMCACHED,
    noteTable: 'learner_portal_note',
    nodeBundle: 'learner_portal/static/bundles/main.js',
  },
  {
    fixture: 'celery-redis',
    service: 'license_manager',
    port: 18170,
    configPath: '/edx/etc/license_manager.yml',
    configVar: 'LICENSE_MANAGER_CFG',
    codeFile: 'license_manager/views.py',
    cache: MEMCACHED,
    noteTable: 'license_manager_note',
    worker: ['celery', '-A', 'license_manager', 'worker', '--loglevel=INFO', '--concurrency=1'],
  },
];

const WORK = workDir('images');
/** How every container here runs: read-only root, a tmpfs /tmp, and the image's own USER (not forced). */
const READ_ONLY = ['--read-only', '--tmpfs', '/tmp'];

beforeAll(() => {
  prepareEngines();
  prepareServices();
  fs.ensureDirSync(WORK);
}, 1_800_000);

describe.each(RUNNABLE)('$fixture image', (fixture) => {
  const repo = join(WORK, fixture.fixture);
  const image = `openedx-ida-e2e-${E2E_ID}/${fixture.fixture}:docker`;
  const buildahImage = `openedx-ida-e2e-${E2E_ID}/${fixture.fixture}:buildah`;
  const container = `openedx-ida-e2e-${E2E_ID}-${fixture.fixture}`;
  /** The YAML the last smoke boot filled and left with the kept container. */
  let configFile = '';
  const keptConfigs = new Set<string>();
  let legacyOutput = '';
  let cacheFrom: string[] = [];
  const secrets = new Set<string>();
  let database: TestDatabase;

  beforeAll(() => {
    copyFixture(fixture.fixture, repo);
    const generated = cli([repo, '--yes']);
    expect(generated.status, generated.stderr).toBe(0);
    // The database and its user as the example YAML names them; smoke fills the rest of the YAML.
    const db = parse(fs.readFileSync(join(repo, `${fixture.service}.example.yml`), 'utf8')).DATABASES.default;
    database = { name: db.NAME, user: db.USER, password: `db-${Math.random().toString(36).slice(2)}` };
    secrets.add(database.password);
    legacyOutput = dockerBuild(repo, image, { fresh: true });
    cacheFrom = keepStages(legacyOutput, image);
    buildahBuild(repo, buildahImage, [], { fresh: true });
  }, 1_800_000);

  afterAll(() => {
    removeContainer(container);
    for (const dir of keptConfigs) fs.removeSync(dir);
  });

  /**
   * Boots the image through `openedx-ida smoke --keep` (on an empty database when asked): migrate,
   * then the service read-only, tmpfs /tmp, as its uid, with the example YAML smoke filled, until
   * health/ answers 200. The container stays up for the deeper checks below.
   */
  async function boot(engineImage: string, fresh: boolean) {
    if (fresh) createDatabase(database);
    const report = smokeKeep(engineImage, repo, container, database.password);
    configFile = report.configFile!;
    keptConfigs.add(dirname(configFile));
    // smoke's throwaway values (`smoke-<placeholder>-<hex>`) are the YAML's secrets.
    for (const value of fs.readFileSync(configFile, 'utf8').match(/smoke-[a-z0-9-]+-[0-9a-f]{24}/g) ?? [])
      secrets.add(value);
    // gunicorn 25.1+ logs an error at every start when its control socket has nowhere to go.
    const logs = run('docker', ['logs', container]);
    expect(`${logs.stdout}${logs.stderr}`).not.toMatch(/Control server error/);
  }

  /** How the deeper checks run extra containers: as smoke ran the service, with the YAML it filled. */
  const runArgs = () => [...READ_ONLY, '-v', `${configFile}:${fixture.configPath}:ro`];

  /** Rows with `text` in the round-trip table, read by root on the server, not through the service. */
  function countNotes(text: string): number {
    return Number(
      must('mariadb', [
        '-uroot',
        '-N',
        '-e',
        `SELECT COUNT(*) FROM \`${database.name}\`.${fixture.noteTable} WHERE text = '${text}'`,
      ]).trim(),
    );
  }

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
    it('migrates, then writes and reads a database row and a shared cache key, read-only, as uid 1000 under gunicorn', async () => {
      try {
        await boot(engineImage, true);
        const text = `e2e ${Date.now()}`;
        const response = await fetch(`http://127.0.0.1:${fixture.port}/api/v1/roundtrip/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ text }),
        });
        const body = await response.text();
        expect(response.status, body).toBe(200);
        const roundtrip = JSON.parse(body);
        expect([roundtrip.db, roundtrip.cache]).toEqual([text, text]);
        // The key is in the shared server, under the example YAML's KEY_PREFIX.
        const key = `${fixture.service}:1:note-${roundtrip.id}`;
        expect(await askServer(fixture.cache.port, fixture.cache.probe(key))).toMatch(fixture.cache.hit);
        expect(countNotes(text)).toBe(1);
        expect(must('docker', ['exec', container, 'id', '-u']).trim()).toBe('1000');
        expect(must('docker', ['inspect', '-f', '{{.Config.User}}', engineImage]).trim()).toMatch(/^\d+:\d+$/);
        const pid1 = must('docker', ['exec', container, 'cat', '/proc/1/cmdline']).split('\0');
        expect(pid1.slice(0, 2).join(' ')).toMatch(/\/gunicorn$/);
      } finally {
        removeContainer(container);
      }
    });

    it.runIf(fixture.worker)(
      'runs the Celery worker from the same image: a task sent through Redis writes a row',
      async () => {
        const worker = `${container}-worker`;
        try {
          await boot(engineImage, false);
          removeContainer(worker);
          must('docker', [
            'run',
            '-d',
            '--name',
            worker,
            '--network',
            'host',
            ...runArgs(),
            engineImage,
            ...fixture.worker!,
          ]);
          const text = `task ${Date.now()}`;
          const response = await fetch(`http://127.0.0.1:${fixture.port}/api/v1/tasks/`, {
            method: 'POST',
            body: JSON.stringify({ text }),
          });
          expect(response.status, await response.text()).toBe(202);
          const deadline = Date.now() + 60_000;
          while (countNotes(text) === 0 && Date.now() < deadline)
            await new Promise((resolve) => setTimeout(resolve, 500));
          expect(countNotes(text), run('docker', ['logs', worker]).stderr.slice(-3000)).toBe(1);
          expect(must('docker', ['exec', worker, 'id', '-u']).trim()).toBe('1000');
          must('docker', ['stop', '-t', '20', worker]);
          expect(must('docker', ['inspect', '-f', '{{.State.ExitCode}}', worker]).trim()).toBe('0');
        } finally {
          removeContainer(worker);
          removeContainer(container);
        }
      },
    );

    it.runIf(fixture.nodeBundle)('carries the bundle the Node assets stage built, and no Node', () => {
      const probe = run('docker', [
        'run',
        '--rm',
        '--entrypoint',
        'sh',
        engineImage,
        '-c',
        `test -s ${fixture.nodeBundle} && echo bundle; command -v node npm; ls node_modules 2>/dev/null | head -1; true`,
      ]);
      expect(probe.stdout.trim()).toBe('bundle');
    });

    it('stops cleanly on docker stop (exit 0, no SIGKILL)', async () => {
      try {
        await boot(engineImage, false);
        const started = Date.now();
        must('docker', ['stop', '-t', '10', container]);
        const seconds = (Date.now() - started) / 1000;
        expect(must('docker', ['inspect', '-f', '{{.State.ExitCode}}', container]).trim()).toBe('0');
        expect(seconds).toBeLessThan(10);
      } finally {
        removeContainer(container);
      }
    });

    it('holds the files collectstatic collected, where STATIC_ROOT says, in the production image', () => {
      const dockerfile = fs.readFileSync(join(repo, 'Dockerfile'), 'utf8');
      if (!dockerfile.includes('collectstatic')) return;
      const script =
        'import os, django; django.setup(); from django.conf import settings; ' +
        'print(settings.STATIC_ROOT, sum(len(files) for _, _, files in os.walk(settings.STATIC_ROOT)))';
      const [root, count] = must('docker', [
        'run',
        '--rm',
        '--network',
        'host',
        ...runArgs(),
        engineImage,
        'python',
        '-c',
        script,
      ])
        .trim()
        .split(' ');
      expect(Number(count), `no collected files in ${root}`).toBeGreaterThan(0);
    });

    it('has no compiler and no -dev headers in the runtime image', () => {
      const probe = run('docker', [
        'run',
        '--rm',
        '--entrypoint',
        'sh',
        engineImage,
        '-c',
        'for c in gcc cc g++ c++ make; do command -v "$c"; done; dpkg-query -W -f "\\${Package}\\n" | grep -E -- "-dev$|^build-essential$"; ls /usr/include/*.h 2>/dev/null | head -3; true',
      ]);
      expect(probe.status).toBe(0);
      expect(probe.stdout.trim()).toBe('');
    });

    it('keeps the YAML secrets out of the history, env and labels', () => {
      const history = must('docker', ['history', '--no-trunc', engineImage]);
      const inspect = must('docker', ['inspect', engineImage]);
      expect(secrets.size).toBeGreaterThan(1);
      for (const secret of secrets) {
        expect(history).not.toContain(secret);
        expect(inspect).not.toContain(secret);
      }
    });

    it('exits non-zero without the YAML, naming the variable and the path', () => {
      // Also for an optional load in the code: the image always sets the variable.
      const result = run('docker', ['run', '--rm', '--network', 'host', engineImage]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(fixture.configVar);
      expect(result.stderr).toContain(fixture.configPath);
    });
  });

  it('serves a changed YAML value after a restart, from the same image (no rebuild)', async () => {
    await boot(image, false);
    const original = fs.readFileSync(configFile, 'utf8');
    try {
      const before = await (await fetch(`http://127.0.0.1:${fixture.port}/platform/`)).json();
      const imageId = must('docker', ['inspect', '-f', '{{.Image}}', container]).trim();
      const changed = parseDocument(original);
      const platformName = `Changed platform ${Date.now()}`;
      changed.set('PLATFORM_NAME', platformName);
      // Rewritten in place: the bind mount follows the file, as a config-management tool's edit would.
      fs.writeFileSync(configFile, changed.toString());
      must('docker', ['restart', '-t', '10', container]);
      await waitForHttp(`http://127.0.0.1:${fixture.port}/health/`, 60_000);
      const after = await (await fetch(`http://127.0.0.1:${fixture.port}/platform/`)).json();
      expect(before.platform_name).not.toBe(platformName);
      expect(after.platform_name).toBe(platformName);
      expect(must('docker', ['inspect', '-f', '{{.Image}}', container]).trim()).toBe(imageId);
      expect(must('docker', ['image', 'inspect', '-f', '{{.Id}}', image]).trim()).toBe(imageId);
    } finally {
      fs.writeFileSync(configFile, original);
      removeContainer(container);
    }
  });

  it('keeps the HEALTHCHECK in the buildah image (--format docker)', () => {
    expect(must('docker', ['inspect', '-f', '{{json .Config.Healthcheck}}', buildahImage])).toContain('urllib.request');
  });

  it.runIf(fixture.cacheMounts)('builds the --cache-mounts variant with buildah', () => {
    const cached = join(WORK, `${fixture.fixture}-cache-mounts`);
    copyFixture(fixture.fixture, cached);
    expect(cli([cached, '--yes', '--cache-mounts']).status).toBe(0);
    expect(fs.readFileSync(join(cached, 'Dockerfile'), 'utf8')).toContain('RUN --mount=type=cache');
    const output = buildahBuild(cached, `${buildahImage}-cache-mounts`, [], { fresh: true });
    expect(output).toContain('COMMIT');
  });

  it('rebuilds only the code layers after a .py change: installs and the asset build stay cached', () => {
    fs.appendFileSync(join(repo, fixture.codeFile), `\n# touched by the e2e test ${Date.now()}\n`);
    const steps = parseLegacyBuild(dockerBuild(repo, image, { cacheFrom }));
    const codeCopy = steps.find((step) => step.instruction === 'COPY . .');
    expect(codeCopy?.cached).toBe(false);
    // Package installs, the Node build and its input (the context without .py files), and the venv copy.
    const expensive = steps.filter(
      (step) =>
        /^RUN (apt-get|pip install|npm )/.test(step.instruction) ||
        /^COPY --from=(builder|asset-sources) /.test(step.instruction),
    );
    expect(expensive.filter((step) => !step.cached).map((step) => step.instruction)).toEqual([]);
    expect(expensive.some((step) => step.instruction.startsWith('RUN pip install'))).toBe(true);
    expect(expensive.some((step) => step.instruction.startsWith('COPY --from=builder'))).toBe(true);
    if (fixture.nodeBundle) expect(expensive.some((step) => step.instruction.startsWith('RUN npm run'))).toBe(true);
  });
});
