import type { RepoFacts } from '../analyze/analyze.js';
import { InvalidOptionError } from '../errors.js';
import * as g from '../grammar.js';
import type { Grammar } from '../grammar.js';
import type { GeneratorConfig } from './decisions.js';
import { imageTag, tutorHost, tutorPluginName } from './tutor-grammar.js';

/** The generators (subcommands) that take options from this table. */
export type GeneratorName = 'app' | 'newrelic' | 'private' | 'kubernetes' | 'ci' | 'compose' | 'tutor';

/** How a raw value (flag text, prompt answer, stored JSON) becomes a typed one. */
export type OptionKind = 'string' | 'number' | 'boolean' | 'list';

/** Defaults written once: the app generator, the derivatives and the README read them from here. */
export const DEFAULTS = {
  uid: 1000,
  workers: 2,
  venvPath: '/opt/venv',
  debianRelease: 'bookworm',
  newrelicVersion: '9.13.0',
  indexSecret: 'pip_index_url',
  newrelicFile: 'Dockerfile.newrelic',
  privateFile: 'Dockerfile.private',
  privateRequirements: 'requirements/private.txt',
  k8sDir: 'deploy/kubernetes',
  k8sReplicas: 2,
  k8sCpuRequest: '250m',
  k8sMemoryRequest: '512Mi',
  k8sCpuLimit: '1',
  k8sMemoryLimit: '1Gi',
  registry: 'ghcr.io',
  platforms: ['linux/amd64', 'linux/arm64'],
  branches: ['main', 'master'],
  composeFile: 'compose.yaml',
  mysqlImage: 'mysql:8.0',
  memcachedImage: 'memcached:1.6',
  redisImage: 'redis:7',
} as const;

/** Where the code lives in the image unless `--app-dir` says otherwise. */
export function defaultAppDir(service: string): string {
  return `/edx/app/${service}`;
}

/** An app decision's default: detected from the repo, or computed from earlier decisions. */
export interface DecisionDefault {
  /** The value when no flag, answer or stored value sets it. */
  initial: (facts: RepoFacts, partial: Partial<GeneratorConfig>) => string | number | boolean;
  /** Whether `initial` is a detected fact (stored only when the user overrides it). */
  detected: boolean;
}

/** One option: declared once, read by the Yeoman declarations, the resolvers, the prompts and the README test. */
export interface OptionSpec {
  /** The CLI flag without `--`. */
  flag: string;
  /** The camelCase name Yeoman gives the flag's value (and the app's `.yo-rc.json` key). */
  key: string;
  kind: OptionKind;
  /** What every value (each item of a list) must match before it reaches a template. */
  grammar?: Grammar;
  description: string;
  /** Dotted keys under `"generator-openedx-ida"` in `.yo-rc.json` where the value is stored. */
  stored: string[];
  generators: readonly GeneratorName[];
  /** The default, as the README states it. */
  defaultText: string;
  /** The question text, for decisions the app generator asks. */
  prompt?: string;
  alias?: string;
  /** For the app's decisions: how the value defaults. */
  decision?: DecisionDefault;
}

const ALL: readonly GeneratorName[] = ['app', 'newrelic', 'private'];
const APP: readonly GeneratorName[] = ['app'];
const K8S: readonly GeneratorName[] = ['kubernetes'];

/** The files this tool owns or generates: a variant's file or the example YAML may not be one of them. */
const RESERVED = new Set(['.yo-rc.json', '.dockerignore', 'dockerfile', '.openedx-ida']);

/** A generated file name: inside the repo, and not the tool's state or another generated file. */
function generatedFile(others: string[]): Grammar {
  return g.both(g.relativePath, (value) => {
    const lower = value.toLowerCase();
    const first = lower.split('/')[0]!;
    // .git too: a write into Git's own directory corrupts the checkout and no `git status` shows it.
    if (RESERVED.has(lower) || first === '.openedx-ida' || first === '.git' || others.includes(lower)) {
      return (
        'name a file of its own, not .yo-rc.json, .openedx-ida/, .git/, .dockerignore, Dockerfile ' +
        'or another generated file'
      );
    }
    return true;
  });
}

