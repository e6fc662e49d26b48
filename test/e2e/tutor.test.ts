/**
 * The generated Tutor plugin with real Tutor from PyPI (pinned in prepare-tools.sh): installed
 * with `pip install -e` into Tutor's virtualenv, enabled, `tutor config save` into a TUTOR_ROOT
 * of this run, then what Tutor rendered is checked: the compose service runs the image and
 * mounts the YAML; the YAML parses, has every key of the example YAML with Tutor's values and
 * no placeholder; `kubectl kustomize` renders Tutor's env with the plugin's objects. Then the
 * image is built as Tutor builds it (`tutor images build`, with a test-only plugin that swaps
 * Tutor's `docker buildx build --output=type=docker` for the legacy `docker build` on the host
 * network: there is no buildx here), the init tasks Tutor renders run against MariaDB on 127.0.0.1 (the mysql task on
 * the host, migrations in the job container as Tutor's jobs file declares it), and the service
 * runs as Tutor's compose file declares it (image, mounts, environment; the image's command)
 * with `--network host` until its health endpoint answers 200. The LMS task needs an LMS and is
 * only checked for what it renders.
 */
import fs from 'fs-extra';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  E2E_ID,
  cli,
  copyFixture,
  must,
  prepareEngines,
  prepareServices,
  removeContainer,
  run,
  startContainer,
  toolPath,
  waitForHttp,
  workDir,
} from './engines.js';

interface TutorFixture {
  fixture: string;
  service: string;
  /** The Tutor plugin name (the default: `ida_` and the service name as a Python identifier). */
  plugin: string;
  /** The compose service, Kubernetes objects and host label: the plugin name as a DNS label. */
  name: string;
  port: number;
  /**
   * The service talks to the LMS (edx-drf-extensions installed): its example has the JWT issuers and the
   * OAuth2 client keys, so the plugin renders them and has an LMS init task.
   */
  lms: boolean;
}

/** Every runnable fixture of images.test.ts (the ones whose image boots). */
const FIXTURES: TutorFixture[] = [
  {
    fixture: 'standard',
    service: 'minicreds',
    plugin: 'ida_minicreds',
    name: 'ida-minicreds',
    port: 18150,
    lms: true,
  },
  {
    fixture: 'optional-load',
    service: 'enterprise_reports',
    plugin: 'ida_enterprise_reports',
    name: 'ida-enterprise-reports',
    port: 18620,
    lms: false,
  },
  {
    fixture: 'node-assets',
    service: 'learner_portal',
    plugin: 'ida_learner_portal',
    name: 'ida-learner-portal',
    port: 18320,
    lms: false,
  },
  {
    fixture: 'celery-redis',
    service: 'license_manager',
    plugin: 'ida_license_manager',
    name: 'ida-license-manager',
    port: 18170,
    lms: false,
  },
];
/** Tutor's "root" MySQL user: MariaDB's root logs in by socket, Tutor's tasks log in over TCP. */
const ADMIN = { user: `tutor_admin_${E2E_ID}`, password: `admin-${E2E_ID}` };

/** A test-only Tutor plugin: the legacy builder on the host network instead of `docker buildx build`. */
const LEGACY_BUILD_PLUGIN = `from tutor import hooks

@hooks.Filters.DOCKER_BUILD_COMMAND.add()
def _legacy_builder(command):
    assert command[:2] == ["buildx", "build"], command
    # The legacy builder always writes to Docker's store and has no --output.
    args = [arg for arg in command[2:] if not arg.startswith("--output=")]
    return ["build", "--network", "host", *args]
`;

/** Prints Tutor's loaded config and its rendered init tasks as JSON (plugins loaded as the CLI loads them). */
const DUMP = `import json, sys
from tutor import config as tutor_config, env as tutor_env, hooks
root = sys.argv[1]
hooks.Actions.CORE_READY.do()
hooks.Actions.PROJECT_ROOT_READY.do(root)
config = tutor_config.load(root)
tasks = [[service, tutor_env.render_str(config, task)] for service, task in hooks.Filters.CLI_DO_INIT_TASKS.iterate()]
print(json.dumps({"config": config, "tasks": tasks}, default=str))
`;

type Yaml = Record<string, unknown>;

