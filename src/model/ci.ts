import { parse } from 'yaml';
import { InvalidOptionError, UnreadableConfigError } from '../errors.js';
import { GENERATOR_VERSION } from '../package-info.js';
import type { RepoReader } from '../reader/reader.js';
import { operatorSmokeConfig } from '../smoke/config.js';
import { ACTIONS, type ActionName, CI_NODE_VERSION, HADOLINT_PYPI } from './ci-actions.js';
import type { GeneratorConfig } from './decisions.js';
import type { NewrelicConfig, PrivateConfig } from './derivatives.js';
import { imageParts } from './image-name.js';
import { DEFAULTS, flagOrStored } from './options.js';
import { defaultBaseImage } from './public-image.js';
import { imageTag } from './tutor-grammar.js';

/** Decisions for the CI workflow (stored under `ci` in .yo-rc.json). */
export interface CiConfig {
  /** The workflow file, in .github/workflows/. */
  file: string;
  /** The registry host the default-branch and tag builds push to (default: the public image's). */
  registry: string;
  /** The image path in the registry (default: the public image's). */
  image: string;
  platforms: string[];
  branches: string[];
  /** A YAML in the repo the smoke test mounts as it is (`smoke --config`); null: the example YAML, filled. */
  smokeConfig: string | null;
  /**
   * The tag the other outputs run (the public image's): the default branch's build pushes it too,
   * whatever the branch is called (`master` pushes `:master` and `:main`). Null when the public
   * image is pinned by digest (nothing to push under it). Never stored: it follows the public image.
   */
  defaultTag: string | null;
}

/** The tag the default branch's build pushes: the public image's, or null when it names a digest. */
export function defaultTagOf(publicImage: string): string | null {
  return publicImage.includes('@') ? null : imageParts(publicImage).tag;
}

/** CI decisions: flag > stored > default, each checked against the options table's grammar. */
export function resolveCiConfig(
  flags: Record<string, unknown>,
  stored: Partial<CiConfig> | undefined,
  service: string,
  publicImage: string = defaultBaseImage(service),
): CiConfig {
  const pushed = imageParts(publicImage);
  const section = (stored ?? {}) as Record<string, unknown>;
  const pick = (flag: string, key: string) => flagOrStored(flag, flags, section, `ci.${key}`);
  const registry = (pick('registry', 'registry') as string | undefined) ?? pushed.registry;
  const image = (pick('image-name', 'image') as string | undefined) ?? pushed.path;
  refuseRootImage(registry, image);
  return {
    file: (pick('ci-file', 'file') as string | undefined) ?? `.github/workflows/${service}-image.yml`,
    registry,
    image,
    platforms: dedupe((pick('platforms', 'platforms') as string[] | undefined) ?? [...DEFAULTS.platforms]),
    branches: dedupe((pick('branches', 'branches') as string[] | undefined) ?? [...DEFAULTS.branches]),
    smokeConfig: (pick('smoke-config', 'smokeConfig') as string | undefined) ?? null,
    defaultTag: defaultTagOf(publicImage),
  };
}

const SMOKE_CONFIG_KINDS: Record<string, string> = {
  missing: 'there is no such file in the repo',
  dir: 'it is a directory',
  special: 'it is not a regular file',
  broken: 'it is a symlink that leads out of the repo or nowhere',
};

/**
 * `--smoke-config` (or the stored `ci.smokeConfig`) must name a regular file inside the repo that
 * `smoke --config` will accept (a YAML mapping): checked at generation, else the workflow would be
 * written and fail only in a pull request's smoke job. InvalidOptionError naming the flag otherwise.
 */
export function checkSmokeConfig(reader: RepoReader, file: string | null): void {
  if (file === null) return;
  const refuse = (reason: string) =>
    new InvalidOptionError(
      `--smoke-config ${file}: ${reason}`,
      'pass a YAML file in the repo that maps setting names to values, or leave --smoke-config out',
    );
  const kind = reader.kindOf(file);
  if (kind !== 'file') throw refuse(SMOKE_CONFIG_KINDS[kind] ?? kind);
  const text = reader.readText(file);
  if (text === undefined) throw refuse('it is not a text file');
  try {
    operatorSmokeConfig(text, file);
  } catch (error) {
    if (!(error instanceof UnreadableConfigError)) throw error;
    throw refuse(error.message.replace(`cannot check ${file}: `, ''));
  }
}

/** Registries whose repositories live under an account: a one-component path is not the user's to push. */
const NAMESPACED = new Set(['docker.io', 'ghcr.io']);

/**
 * Refuses a push target without an account (`--base-image minicreds:1.0` → docker.io/minicreds,
 * which is Docker Hub's library/ namespace of official images; ghcr.io has no top-level images).
 */