/** A derivative Dockerfile: also never a YAML file (the example config is one). */
const variantFile = (other: string) =>
  g.both(generatedFile([other.toLowerCase()]), (value) => !/\.ya?ml$/i.test(value) || 'a Dockerfile name, not .yml');

function option(spec: OptionSpec): OptionSpec {
  return spec;
}

/**
 * Every option of every generator, one entry a row. App decisions are in the order they
 * resolve (later defaults may read earlier decisions); the rest follow.
 */
// A table: one option a line.
// prettier-ignore
export const OPTIONS: readonly OptionSpec[] = [
  option({ flag: 'yes', key: 'yes', alias: 'y', kind: 'boolean', generators: [...ALL, 'kubernetes', 'ci', 'compose', 'tutor'], stored: [], defaultText: 'false', description: 'Accept detected values and stored decisions without asking' }),
  option({ flag: 'django-package', key: 'djangoPackage', kind: 'string', grammar: g.identifier, generators: APP, stored: [], defaultText: 'detected', description: 'The Django package, when detection cannot find it' }),
  option({ flag: 'service', key: 'service', kind: 'string', grammar: g.serviceName, generators: ALL, stored: ['service', 'operator.service'], defaultText: 'detected', prompt: 'Service name', description: 'Service name (image title, gunicorn --name, config file name)', decision: { detected: true, initial: (f) => f.service.value } }),
  option({ flag: 'settings-module', key: 'settingsModule', kind: 'string', grammar: g.dottedName, generators: APP, stored: ['settingsModule'], defaultText: 'detected', prompt: 'Production settings module', description: 'Production Django settings module', decision: { detected: true, initial: (f) => f.settingsModule.value } }),
  option({ flag: 'config-var', key: 'configVar', kind: 'string', grammar: (v) => v === '' || g.envName(v), generators: APP, stored: ['configVar'], defaultText: 'detected', prompt: 'Config variable (empty: the settings read no YAML)', description: 'Environment variable the settings read the YAML path from (empty: the settings read no YAML)', decision: { detected: true, initial: (f) => f.configVar.value ?? '' } }),
  option({ flag: 'config-path', key: 'configPath', kind: 'string', grammar: g.both(g.absolutePath, g.yamlFile), generators: APP, stored: ['configPath'], defaultText: '`/edx/etc/<service>.yml`', prompt: 'Config file path in the container', description: 'Absolute path the YAML is mounted at', decision: { detected: true, initial: (f, p) => (p.service && p.service !== f.service.value && !f.configLoad.value?.fileInDirectory ? `/edx/etc/${p.service}.yml` : f.configPath.value) } }),
  option({ flag: 'python-version', key: 'pythonVersion', kind: 'string', grammar: g.pythonVersion, generators: APP, stored: ['pythonVersion'], defaultText: 'detected, else 3.11', prompt: 'Python version', description: 'Python major.minor for the base image', decision: { detected: true, initial: (f) => f.pythonVersion.value } }),
  option({ flag: 'port', key: 'port', kind: 'number', grammar: g.integerIn(1, 65535, 'a port'), generators: ALL, stored: ['port', 'operator.port'], defaultText: 'detected, else 8000', prompt: 'Service port', description: 'Port gunicorn listens on', decision: { detected: true, initial: (f) => f.port.value } }),
  option({ flag: 'example-config', key: 'exampleConfig', kind: 'string', grammar: g.both(generatedFile([]), g.yamlFile), generators: APP, stored: ['exampleConfig'], defaultText: '`<service>.example.yml`', prompt: 'Example config file', description: 'Where to write the example YAML, relative to the repo', decision: { detected: false, initial: (f, p) => `${p.service ?? f.service.value}.example.yml` } }),
  option({ flag: 'cache-mounts', key: 'cacheMounts', kind: 'boolean', generators: APP, stored: ['cacheMounts'], defaultText: 'false: `RUN --mount=type=cache` for pip (needs BuildKit or buildah)', prompt: 'Use BuildKit cache mounts for pip?', description: 'Use BuildKit cache mounts for pip (needs BuildKit or buildah)', decision: { detected: false, initial: () => false } }),
  option({ flag: 'collectstatic', key: 'collectstatic', kind: 'boolean', generators: APP, stored: ['collectstatic'], defaultText: 'detected (staticfiles with `STATIC_ROOT`)', description: 'Run collectstatic at build time', decision: { detected: true, initial: (f) => f.staticFiles.value.collectstatic } }),
  option({ flag: 'debian-release', key: 'debianRelease', kind: 'string', grammar: g.debianRelease, generators: APP, stored: ['debianRelease'], defaultText: `\`${DEFAULTS.debianRelease}\``, description: 'Debian release of the python:*-slim base', decision: { detected: false, initial: () => DEFAULTS.debianRelease } }),
  option({ flag: 'workers', key: 'workers', kind: 'number', grammar: g.integerIn(1, 256, 'a worker count'), generators: ALL, stored: ['workers', 'operator.workers'], defaultText: String(DEFAULTS.workers), description: 'gunicorn worker processes', decision: { detected: false, initial: () => DEFAULTS.workers } }),
  option({ flag: 'uid', key: 'uid', kind: 'number', grammar: g.integerIn(1, 2147483647, 'a non-root numeric UID'), generators: ALL, stored: ['uid', 'operator.uid'], defaultText: String(DEFAULTS.uid), description: 'Numeric user (and group) the service runs as', decision: { detected: false, initial: () => DEFAULTS.uid } }),
  option({ flag: 'venv-path', key: 'venvPath', kind: 'string', grammar: g.absolutePath, generators: APP, stored: ['venvPath'], defaultText: `\`${DEFAULTS.venvPath}\``, description: 'Virtualenv path in the image', decision: { detected: false, initial: () => DEFAULTS.venvPath } }),
  option({ flag: 'app-dir', key: 'appDir', kind: 'string', grammar: g.absolutePath, generators: ALL, stored: ['appDir', 'operator.appDir'], defaultText: `\`${defaultAppDir('<service>')}\``, description: 'Where the code lives in the image', decision: { detected: false, initial: (f, p) => defaultAppDir(p.service ?? f.service.value) } }),
  option({ flag: 'vault-template', key: 'vaultTemplate', kind: 'boolean', generators: APP, stored: ['vault.template'], defaultText: 'false', description: 'Also write <service>.yml.ctmpl: the example YAML with each secret read from Vault KV v2 by consul-template' }),
  option({ flag: 'vault-path', key: 'vaultPath', kind: 'string', grammar: g.vaultKv2Path, generators: APP, stored: ['vault.path'], defaultText: '`secret/data/<service>`', description: 'The Vault KV v2 secret the .ctmpl reads (<mount>/data/<path>)' }),
  option({ flag: 'newrelic', key: 'newrelic', kind: 'boolean', generators: APP, stored: [], defaultText: 'false', description: 'Also write the New Relic variant (see openedx-ida newrelic --help)' }),
  option({ flag: 'private', key: 'private', kind: 'boolean', generators: APP, stored: [], defaultText: 'false', description: 'Also write the private/operator variant (see openedx-ida private --help)' }),
  option({ flag: 'base-image', key: 'baseImage', kind: 'string', grammar: g.imageReference, generators: [...ALL, 'kubernetes', 'ci', 'tutor'], stored: ['baseImage'], defaultText: '`docker.io/openedx/<service>:main`', description: 'The public image with a tag (default: docker.io/openedx/<service>:main): what the derivatives build FROM, the CI workflow pushes, and Kubernetes and Tutor run' }),
  option({ flag: 'wsgi-app', key: 'wsgiApp', kind: 'string', grammar: g.wsgiApp, generators: ['newrelic', 'private'], stored: ['operator.wsgiApp'], defaultText: 'detected (operator repo: required)', description: 'Operator repo: the WSGI app (pkg.wsgi:application)' }),
  option({ flag: 'gunicorn-config', key: 'gunicornConfig', kind: 'string', grammar: g.anyPath, generators: ['newrelic', 'private'], stored: ['operator.gunicornConfig'], defaultText: 'detected (operator repo: none)', description: 'Operator repo: the gunicorn config file in the image (relative to the app dir)' }),
  option({ flag: 'server', key: 'server', kind: 'string', grammar: (v) => v === 'gunicorn' || v === 'uwsgi' || 'use gunicorn or uwsgi', generators: ['newrelic', 'private'], stored: ['operator.server'], defaultText: 'detected (operator repo: gunicorn)', description: 'Operator repo: the WSGI server the public image runs, gunicorn or uwsgi' }),
  option({ flag: 'newrelic-version', key: 'newrelicVersion', kind: 'string', grammar: g.pep440Release, generators: ['app', 'newrelic'], stored: ['newrelic.newrelicVersion'], defaultText: DEFAULTS.newrelicVersion, description: `newrelic version to install when the requirements do not pin it (default ${DEFAULTS.newrelicVersion})` }),
  option({ flag: 'newrelic-file', key: 'newrelicFile', kind: 'string', grammar: variantFile(DEFAULTS.privateFile), generators: ['app', 'newrelic'], stored: ['newrelic.file'], defaultText: `\`${DEFAULTS.newrelicFile}\``, description: `Where to write it (default ${DEFAULTS.newrelicFile})` }),
  option({ flag: 'private-requirements', key: 'privateRequirements', kind: 'list', grammar: g.relativePath, generators: ['app', 'private'], stored: ['private.requirements'], defaultText: `\`${DEFAULTS.privateRequirements}\` when present`, description: `Requirements files with private packages (comma-separated; default ${DEFAULTS.privateRequirements} when present)` }),
  option({ flag: 'pip-packages', key: 'pipPackages', kind: 'list', grammar: g.pipRequirement, generators: ['app', 'private'], stored: ['private.pipPackages'], defaultText: 'none', description: 'Extra pip packages: plugins, XBlocks (comma- or space-separated)' }),
  option({ flag: 'apt-packages', key: 'aptPackages', kind: 'list', grammar: g.debianPackage, generators: ['app', 'private'], stored: ['private.aptPackages'], defaultText: 'none', description: 'Extra Debian packages (comma- or space-separated)' }),
  option({ flag: 'copy', key: 'copy', kind: 'list', grammar: g.copySpec, generators: ['app', 'private'], stored: ['private.copies'], defaultText: 'none', description: 'Files to copy in, SRC:DEST (comma-separated; DEST relative to the app dir)' }),
  option({ flag: 'index-secret', key: 'indexSecret', kind: 'string', grammar: g.secretId, generators: ['app', 'private'], stored: ['private.indexSecret'], defaultText: `\`${DEFAULTS.indexSecret}\``, description: `BuildKit secret id holding the private index URL (default ${DEFAULTS.indexSecret})` }),
  option({ flag: 'private-file', key: 'privateFile', kind: 'string', grammar: variantFile(DEFAULTS.newrelicFile), generators: ['app', 'private'], stored: ['private.file'], defaultText: `\`${DEFAULTS.privateFile}\``, description: `Where to write it (default ${DEFAULTS.privateFile})` }),
  option({ flag: 'k8s-dir', key: 'k8sDir', kind: 'string', grammar: generatedFile([]), generators: K8S, stored: ['kubernetes.dir'], defaultText: `\`${DEFAULTS.k8sDir}\``, description: 'Where to write the kustomize base and overlays, relative to the repo' }),
  option({ flag: 'k8s-host', key: 'k8sHost', kind: 'string', grammar: g.dnsName, generators: K8S, stored: ['kubernetes.host'], defaultText: '`<service>.example.com`', description: 'The Ingress host name (a DNS name)' }),
  option({ flag: 'k8s-namespace', key: 'k8sNamespace', kind: 'string', grammar: g.kubernetesNamespace, generators: K8S, stored: ['kubernetes.namespace'], defaultText: 'the service name as a DNS label', description: 'The namespace every object goes in (a DNS label, not kube-*)' }),
  option({ flag: 'k8s-replicas', key: 'k8sReplicas', kind: 'number', grammar: g.integerIn(1, 1000, 'a replica count'), generators: K8S, stored: ['kubernetes.replicas'], defaultText: String(DEFAULTS.k8sReplicas), description: 'Web pods: the autoscaler minimum (the Deployment leaves the count to it)' }),
  option({ flag: 'k8s-image', key: 'k8sImage', kind: 'string', grammar: g.imageReference, generators: K8S, stored: ['kubernetes.image'], defaultText: 'the public image (`--base-image`)', description: 'The image the pods run, when not the public image (--base-image)' }),
  option({ flag: 'k8s-cpu-request', key: 'k8sCpuRequest', kind: 'string', grammar: g.cpuQuantity, generators: K8S, stored: ['kubernetes.cpuRequest'], defaultText: DEFAULTS.k8sCpuRequest, description: 'CPU request of each web and worker container (a Kubernetes quantity)' }),
  option({ flag: 'k8s-memory-request', key: 'k8sMemoryRequest', kind: 'string', grammar: g.memoryQuantity, generators: K8S, stored: ['kubernetes.memoryRequest'], defaultText: DEFAULTS.k8sMemoryRequest, description: 'Memory request of each container (a Kubernetes quantity)' }),
  option({ flag: 'k8s-cpu-limit', key: 'k8sCpuLimit', kind: 'string', grammar: g.cpuQuantity, generators: K8S, stored: ['kubernetes.cpuLimit'], defaultText: DEFAULTS.k8sCpuLimit, description: 'CPU limit of each container (a Kubernetes quantity)' }),
  option({ flag: 'k8s-memory-limit', key: 'k8sMemoryLimit', kind: 'string', grammar: g.memoryQuantity, generators: K8S, stored: ['kubernetes.memoryLimit'], defaultText: DEFAULTS.k8sMemoryLimit, description: 'Memory limit of each container (a Kubernetes quantity)' }),
  option({ flag: 'ci-file', key: 'ciFile', kind: 'string', grammar: g.workflowFile, generators: ['ci'], stored: ['ci.file'], defaultText: '`.github/workflows/<service>-image.yml`', description: 'Where to write the workflow' }),
  option({ flag: 'registry', key: 'registry', kind: 'string', grammar: g.registryHost, generators: ['ci'], stored: ['ci.registry'], defaultText: "the public image's (`--base-image`)", description: `Registry host the workflow pushes to, when not the public image's (--base-image); other than ${DEFAULTS.registry}, it needs REGISTRY_USERNAME and REGISTRY_PASSWORD secrets` }),
  option({ flag: 'image-name', key: 'imageName', kind: 'string', grammar: g.imageName, generators: ['ci'], stored: ['ci.image'], defaultText: "the public image's (`--base-image`)", description: "Image path in the registry, without registry or tag, when not the public image's (--base-image)" }),
  option({ flag: 'platforms', key: 'platforms', kind: 'list', grammar: g.platform, generators: ['ci'], stored: ['ci.platforms'], defaultText: `\`${DEFAULTS.platforms.join(',')}\``, description: 'Platforms the published image is built for (comma-separated)' }),
  option({ flag: 'smoke-config', key: 'smokeConfig', kind: 'string', grammar: g.both(g.relativePath, g.yamlFile), generators: ['ci'], stored: ['ci.smokeConfig'], defaultText: 'none: the example YAML, filled', description: "A YAML in the repo the pull-request smoke test mounts as it is (openedx-ida smoke --config), for a service whose example cannot boot filled mechanically" }),
  option({ flag: 'branches', key: 'branches', kind: 'list', grammar: g.branchName, generators: ['ci'], stored: ['ci.branches'], defaultText: `\`${DEFAULTS.branches.join(',')}\``, description: 'Branches whose pushes publish the image (comma-separated; tags always do)' }),
  option({ flag: 'compose-file', key: 'composeFile', kind: 'string', grammar: g.both(generatedFile([]), g.yamlFile), generators: ['compose'], stored: ['compose.file'], defaultText: `\`${DEFAULTS.composeFile}\``, description: `Where to write the compose file (default ${DEFAULTS.composeFile})` }),
  option({ flag: 'local-config', key: 'localConfig', kind: 'string', grammar: g.both(generatedFile([]), g.yamlFile), generators: ['compose'], stored: ['compose.localConfig'], defaultText: '`<service>.local.yml`', description: 'Where to write the YAML filled for the local stack (default <service>.local.yml)' }),
  option({ flag: 'host-port', key: 'hostPort', kind: 'number', grammar: g.integerIn(1, 65535, 'a port'), generators: ['compose'], stored: ['compose.hostPort'], defaultText: 'the service port', description: 'Port on your machine the local stack publishes the service on (default: the service port)' }),
  option({ flag: 'mysql-image', key: 'mysqlImage', kind: 'string', grammar: g.imageReference, generators: ['compose'], stored: ['compose.mysqlImage'], defaultText: `\`${DEFAULTS.mysqlImage}\``, description: `The database image of the local stack (default ${DEFAULTS.mysqlImage})` }),
  option({ flag: 'memcached-image', key: 'memcachedImage', kind: 'string', grammar: g.imageReference, generators: ['compose'], stored: ['compose.memcachedImage'], defaultText: `\`${DEFAULTS.memcachedImage}\``, description: `The memcached image of the local stack (default ${DEFAULTS.memcachedImage})` }),
  option({ flag: 'redis-image', key: 'redisImage', kind: 'string', grammar: g.imageReference, generators: ['compose'], stored: ['compose.redisImage'], defaultText: `\`${DEFAULTS.redisImage}\``, description: `The Redis image of the local stack (default ${DEFAULTS.redisImage})` }),
  option({ flag: 'tutor-plugin', key: 'tutorPlugin', kind: 'string', grammar: tutorPluginName, generators: ['tutor'], stored: ['tutor.plugin'], defaultText: '`ida_<service>`, `_` for `-` (never an official plugin\'s name)', description: 'Tutor plugin name (tutor plugins enable NAME; NAME_ upper-cased prefixes its config)' }),
  option({ flag: 'tutor-host', key: 'tutorHost', kind: 'string', grammar: tutorHost, generators: ['tutor'], stored: ['tutor.host'], defaultText: '`ida-<service>.{{ LMS_HOST }}` (the plugin name as a DNS label)', description: 'Public host name Caddy routes to the service (may use {{ LMS_HOST }})' }),
  option({ flag: 'tutor-version', key: 'tutorVersion', kind: 'string', grammar: imageTag, generators: ['tutor'], stored: ['tutor.version'], defaultText: '`main`', description: 'Image tag Tutor builds and runs (NAME_VERSION)' }),
];

