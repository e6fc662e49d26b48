import { imageParts } from '../model/image-name.js';
import { defaultBaseImage } from '../model/public-image.js';
import { posix } from 'node:path';
import type { RepoFacts } from '../analyze/analyze.js';
import type { GeneratorConfig } from '../model/decisions.js';
import { headerLines } from '../model/dockerfile-model.js';
import { dnsLabel, TUTOR_MAJOR, type TutorConfig } from '../model/tutor.js';
import { renderTemplate } from './render.js';
import { toTutorConfigTemplate, type TemplateNeeds } from './tutor-config.js';

/** A URL path safe in a probe, a YAML scalar and Jinja text: no template or shell syntax. */
const SAFE_URL_PATH = /^\/[A-Za-z0-9._~/-]*$/;

/** Flat values for the plugin's templates: every string JSON-quoted where it lands in Python, TOML or YAML. */
export interface TutorModel {
  headerLines: string[];
  service: string;
  /** The plugin name, `prefix` its config prefix, `pkg` its Python package, `name` its compose/k8s name. */
  plugin: string;
  prefix: string;
  pkg: string;
  name: string;
  dist: string;
  tutorRange: string;
  port: number;
  uid: number;
  configVar: string;
  configPath: string;
  /** The YAML's path in Tutor's env, relative to env/. */
  envConfigFile: string;
  /** The YAML's template path inside the package's templates/. */
  configTemplate: string;
  healthPath: string | null;
  usesRedis: boolean;
  usesMemcached: boolean;
  /** Celery is installed: a worker runs beside the service (compose service and Deployment `<name>-worker`). */
  hasWorker: boolean;
  /** The README's table: full config key and its JSON default; the generated secrets' keys. */
  configRows: [string, string][];
  secretRows: string[];
  /** Config defaults and unique values, key and value JSON-quoted (Python literals). */
  defaults: [string, string][];
  unique: [string, string][];
  /** The same values JSON-quoted for Python, TOML and YAML (JSON strings are literals in all three). */
  q: Record<string, string>;
}

/**
 * The plugin's image: the public image's repository with the plugin's version as the tag; on
 * docker.io through Tutor's DOCKER_REGISTRY (default `docker.io/`), so a mirror set there applies.
 * A public image pinned by digest stays pinned (`name:version@digest`: the digest decides the pull),
 * as the Kubernetes manifests and the derivatives' FROM are.
 */
export function tutorImage(publicImage: string, prefix: string): string {
  const { registry, path, digest } = imageParts(publicImage);
  const host = registry === 'docker.io' ? '{{ DOCKER_REGISTRY }}' : `${registry}/`;
  return `${host}${path}:{{ ${prefix}_VERSION }}${digest === null ? '' : `@${digest}`}`;
}