function refuseRootImage(registry: string, image: string): void {
  if (!NAMESPACED.has(registry) || image.includes('/')) return;
  throw new InvalidOptionError(
    `the CI workflow would push ${registry}/${image}, which names no account (${registry} needs <account>/${image})`,
    `pass --base-image ${registry}/<account>/${image}:<tag> (or --image-name <account>/${image})`,
  );
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

/** What the workflow needs from the app and its derivatives. */
export interface CiInputs {
  app: GeneratorConfig;
  /** The example YAML as generated (null when the service reads no YAML). */
  exampleYaml: string | null;
  newrelic: NewrelicConfig | null;
  private: PrivateConfig | null;
}

/** One derivative image job's input. */
export interface CiDerivative {
  id: string;
  title: string;
  fileJson: string;
  /** metadata-action flavor: the variant's tag suffix. */
  flavorJson: string;
  hasSecret: boolean;
  /** `<secret id>=<the repository secret>` for build-push-action's `secrets:` block (the id is grammar-checked). */
  secretLine: string;
}

/** Template input for `templates/ci/workflow.yml.ejs`: every value a JSON (YAML) scalar, booleans to branch on. */
export interface CiModel {
  headerLines: string[];
  nameJson: string;
  branchesJson: string;
  imageJson: string;
  registryJson: string;
  /** GHCR: log in with the workflow's own token (packages: write); else the REGISTRY_* secrets. */
  isGhcr: boolean;
  platformsJson: string;
  /** A platform other than linux/amd64: QEMU emulates it. */
  needsQemu: boolean;
  qemuPlatformsJson: string;
  nodeVersionJson: string;
  /** The tool as npx runs it, pinned to the version that generated this file. */
  toolJson: string;
  hadolintJson: string;
  /**
   * metadata-action's tag line for the default branch (the tag the other outputs run), or null. Not
   * JSON: it is a line of a block scalar; the tag passed the imageTag grammar ([A-Za-z0-9_.-]).
   */
  defaultTagLine: string | null;
  dockerfilesJson: string;
  localImageJson: string;
  hasMysql: boolean;
  dbNameJson: string;
  dbUserJson: string;
  /** A throwaway password for the job's own database container: not a secret, never used elsewhere. */
  dbPasswordJson: string;
  hasMemcached: boolean;
  /** `smoke --config` with this repo file (JSON), or null: the example YAML, filled. */
  smokeConfigJson: string | null;
  hasDerivatives: boolean;
  derivatives: CiDerivative[];
  uses: Record<ActionName, string>;
}

/** The database password of the pull-request job's MySQL container (a throwaway, visible on purpose). */
const SMOKE_DB_PASSWORD = 'smoke-only-not-a-secret';

const j = (value: unknown) => JSON.stringify(value);

/** DATABASES.default and whether the cache is memcached, from the example YAML. */
function services(exampleYaml: string | null): {
  db: { NAME?: unknown; USER?: unknown; ENGINE?: unknown } | null;
  memcached: boolean;
} {
  if (exampleYaml === null) return { db: null, memcached: false };
  type Section = { default?: Record<string, unknown> } | undefined;
  const yaml = parse(exampleYaml) as { DATABASES?: Section; CACHES?: Section } | null;
  const db = yaml?.DATABASES?.default ?? null;
  const backend = String(yaml?.CACHES?.default?.BACKEND ?? '');
  return { db: db && /mysql/.test(String(db.ENGINE ?? '')) ? db : null, memcached: /[Mm]emcache/.test(backend) };
}

function defaultTagLine(tag: string | null): string | null {
  if (tag === null) return null;
  if (imageTag(tag) !== true) throw new Error(`ci: ${JSON.stringify(tag)} is not an image tag`);
  return `type=raw,value=${tag},enable={{is_default_branch}}`;
}

/** Builds the workflow's template input from the CI decisions and the app's. */
export function toCiModel(config: CiConfig, inputs: CiInputs): CiModel {
  const service = inputs.app.service;
  const image = `${config.registry}/${config.image}`;
  const { db, memcached } = services(inputs.exampleYaml);
  const derivatives: CiDerivative[] = [];
  if (inputs.newrelic)
    derivatives.push({
      id: 'newrelic',
      title: 'New Relic',
      fileJson: j(inputs.newrelic.file),
      flavorJson: j('suffix=-newrelic,onlatest=true'),
      hasSecret: false,
      secretLine: '',
    });
  if (inputs.private)
    derivatives.push({
      id: 'private',
      title: 'private',
      fileJson: j(inputs.private.file),
      flavorJson: j('suffix=-private,onlatest=true'),
      hasSecret: true,
      secretLine: `${inputs.private.indexSecret}=\${{ secrets.PRIVATE_INDEX_URL }}`,
    });
  const dockerfiles = [
    'Dockerfile',
    ...(inputs.newrelic ? [inputs.newrelic.file] : []),
    ...(inputs.private ? [inputs.private.file] : []),
  ];
  const qemu = config.platforms.filter((platform) => platform !== 'linux/amd64');
  return {
    headerLines: [
      `# Generated by generator-openedx-ida ${GENERATOR_VERSION}: build, smoke-test and publish the ${service} image.`,
      '# Regenerate with `npx -p generator-openedx-ida openedx-ida ci` (decisions live in .yo-rc.json).',
    ],
    nameJson: j(`${service} image`),
    branchesJson: j(config.branches),
    imageJson: j(image),
    registryJson: j(config.registry),
    isGhcr: config.registry === 'ghcr.io',
    platformsJson: j(config.platforms.join(',')),
    needsQemu: qemu.length > 0,
    qemuPlatformsJson: j(qemu.join(',')),
    nodeVersionJson: j(CI_NODE_VERSION),
    toolJson: j(`generator-openedx-ida@${GENERATOR_VERSION}`),
    hadolintJson: j(HADOLINT_PYPI),
    defaultTagLine: defaultTagLine(config.defaultTag),
    dockerfilesJson: j(dockerfiles.join(' ')),
    localImageJson: j(`${service.toLowerCase().replace(/_/g, '-')}:ci`),
    hasMysql: db !== null,
    dbNameJson: j(String(db?.NAME ?? '')),
    dbUserJson: j(String(db?.USER ?? '')),
    dbPasswordJson: j(SMOKE_DB_PASSWORD),
    hasMemcached: memcached,
    smokeConfigJson: config.smokeConfig === null ? null : j(config.smokeConfig),
    hasDerivatives: derivatives.length > 0,
    derivatives,
    uses: Object.fromEntries(
      Object.entries(ACTIONS).map(([name, action]) => [name, `${action.repo}@${action.sha} # ${action.tag}`]),
    ) as Record<ActionName, string>,
  };
}