/** The option declared for `flag`; throws on a typo in the code. */
export function optionFor(flag: string): OptionSpec {
  const spec = OPTIONS.find((candidate) => candidate.flag === flag);
  if (!spec) throw new Error(`no option --${flag} in the options table`);
  return spec;
}

/** A Yeoman option declaration: name and spec, as `Generator.option` takes them. */
export type YeomanOption = [string, { type: typeof String | typeof Boolean; description: string; alias?: string }];

/**
 * The Yeoman option declarations of one generator. Numbers and lists are declared as
 * String: Yeoman's command line treats Number options as booleans; the resolvers coerce
 * and validate them, naming the flag.
 */
export function yeomanOptions(generator: GeneratorName): YeomanOption[] {
  return OPTIONS.filter((spec) => spec.generators.includes(generator)).map((spec) => [
    spec.flag,
    {
      type: spec.kind === 'boolean' ? Boolean : String,
      description: spec.description,
      ...(spec.alias ? { alias: spec.alias } : {}),
    },
  ]);
}

/** Where a raw value came from, for the error message. */
export type Origin =
  { from: 'flag' } | { from: 'answer' } | { from: 'stored'; key: string } | { from: 'detected'; source: string | null };

/** The value as the error shows it: JSON (newlines escaped), cut short. */
function shown(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function invalid(spec: OptionSpec, origin: Origin, raw: unknown, why: string): InvalidOptionError {
  const flag = `--${spec.flag}`;
  switch (origin.from) {
    case 'stored':
      return new InvalidOptionError(
        `${origin.key} in .yo-rc.json (${flag}) is ${shown(raw)}: not valid (${why})`,
        `fix or remove ${origin.key} in .yo-rc.json, or pass a valid ${flag}`,
      );
    case 'detected':
      return new InvalidOptionError(
        `the detected ${spec.key} ${shown(raw)}${origin.source ? ` (${origin.source})` : ''} is not valid (${why})`,
        `pass a valid ${flag}`,
      );
    default:
      return new InvalidOptionError(`${flag} ${shown(raw)} is not valid (${why})`, `pass a valid ${flag}`);
  }
}

function checked(spec: OptionSpec, origin: Origin, raw: unknown, text: string): void {
  const result = spec.grammar?.(text) ?? true;
  if (result !== true) throw invalid(spec, origin, raw, result);
}

const TRUE = ['true', '1', 'yes', 'on', ''];
const FALSE = ['false', '0', 'no', 'off'];

/**
 * Turns a raw value into the option's type and checks it against its grammar. Flags and
 * answers are text (lists comma- or space-separated); stored values are JSON (lists as arrays).
 * Throws InvalidOptionError naming the flag, and for stored values `.yo-rc.json` and the key.
 */
export function validateOption(spec: OptionSpec, raw: unknown, origin: Origin): string | number | boolean | string[] {
  switch (spec.kind) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const text = String(raw).trim().toLowerCase();
      if (typeof raw === 'string' && TRUE.includes(text)) return true;
      if (typeof raw === 'string' && FALSE.includes(text)) return false;
      throw invalid(spec, origin, raw, 'use true or false');
    }
    case 'number': {
      const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
      if (text === '' || !Number.isFinite(Number(text))) throw invalid(spec, origin, raw, 'use a number');
      checked(spec, origin, raw, text);
      return Number(text);
    }
    case 'list': {
      const text = origin.from === 'flag' || origin.from === 'answer';
      const items =
        !text && Array.isArray(raw)
          ? raw
          : text && typeof raw === 'string'
            ? raw.split(/[\s,]+/).filter(Boolean)
            : null;
      if (items === null) throw invalid(spec, origin, raw, 'use a list of strings');
      for (const item of items) {
        if (typeof item !== 'string') throw invalid(spec, origin, raw, 'use a list of strings');
        checked(spec, origin, item, item);
      }
      return items as string[];
    }
    default: {
      if (typeof raw !== 'string' && typeof raw !== 'number') throw invalid(spec, origin, raw, 'use a string');
      const text = String(raw);
      checked(spec, origin, raw, text);
      return text;
    }
  }
}

/** A given value: neither missing nor an empty flag. */
export function given(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * One option's value by precedence: flag, then stored (read at `storedKey` of `stored`, a
 * section of `.yo-rc.json` named by `section`), then undefined. Validated, whichever it is.
 */
export function flagOrStored(
  flag: string,
  flags: Record<string, unknown>,
  stored: Record<string, unknown> | undefined,
  storedKey: string,
): string | number | boolean | string[] | undefined {
  const spec = optionFor(flag);
  if (given(flags[spec.key])) return validateOption(spec, flags[spec.key], { from: 'flag' });
  const value = stored?.[storedKey.split('.').pop()!];
  if (value !== undefined && value !== null) return validateOption(spec, value, { from: 'stored', key: storedKey });
  return undefined;
}
