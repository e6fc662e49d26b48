import { posix } from 'node:path';
import type { RepoFacts } from '../analyze/analyze.js';
import type { NodeAssets } from '../analyze/assets.js';
import { GUNICORN_FALLBACK_VERSION } from '../analyze/serving.js';
import { GENERATOR_VERSION } from '../package-info.js';
import type { GeneratorConfig } from './decisions.js';
import { assertUsableRepoValues } from './repo-values.js';

/** Template input for `templates/app/Dockerfile.ejs`: strings ready to substitute, booleans to branch on. */
export interface DockerfileModel {
  headerLines: string[];
  pythonVersion: string;
  baseImage: string;
  venvPath: string;
  appDir: string;
  uid: number;
  hasRuntimePackages: boolean;
  runtimePackages: string;
  hasBuildPackages: boolean;
  buildPackages: string;
  /** BuildKit cache mounts for pip (the file then needs BuildKit or buildah). */
  cacheMounts: boolean;
  /** `RUN` prefix for pip installs: plain, or with a BuildKit cache mount. */
  pipRun: string;
  pipFlags: string;
  hasBootstrap: boolean;
  bootstrapCopy: string;
  bootstrapFile: string;
  requirementsCopies: string[];
  installFile: string;
  /** No requirement installs a WSGI server: the image installs gunicorn, pinned. */
  installsGunicorn: boolean;
  gunicornPin: string;
  hasNodeAssets: boolean;
  nodeImage: string;
  nodeManifestCopy: string;
  nodeInstall: string;
  nodeBuild: string;
  /** manage.py commands run at build time (compilemessages, collectstatic), in order. */
  hasManageSteps: boolean;
  manageSteps: string[];
  /**
   * collectstatic writes to a literal STATIC_ROOT outside the app dir (`/edx/var/<svc>/staticfiles`):
   * the production stage copies that directory too, or the collected files stay in the app stage.
   */
  hasStaticCopy: boolean;
  /** The CMD runs gunicorn, whose control socket needs a writable runtime dir (the image's /tmp). */
  isGunicorn: boolean;
  staticRoot: string;
  /** Settings for those commands: an empty build-only config, no secrets. */
  buildConfigDir: string;
  buildConfigFile: string;
  buildConfigEnv: string;
  settingsModule: string;
  /** The service reads a YAML file: the image sets its variable and checks the file at start. */
  hasConfig: boolean;
  /** The build-time manage.py steps need an (empty) YAML to import the settings. */
  hasBuildConfig: boolean;
  configVar: string;
  configVarValue: string;
  /** Where the operator mounts the YAML file. */
  configPath: string;
  /**
   * Checks the YAML is mounted before starting, naming the variable and the path. The image
   * always sets the variable, so even an optional load in the code would fail on a missing file.
   */
  entrypointJson: string;
  cmdJson: string;
  port: number;
  hasHealthcheck: boolean;
  healthcheckJson: string;
  service: string;
  hasSourceUrl: boolean;
  sourceUrl: string;
}

const BUILD_CONFIG_DIR = '/tmp/build-config';