/** The Tutor plugin's files, path (relative to the repo) → content. */
export function renderTutorFiles(
  facts: RepoFacts,
  config: GeneratorConfig,
  tutor: TutorConfig,
  exampleYaml: string,
  publicImage: string = defaultBaseImage(config.service),
): Map<string, string> {
  const name = dnsLabel(tutor.plugin);
  const prefix = tutor.plugin.toUpperCase();
  const pkg = `tutor${tutor.plugin.replace(/_/g, '')}`;
  const configFile = posix.basename(config.configPath);
  const header = headerLines(`Tutor plugin for ${config.service}`, 'openedx-ida tutor --yes');
  const { template, needs } = toTutorConfigTemplate(
    exampleYaml,
    { prefix, serviceHost: name, exampleHost: `${dnsLabel(config.service)}.example.com` },
    [...header, `Tutor renders this file from its config into env/plugins/${tutor.plugin}/apps/config/${configFile}.`],
  );
  // The LMS task registers the OAuth2 clients the YAML has keys for; with none it has nothing to do
  // (and would read config keys the plugin does not declare), so it is left out.
  const clients = [
    ...(hasOwnKeys(needs, 'OAUTH2_KEY', 'OAUTH2_SECRET') ? ['tasks/lms-client-credentials'] : []),
    ...(hasOwnKeys(needs, 'OAUTH2_KEY_SSO', 'OAUTH2_SECRET_SSO') ? ['tasks/lms-sso'] : []),
  ];
  const defaults = new Map<string, string | number>([
    ['VERSION', tutor.version],
    ['DOCKER_IMAGE', tutorImage(publicImage, prefix)],
    ['HOST', tutor.host],
    ['REPOSITORY', facts.sourceUrl.value ?? ''],
    ['BUILD_CONTEXT', ''],
    ...needs.defaults,
  ]);
  const model: TutorModel = {
    headerLines: header,
    service: config.service,
    plugin: tutor.plugin,
    prefix,
    pkg,
    name,
    dist: `tutor-contrib-${name}`,
    tutorRange: `>=${TUTOR_MAJOR}.0.0,<${TUTOR_MAJOR + 1}.0.0`,
    port: config.port,
    uid: config.uid,
    configVar: config.configVar,
    configPath: config.configPath,
    envConfigFile: `plugins/${tutor.plugin}/apps/config/${configFile}`,
    configTemplate: `${tutor.plugin}/apps/config/${configFile}`,
    healthPath:
      facts.healthPath.value !== null && SAFE_URL_PATH.test(facts.healthPath.value) ? facts.healthPath.value : null,
    usesRedis: template.includes('REDIS_HOST'),
    usesMemcached: needs.defaults.has('MEMCACHED_HOST'),
    hasWorker: facts.celery.value,
    defaults: [...defaults].map(([key, value]) => [JSON.stringify(key), JSON.stringify(value)]),
    unique: [...needs.unique].map(([key, value]) => [JSON.stringify(key), JSON.stringify(value)]),
    configRows: [...defaults].map(([key, value]) => [`${prefix}_${key}`, JSON.stringify(value)]),
    secretRows: [...needs.unique.keys()].map((key) => `${prefix}_${key}`),
    q: {},
  };
  const envConfigFile = model.envConfigFile;
  model.q = Object.fromEntries(
    Object.entries({
      plugin: tutor.plugin,
      prefix,
      name,
      dist: model.dist,
      description: `A Tutor plugin for ${config.service}: its image, its YAML config rendered from Tutor's config, jobs and routing`,
      dependency: `tutor${model.tutorRange}`,
      entryPoint: `${pkg}.plugin`,
      aboutPath: `${pkg}/__about__.py`,
      pkg,
      configPath: config.configPath,
      healthPath: model.healthPath ?? '',
      configFile,
      envConfigFile,
      composeVolume: `../${envConfigFile}:${config.configPath}:ro`,
    }).map(([key, value]) => [key, JSON.stringify(value)]),
  );
  // As the compose stack runs it: the app found in <pkg>/celery.py, else the service's name.
  model.q.workerCommand = JSON.stringify([
    'celery',
    '-A',
    facts.celeryApp.value ?? config.service,
    'worker',
    '--loglevel=INFO',
  ]);
  // A JSON list of strings is a Python list literal.
  model.q.initTasks = JSON.stringify(['mysql', ...(clients.length > 0 ? ['lms'] : []), name]);
  const dir = `tutor-contrib-${config.service}`;
  const files = new Map<string, string>();
  const add = (file: string, templateName: string) =>
    files.set(`${dir}/${file}`, renderTemplate(`tutor/${templateName}.ejs`, model));
  add('pyproject.toml', 'pyproject.toml');
  add('README.md', 'README.md');
  add(`${pkg}/__init__.py`, '__init__.py');
  add(`${pkg}/__about__.py`, '__about__.py');
  add(`${pkg}/plugin.py`, 'plugin.py');
  for (const patch of PATCHES) add(`${pkg}/patches/${patch}`, `patches/${patch}`);
  files.set(`${dir}/${pkg}/templates/${model.configTemplate}`, template);
  add(`${pkg}/templates/${tutor.plugin}/tasks/mysql/init`, 'tasks/mysql-init');
  if (clients.length > 0) {
    files.set(
      `${dir}/${pkg}/templates/${tutor.plugin}/tasks/lms/init`,
      ['tasks/lms-init', ...clients].map((part) => renderTemplate(`tutor/${part}.ejs`, model)).join(''),
    );
  }
  add(`${pkg}/templates/${tutor.plugin}/tasks/${name}/init`, 'tasks/service-init');
  return files;
}

/** Whether the YAML template reads the plugin's own client key (a default) and its secret (generated once). */
function hasOwnKeys(needs: TemplateNeeds, key: string, secret: string): boolean {
  return needs.defaults.has(key) && needs.unique.has(secret);
}

/** Tutor's patch names the plugin fills (one template each under templates/tutor/patches/). */
const PATCHES = [
  'caddyfile',
  'k8s-deployments',
  'k8s-jobs',
  'k8s-services',
  'kustomization-configmapgenerator',
  'local-docker-compose-caddy-aliases',
  'local-docker-compose-jobs-services',
  'local-docker-compose-services',
];