/** Every key path of a parsed YAML value (`DATABASES.default.HOST`, list items by index). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => keyPaths(item, `${prefix}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [`${prefix}${key}`, ...keyPaths(item, `${prefix}${key}.`)]);
  }
  return [];
}

describe.each(FIXTURES)('Tutor plugin of $fixture with real Tutor', (FIXTURE) => {
  const PREFIX = FIXTURE.plugin.toUpperCase();
  const IMAGE = `openedx-ida-e2e-tutor-${FIXTURE.service}:${E2E_ID}`;
  const CONTAINER = `openedx-ida-e2e-tutor-${E2E_ID}-${FIXTURE.fixture}`;
  const work = join(workDir('tutor'), FIXTURE.fixture);
  const repo = join(work, 'repo');
  const root = join(work, 'root');
  const pluginsRoot = join(work, 'plugins');
  let tutor: string;
  let python: string;
  let tutorConfig: Yaml;
  let tasks: [string, string][];
  const tutorRun = (args: string[]) => {
    const result = run('env', [`TUTOR_ROOT=${root}`, `TUTOR_PLUGINS_ROOT=${pluginsRoot}`, tutor, ...args]);
    if (result.status !== 0) throw new Error(`tutor ${args.join(' ')}: ${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };

  beforeAll(() => {
    prepareEngines();
    prepareServices();
    tutor = toolPath('tutor');
    python = toolPath('tutor', 'python');
    fs.removeSync(work);
    copyFixture(FIXTURE.fixture, repo);
    for (const args of [
      ['--yes', repo],
      ['tutor', '--yes', repo],
    ]) {
      const result = cli(args);
      expect(result.status, result.stderr).toBe(0);
    }
    must(toolPath('tutor', 'pip'), [
      'install',
      '-q',
      '--disable-pip-version-check',
      '-e',
      join(repo, `tutor-contrib-${FIXTURE.service}`),
    ]);
    fs.outputFileSync(join(pluginsRoot, 'legacybuild.py'), LEGACY_BUILD_PLUGIN);
    tutorRun(['plugins', 'enable', FIXTURE.plugin, 'legacybuild']);
    tutorRun([
      'config',
      'save',
      '--set',
      'LMS_HOST=lms.tutor.test',
      '--set',
      'MYSQL_HOST=127.0.0.1',
      '--set',
      'MYSQL_PORT=3306',
      '--set',
      `MYSQL_ROOT_USERNAME=${ADMIN.user}`,
      '--set',
      `MYSQL_ROOT_PASSWORD=${ADMIN.password}`,
      '--set',
      `${PREFIX}_MEMCACHED_HOST=127.0.0.1`,
      // Tutor's own Redis keys (the Celery broker of celery-redis): Redis on the host, as prepareServices runs it.
      '--set',
      'REDIS_HOST=127.0.0.1',
      '--set',
      'REDIS_PORT=6379',
      '--set',
      `${PREFIX}_DOCKER_IMAGE=${IMAGE}`,
    ]);
    fs.outputFileSync(join(work, 'dump.py'), DUMP);
    const dump = JSON.parse(
      must('env', [`TUTOR_ROOT=${root}`, `TUTOR_PLUGINS_ROOT=${pluginsRoot}`, python, join(work, 'dump.py'), root]),
    ) as {
      config: Yaml;
      tasks: [string, string][];
    };
    tutorConfig = dump.config;
    tasks = dump.tasks;
  }, 600_000);

  afterAll(() => {
    removeContainer(CONTAINER);
    // Four fixtures' images would otherwise stay on the shared, limited disk.
    run('docker', ['image', 'rm', '-f', IMAGE]);
    run('mariadb', ['-uroot', '-e', `DROP USER IF EXISTS '${ADMIN.user}'@'%';`]);
  });

  const compose = (file: string) => parse(fs.readFileSync(join(root, 'env', 'local', file), 'utf8')) as Yaml;
  const service = (file: string, name: string) => (compose(file).services as Yaml)[name] as Yaml;
  /** A compose volume `SRC:DEST:ro` as docker run's -v, SRC resolved from env/local as compose does. */
  const volumeArgs = (spec: Yaml) =>
    (spec.volumes as string[]).flatMap((volume) => {
      const [source, ...rest] = volume.split(':');
      return ['-v', [resolve(root, 'env', 'local', source!), ...rest].join(':')];
    });
  const envArgs = (spec: Yaml) =>
    Object.entries((spec.environment ?? {}) as Yaml).flatMap(([key, value]) => ['-e', `${key}=${String(value)}`]);
  const renderedYaml = () =>
    fs.readFileSync(join(root, 'env', 'plugins', FIXTURE.plugin, 'apps', 'config', `${FIXTURE.service}.yml`), 'utf8');

  it('renders a compose service that runs the image with the YAML mounted read-only', () => {
    const spec = service('docker-compose.yml', FIXTURE.name);
    expect(spec.image).toBe(IMAGE);
    expect(spec.volumes).toEqual([
      `../plugins/${FIXTURE.plugin}/apps/config/${FIXTURE.service}.yml:/edx/etc/${FIXTURE.service}.yml:ro`,
    ]);
    const job = service('docker-compose.jobs.yml', `${FIXTURE.name}-job`);
    expect(job.image).toBe(IMAGE);
    expect(job.volumes).toEqual(spec.volumes);
  });

  it("renders the YAML with every key of the example, Tutor's values and no placeholder", () => {
    const text = renderedYaml();
    expect(text).not.toContain('CHANGE-ME');
    const rendered = parse(text) as Yaml;
    // Comments may name example sites as illustrations; no value may point at one.
    expect(JSON.stringify(rendered)).not.toMatch(/example\.(com|internal)/);
    const example = parse(fs.readFileSync(join(repo, `${FIXTURE.service}.example.yml`), 'utf8')) as Yaml;
    expect(keyPaths(rendered).filter((path) => !path.startsWith('ALLOWED_HOSTS'))).toEqual(
      keyPaths(example).filter((path) => !path.startsWith('ALLOWED_HOSTS')),
    );
    const db = (rendered.DATABASES as Yaml).default as Yaml;
    expect(db).toMatchObject({
      HOST: tutorConfig.MYSQL_HOST,
      PORT: tutorConfig.MYSQL_PORT,
      NAME: tutorConfig[`${PREFIX}_MYSQL_DATABASE`],
      USER: tutorConfig[`${PREFIX}_MYSQL_USERNAME`],
      PASSWORD: tutorConfig[`${PREFIX}_MYSQL_PASSWORD`],
    });
    expect(typeof db.PORT).toBe('number');
    expect(rendered.SECRET_KEY).toBe(tutorConfig[`${PREFIX}_SECRET_KEY`]);
    expect(rendered.ALLOWED_HOSTS).toEqual([`${FIXTURE.name}.lms.tutor.test`, 'localhost', FIXTURE.name]);
    // The example has the edx-auth-backends keys only when the service installs it.
    expect(rendered.SOCIAL_AUTH_EDX_OAUTH2_ISSUER).toBe(
      'SOCIAL_AUTH_EDX_OAUTH2_ISSUER' in example ? 'http://lms.tutor.test' : undefined,
    );
    expect(((rendered.CACHES as Yaml).default as Yaml).LOCATION).toEqual(['127.0.0.1:11211']);
    expect('BACKEND_SERVICE_EDX_OAUTH2_SECRET' in example).toBe(FIXTURE.lms);
    expect('JWT_ISSUERS' in ((example.JWT_AUTH ?? {}) as Yaml)).toBe(FIXTURE.lms);
    // The key-for-key comparison above already shows these are absent from the rendered YAML too.
    if (!FIXTURE.lms) return;
    expect(rendered.BACKEND_SERVICE_EDX_OAUTH2_SECRET).toBe(tutorConfig[`${PREFIX}_OAUTH2_SECRET`]);
    expect(typeof rendered.BACKEND_SERVICE_EDX_OAUTH2_SECRET).toBe('string');
    const jwt = rendered.JWT_AUTH as Yaml;
    expect((jwt.JWT_ISSUERS as Yaml[])[0]).toEqual({
      AUDIENCE: tutorConfig.JWT_COMMON_AUDIENCE,
      ISSUER: 'http://lms.tutor.test/oauth2',
      SECRET_KEY: tutorConfig.JWT_COMMON_SECRET_KEY,
    });
    const jwks = JSON.parse(jwt.JWT_PUBLIC_SIGNING_JWK_SET as string) as { keys: { kty: string; n: string }[] };
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA' });
    expect(jwks.keys[0]!.n.length).toBeGreaterThan(300);
  });

  it("runs a Celery worker exactly when the service has Celery, its YAML's broker at Tutor's Redis", () => {
    const compose = service('docker-compose.yml', `${FIXTURE.name}-worker`);
    const objects = must('kubectl', ['kustomize', join(root, 'env')])
      .split(/^---$/m)
      .map((doc) => parse(doc) as Yaml | null)
      .filter((doc): doc is Yaml => doc !== null);
    const deployment = objects.find(
      (object) => object.kind === 'Deployment' && (object.metadata as Yaml).name === `${FIXTURE.name}-worker`,
    );
    if (FIXTURE.fixture !== 'celery-redis') {
      expect(compose).toBeUndefined();
      expect(deployment).toBeUndefined();
      return;
    }
    const app = service('docker-compose.yml', FIXTURE.name);
    expect(compose).toMatchObject({ image: IMAGE, volumes: app.volumes, environment: app.environment });
    expect((compose.command as string[]).slice(0, 3)).toEqual(['celery', '-A', 'license_manager.celery:app']);
    expect(compose.depends_on).toContain('redis');
    const container = ((((deployment!.spec as Yaml).template as Yaml).spec as Yaml).containers as Yaml[])[0]!;
    expect(container).toMatchObject({ image: IMAGE, command: compose.command });
    // The worker reads the same rendered YAML: its broker is Tutor's Redis.
    expect((parse(renderedYaml()) as Yaml).CELERY_BROKER_URL).toBe(
      `redis://${tutorConfig.REDIS_USERNAME}:${tutorConfig.REDIS_PASSWORD}@${tutorConfig.REDIS_HOST}:` +
        `${tutorConfig.REDIS_PORT}/${tutorConfig[`${PREFIX}_CELERY_REDIS_DB`]}`,
    );
  });

  it("renders the Kubernetes objects with kubectl kustomize on Tutor's env", () => {
    const objects = must('kubectl', ['kustomize', join(root, 'env')])
      .split(/^---$/m)
      .map((doc) => parse(doc) as Yaml | null)
      .filter((doc): doc is Yaml => doc !== null);
    const named = (kind: string, name: string) =>
      objects.find((object) => object.kind === kind && (object.metadata as Yaml).name === name);
    const deployment = named('Deployment', FIXTURE.name);
    expect(deployment).toBeDefined();
    expect(named('Service', FIXTURE.name)).toBeDefined();
    expect(named('Job', `${FIXTURE.name}-job`)).toBeDefined();
    const spec = ((deployment!.spec as Yaml).template as Yaml).spec as Yaml;
    const container = (spec.containers as Yaml[])[0]!;
    expect(container.image).toBe(IMAGE);
    const configMap = ((spec.volumes as Yaml[])[0]!.configMap as Yaml).name as string;
    const data = named('ConfigMap', configMap)!.data as Yaml;
    expect(data[`${FIXTURE.service}.yml`]).toBe(renderedYaml());
  });

  it('builds the image as Tutor does, runs the init tasks and serves health/ as compose declares it', async () => {
    const build = tutorRun(['images', 'build', FIXTURE.name, '--no-registry-cache']);
    expect(build).not.toContain('buildx');
    must('docker', ['image', 'inspect', IMAGE]);

    // The LMS task registers the OAuth2 clients the example has keys for; with none there is no task.
    expect(tasks.map(([name]) => name)).toEqual(['mysql', ...(FIXTURE.lms ? ['lms'] : []), FIXTURE.name]);
    const task = (name: string) => tasks.find(([candidate]) => candidate === name)![1];
    if (FIXTURE.lms) expect(task('lms')).toContain(`--client-id "${String(tutorConfig[`${PREFIX}_OAUTH2_KEY`])}"`);
    // The image build takes minutes, and the shared MariaDB may have been restarted meanwhile.
    prepareServices();
    const db = String(tutorConfig[`${PREFIX}_MYSQL_DATABASE`]);
    const user = String(tutorConfig[`${PREFIX}_MYSQL_USERNAME`]);
    must('mariadb', [
      '-uroot',
      '-e',
      [
        `DROP DATABASE IF EXISTS \`${db}\`;`,
        `DROP USER IF EXISTS '${user}'@'%';`,
        `DROP USER IF EXISTS '${ADMIN.user}'@'%';`,
        `CREATE USER '${ADMIN.user}'@'%' IDENTIFIED BY '${ADMIN.password}';`,
        `GRANT ALL PRIVILEGES ON *.* TO '${ADMIN.user}'@'%' WITH GRANT OPTION;`,
      ].join(' '),
    ]);
    must('sh', ['-e', '-c', task('mysql')]);

    const job = service('docker-compose.jobs.yml', `${FIXTURE.name}-job`);
    must('docker', [
      'run',
      '--rm',
      '--network',
      'host',
      ...envArgs(job),
      ...volumeArgs(job),
      String(job.image),
      'sh',
      '-e',
      '-c',
      task(FIXTURE.name),
    ]);
    const tables = must('mariadb', ['-uroot', '-N', '-e', `SHOW TABLES FROM \`${db}\` LIKE 'django_migrations'`]);
    expect(tables.trim()).toBe('django_migrations');

    const spec = service('docker-compose.yml', FIXTURE.name);
    expect(spec.command).toBeUndefined();
    startContainer(CONTAINER, String(spec.image), [...envArgs(spec), ...volumeArgs(spec)]);
    const deadline = Date.now() + 60_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await waitForHttp(`http://localhost:${FIXTURE.port}/health/`, 60_000)).status;
      if (status === 200) break;
      await new Promise((done) => setTimeout(done, 500));
    }
    expect(status, run('docker', ['logs', CONTAINER]).stderr.slice(-3000)).toBe(200);
  }, 1_200_000);
});