/** Groups files by directory into `COPY a b dir/` argument strings (one per directory). */
export function copyArgs(files: string[]): string[] {
  const byDir = new Map<string, string[]>();
  for (const file of files) {
    const dir = posix.dirname(file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  return [...byDir.entries()].map(([dir, group]) => [...group, dir === '.' ? './' : `${dir}/`].join(' '));
}

/** The config variable's value in the image: the file, or the directory for directory variables. */
export function configVarValue(facts: RepoFacts, config: GeneratorConfig): string {
  return facts.configLoad.value?.fileInDirectory ? posix.dirname(config.configPath) : config.configPath;
}

/** What the gunicorn command is made of. */
export interface GunicornSpec {
  workers: number;
  service: string;
  /** Absolute path of the gunicorn config file in the image, or null. */
  configFile: string | null;
  port: number;
  wsgiApp: string;
}

/** The gunicorn command of the public image, exec form. Derivative images reuse it. */
export function gunicornCommand(spec: GunicornSpec): string[] {
  return [
    'gunicorn',
    `--workers=${spec.workers}`,
    '--name',
    spec.service,
    ...(spec.configFile ? ['-c', spec.configFile] : []),
    '--bind',
    `0.0.0.0:${spec.port}`,
    '--worker-tmp-dir',
    '/dev/shm',
    '--log-file',
    '-',
    '--access-logfile',
    '-',
    '--max-requests=1000',
    spec.wsgiApp,
  ];
}

/** What the uwsgi command is made of. */
export interface UwsgiSpec {
  workers: number;
  port: number;
  wsgiApp: string;
  /** Absolute path of the repo's uwsgi ini in the image, or null. */
  iniFile: string | null;
  /** The ini already binds the port (`http-socket`/`http`), so the command must not bind it again. */
  iniBindsPort: boolean;
}

/**
 * The uwsgi command, exec form: HTTP on the port, the WSGI app as `module`, a master with
 * `workers` processes; `--die-on-term` so SIGTERM (docker stop) ends it, `--need-app` so a
 * settings error stops the container instead of serving 500s. With the repo's ini, the ini
 * decides the rest.
 */
export function uwsgiCommand(spec: UwsgiSpec): string[] {
  const bind = spec.iniBindsPort ? [] : ['--http-socket', `:${spec.port}`];
  // Threads and one interpreter: what APM agents such as New Relic's (the derivative) need under uwsgi.
  const common = ['--master', '--enable-threads', '--single-interpreter', '--die-on-term', '--need-app'];
  if (spec.iniFile) return ['uwsgi', '--ini', spec.iniFile, ...bind, ...common];
  return ['uwsgi', ...bind, '--module', spec.wsgiApp, `--processes=${spec.workers}`, ...common];
}

/** The server command for this repo and these decisions (gunicorn, or uwsgi when only uwsgi is installed). */
export function repoServerCommand(facts: RepoFacts, config: GeneratorConfig): string[] {
  const server = facts.server.value;
  if (server.kind === 'uwsgi') {
    const ini = server.uwsgiIni;
    return uwsgiCommand({
      workers: config.workers,
      port: config.port,
      wsgiApp: facts.wsgiApp.value,
      iniFile: ini ? posix.join(config.appDir, ini) : null,
      iniBindsPort:
        ini !== null && facts.port.source?.startsWith(`${ini}:`) === true && facts.port.value === config.port,
    });
  }
  const configFile = facts.gunicornConfig.value;
  return gunicornCommand({
    workers: config.workers,
    service: config.service,
    configFile: configFile ? posix.join(config.appDir, configFile) : null,
    port: config.port,
    wsgiApp: facts.wsgiApp.value,
  });
}

/** The header lines every generated file starts with (behind the file's comment marker). */
export function headerLines(what: string, command = 'openedx-ida --yes'): string[] {
  return [
    `Generated by generator-openedx-ida ${GENERATOR_VERSION}: ${what}.`,
    `Regenerate with \`npx -p generator-openedx-ida ${command}\` (decisions live in .yo-rc.json).`,
  ];
}

/** A Python one-liner for HEALTHCHECK (and the compose healthcheck): slim images have no curl. */
export function healthcheck(port: number, path: string): string[] {
  const script = `import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://localhost:${port}${path}', timeout=4).status == 200 else 1)`;
  return ['python', '-c', script];
}

/**
 * The STATIC_ROOT collectstatic fills, when it is a literal absolute path outside the app dir
 * (an expression such as `root('assets')` resolves inside the code, which is copied anyway).
 */
export function collectedOutsideApp(facts: RepoFacts, config: GeneratorConfig): string | null {
  const root = facts.staticFiles.value.staticRoot;
  if (!config.collectstatic || root === null || !root.startsWith('/')) return null;
  const normalized = posix.normalize(root).replace(/\/+$/, '');
  const inside = posix.relative(config.appDir, normalized);
  return inside === '' || !inside.startsWith('..') ? null : normalized;
}

/** Turns facts plus decisions into the Dockerfile's template input. */
/**
 * The assets stage's install: `npm ci` with a lockfile, without devDependencies when the build
 * names none of them (`--production` for npm 6, which Node 14 and older ship and which has
 * no `--omit`).
 */
function nodeInstall(node: NodeAssets): string {
  const base = node.lockfile ? 'npm ci' : 'npm install';
  if (!node.omitDev) return base;
  return Number(node.nodeVersion) >= 16 ? `${base} --omit=dev` : `${base} --production`;
}

export function toDockerfileModel(facts: RepoFacts, config: GeneratorConfig): DockerfileModel {
  assertUsableRepoValues(facts);
  const sourceUrl = facts.sourceUrl.value;
  const requirements = facts.requirements.value;
  const installFile = requirements.install ?? 'requirements.txt';
  const bootstrap = requirements.bootstrap;
  const mainFiles = requirements.files.filter((file) => file !== bootstrap);
  const node = facts.nodeAssets.value;
  const configFileName = posix.basename(config.configPath);
  const buildConfigFile = `${BUILD_CONFIG_DIR}/${configFileName}`;
  const directoryVar = (facts.configLoad.value?.fileInDirectory ?? null) !== null;
  const hasConfig = config.configVar !== '';
  const varValue = configVarValue(facts, config);
  const checkPath = directoryVar ? `$${config.configVar}/${configFileName}` : `$${config.configVar}`;
  const manageSteps = [
    ...(facts.translations.value ? ['python manage.py compilemessages'] : []),
    ...(config.collectstatic ? ['python manage.py collectstatic --noinput --verbosity 0'] : []),
  ];
  const staticRoot = collectedOutsideApp(facts, config);
  const configCheck = [
    `if [ ! -r "${checkPath}" ]; then echo "${config.configVar}=$${config.configVar}: no readable YAML config at ${checkPath}; mount your config file there (see ${config.exampleConfig})" >&2; exit 78; fi; exec "$@"`,
  ];
  return {
    headerLines: [
      ...headerLines(`production image for ${config.service}`),
      ...(config.cacheMounts
        ? [
            'Uses BuildKit cache mounts (--cache-mounts): build with BuildKit (DOCKER_BUILDKIT=1) or buildah, not the legacy builder.',
          ]
        : []),
    ],
    pythonVersion: config.pythonVersion,
    baseImage: `docker.io/library/python:\${PYTHON_VERSION}-slim-${config.debianRelease}`,
    venvPath: config.venvPath,
    appDir: config.appDir,
    uid: config.uid,
    hasRuntimePackages: facts.systemPackages.value.runtime.length > 0,
    runtimePackages: facts.systemPackages.value.runtime.join(' '),
    hasBuildPackages: facts.systemPackages.value.build.length > 0,
    buildPackages: facts.systemPackages.value.build.join(' '),
    cacheMounts: config.cacheMounts,
    pipRun: config.cacheMounts ? 'RUN --mount=type=cache,target=/root/.cache/pip' : 'RUN',
    pipFlags: config.cacheMounts ? '' : ' --no-cache-dir',
    hasBootstrap: bootstrap !== null,
    bootstrapCopy: bootstrap ? copyArgs([bootstrap])[0] : '',
    bootstrapFile: bootstrap ?? '',
    requirementsCopies: copyArgs(mainFiles.length > 0 ? mainFiles : [installFile]),
    installFile,
    installsGunicorn: !facts.server.value.installed,
    gunicornPin: `gunicorn==${GUNICORN_FALLBACK_VERSION}`,
    hasNodeAssets: node !== null,
    nodeImage: node ? `docker.io/library/node:${node.nodeVersion}-${config.debianRelease}-slim` : '',
    nodeManifestCopy: node ? ['package.json', ...(node.lockfile ? [node.lockfile] : []), './'].join(' ') : '',
    nodeInstall: node ? nodeInstall(node) : '',
    nodeBuild: node?.buildCommand ?? '',
    hasManageSteps: manageSteps.length > 0,
    hasStaticCopy: staticRoot !== null,
    isGunicorn: facts.server.value.kind !== 'uwsgi',
    staticRoot: staticRoot ?? '',
    manageSteps,
    buildConfigDir: BUILD_CONFIG_DIR,
    buildConfigFile,
    buildConfigEnv: hasConfig
      ? `DJANGO_SETTINGS_MODULE=${config.settingsModule} ${config.configVar}=${directoryVar ? BUILD_CONFIG_DIR : buildConfigFile}`
      : `DJANGO_SETTINGS_MODULE=${config.settingsModule}`,
    settingsModule: config.settingsModule,
    hasConfig,
    hasBuildConfig: hasConfig && manageSteps.length > 0,
    configVar: config.configVar,
    configVarValue: varValue,
    configPath: config.configPath,
    entrypointJson: JSON.stringify(['/bin/sh', '-c', ...configCheck, '--']),
    cmdJson: JSON.stringify(repoServerCommand(facts, config)),
    port: config.port,
    hasHealthcheck: facts.healthPath.value !== null,
    healthcheckJson: JSON.stringify(healthcheck(config.port, facts.healthPath.value ?? '/')),
    service: config.service,
    hasSourceUrl: sourceUrl !== null,
    sourceUrl: sourceUrl ?? '',
  };
}
