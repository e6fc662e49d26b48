import { type RepoFacts, analyzeRepo } from '../analyze/analyze.js';
import { InvalidOptionError, NoServiceSourceError, NotADjangoServiceError } from '../errors.js';
import { DiskReader } from '../reader/disk-reader.js';
import { DECISIONS, type GeneratorConfig, resolveConfig, toStoredConfig } from '../model/decisions.js';
import {
  type NewrelicConfig,
  type PrivateConfig,
  resolveNewrelicConfig,
  resolvePrivateConfig,
} from '../model/derivatives.js';
import { OPERATOR_FLAG, type OperatorFlags, type PublicImage, defaultBaseImage } from '../model/public-image.js';
import { type DerivativeMode, resolvePublicImage } from '../model/resolve-public-image.js';
import type { RepoReader } from '../reader/reader.js';
import { type ComposeConfig, resolveComposeConfig } from '../model/compose.js';
import { renderComposeFiles } from '../render/compose.js';
import { renderAppFiles, renderNewrelicFile, renderPrivateFile } from '../render/render.js';
import { resolveTutorConfig, type TutorConfig, versionOf } from '../model/tutor.js';
import { renderTutorFiles } from '../render/tutor.js';
import { renderCiFile } from '../render/ci.js';
import { imageParts, serviceImage } from '../model/image-name.js';
import { pristinePath } from './state.js';
import { type CiConfig, checkSmokeConfig, resolveCiConfig } from '../model/ci.js';
import { renderVaultTemplate } from '../render/vault-template.js';
import { resolveVaultConfig } from '../model/vault.js';
import { type KubernetesConfig, resolveKubernetesConfig, toKubernetesService } from '../model/kubernetes.js';
import { renderKubernetesFiles } from '../render/kubernetes.js';
import { renderExampleConfig, toExampleConfigModel } from '../model/example-config.js';
import { type FactsSnapshot, toFactsSnapshot } from './facts-snapshot.js';

/** An output: the app's files, or one of the derivative Dockerfiles, or a deployment kit (compose, kubernetes, ci, tutor). */
export type Target = 'app' | 'newrelic' | 'private' | 'kubernetes' | 'ci' | 'compose' | 'tutor';

/**
 * What to generate: explicit targets (a generator run), or `stored`: the app in a service
 * repo and each derivative whose decisions are stored (check, batch).
 */
export interface GenerateRequest {
  targets: Target[] | 'stored';
  /** Raw flag values keyed in camelCase (`appDir`, `newrelicVersion`, `baseImage`...). */
  flags?: Record<string, unknown>;
  /** Prompt answers for the app's decisions. */
  answers?: Record<string, unknown>;
  /** The repo's analysis when the caller already has it (see analyzeFor); analyzed here otherwise. */
  facts?: RepoFacts | null;
  /** Internal: skip the check against the other stored outputs' paths (generate() itself sets it). */
  alone?: boolean;
}

/** What one generation produced: files and decisions to store, with what they came from. */
export interface Generation {
  /** Path relative to the repo → content, in the order they are reported. */
  files: Map<string, string>;
  /** The whole decision block to store under the package's key in .yo-rc.json. */
  decisions: Record<string, unknown>;
  /** The repo's facts; null in an operator repo (no IDA source). */
  facts: RepoFacts | null;
  snapshot: FactsSnapshot | null;
  warnings: string[];
  /**
   * Upgrade notes, one line each: a decision an earlier version stored that this one would refuse
   * or read differently, kept as it was, with the command that changes it.
   */
  notes: string[];
  mode: DerivativeMode;
  /** What was generated. */
  targets: Target[];
  /** The app's resolved decisions, when the app was generated. */
  config: GeneratorConfig | null;
  /** The public image the derivatives build FROM, when one was generated. */
  image: PublicImage | null;
}

/** Keys every app run stores (a derivative's keys do not mean the app's questions were answered). */
const DERIVATIVE_KEYS = new Set([
  'newrelic',
  'private',
  'baseImage',
  'operator',
  'kubernetes',
  'ci',
  'compose',
  'tutor',
]);

/**
 * The one first-run rule: the app's decisions are stored once any app run wrote them. Until
 * then a run takes the detected values (as --yes does) and a prompting front door asks.
 */
export function hasAppDecisions(stored: Record<string, unknown>): boolean {
  return Object.keys(stored).some((key) => !DERIVATIVE_KEYS.has(key));
}

/** What a generator run writes: the app (with --newrelic and --private, the derivatives too), or one derivative. */
export function generatorTargets(name: Target, flags: Record<string, unknown>): Target[] {
  if (name !== 'app') return [name];
  return ['app', ...(flags.newrelic ? ['newrelic' as const] : []), ...(flags.private ? ['private' as const] : [])];
}

/** The targets a request names, given the stored decisions and whether the repo has IDA source. */
function resolveTargets(request: GenerateRequest, stored: Record<string, unknown>, facts: RepoFacts | null): Target[] {
  if (request.targets !== 'stored') return request.targets;
  return [
    ...(facts ? ['app' as const] : []),
    ...(stored.newrelic ? ['newrelic' as const] : []),
    ...(stored.private ? ['private' as const] : []),
    ...(stored.kubernetes && facts ? ['kubernetes' as const] : []),
    ...(stored.ci && facts ? ['ci' as const] : []),
    ...(facts && stored.compose ? ['compose' as const] : []),
    ...(stored.tutor && facts ? ['tutor' as const] : []),
  ];
}

/**
 * The repo's facts for a run, or null for a repo with no IDA source where that is allowed:
 * derivatives alone (operator flags), or `stored` targets with stored operator values.
 * An app run needs the service; any other analysis error is thrown.
 */
export function analyzeFor(
  reader: RepoReader,
  stored: Record<string, unknown>,
  targets: Target[] | 'stored',
  flags: Record<string, unknown> = {},
): RepoFacts | null {
  try {
    return analyzeRepo(reader, {
      djangoPackage: text(flags.djangoPackage),
      settingsModule: text(flags.settingsModule),
    });
  } catch (error) {
    // Without the app, a repo with no service is an operator repo: the derivatives need no facts, and
    // a deployment output refuses it in generate() with the one error the four share.
    const operatorAllowed = targets === 'stored' ? Boolean(stored.operator) : !targets.includes('app');
    if (error instanceof NotADjangoServiceError && operatorAllowed) return null;
    throw error;
  }
}

/**
 * Generates in memory: analysis (unless given), decisions resolved by precedence (flag >
 * answer > stored > detected/default), every file rendered. Writes nothing: the front doors
 * (generators, the fast path, batch) write; check compares.
 */
export function generate(reader: RepoReader, stored: Record<string, unknown>, request: GenerateRequest): Generation {
  const flags = request.flags ?? {};
  const facts = request.facts !== undefined ? request.facts : analyzeFor(reader, stored, request.targets, flags);
  const targets = resolveTargets(request, stored, facts);
  const files = new Map<string, string>();
  const owners = new Map<string, string>();
  /** Adds a rendered file; two outputs naming one path (stored names can be anything) is an error. */
  const add = (file: string, content: string, owner: string) => {
    const other = owners.get(file.toLowerCase());
    if (other !== undefined) {
      throw new InvalidOptionError(
        `${owner} and ${other} both name ${file}`,
        'give each generated file its own name (flags or .yo-rc.json), then run again',
      );
    }
    owners.set(file.toLowerCase(), owner);
    files.set(file, content);
  };
  let decisions: Record<string, unknown> = { ...stored };
  const notes: string[] = [];
  let config: GeneratorConfig | null = null;
  if (targets.includes('app')) {
    if (!facts) throw new Error('generate: the app needs the repo facts');
    config = resolveConfig(facts, { flags: appFlags(flags), answers: request.answers, stored });
    decisions = { ...decisions, ...toStoredConfig(config, facts) };
    for (const [file, content] of renderAppFiles(facts, config)) add(file, content, `the app's ${file}`);
    const vault = resolveVaultConfig(
      flags,
      stored.vault as Record<string, unknown> | undefined,
      config.service,
      files.has(config.exampleConfig),
    );
    delete decisions.vault;
    if (vault) {
      decisions.vault = { template: vault.template, path: vault.path };
      add(
        vault.file,
        renderVaultTemplate(files.get(config.exampleConfig)!, vault).text,
        'the consul-template file (vault.*)',
      );
    }
  }
  let image: PublicImage | null = null;
  let mode: DerivativeMode = facts ? 'service-repo' : 'operator-repo';
  if (targets.includes('newrelic') || targets.includes('private')) {
    const resolved = resolvePublicImage(reader.label, decisions, operatorFlags(flags), facts);
    ({ image, mode } = resolved);
    dropLegacyK8sImage(decisions, stored, image.service);
    if (text(flags.baseImage)) decisions.baseImage = flags.baseImage;
    if (resolved.operator) decisions.operator = resolved.operator;
    if (targets.includes('newrelic')) {
      const newrelic = resolveNewrelicConfig(flags, decisions.newrelic as Partial<NewrelicConfig> | undefined);
      decisions.newrelic = newrelic;
      add(newrelic.file, renderNewrelicFile(image, newrelic), 'the New Relic file (newrelic.file)');
    }
    if (targets.includes('private')) {
      const hasPrivateRequirements = reader.isFile('requirements/private.txt');
      const privateConfig = resolvePrivateConfig(
        flags,
        decisions.private as Partial<PrivateConfig> | undefined,
        hasPrivateRequirements,
      );
      decisions.private = privateConfig;
      add(privateConfig.file, renderPrivateFile(image, privateConfig), 'the private file (private.file)');
    }
  }
  // The deployment outputs (Kubernetes, CI, compose, Tutor) read the app's decisions as the app
  // generator resolves them (flags, stored, detected) and its example YAML: each computed once.
  /** The facts a deployment output is made from; without them (an operator repo) the one typed refusal. */
  const sourceFor = (output: string, command: Target): RepoFacts => {
    if (!facts) throw new NoServiceSourceError(reader.label, output, command);
    return facts;
  };
  let deployedApp: GeneratorConfig | undefined;
  const appOf = (known: RepoFacts): GeneratorConfig =>
    (deployedApp ??= config ?? resolveConfig(known, { flags: appFlags(flags), stored }));
  let example: string | null | undefined;
  const exampleOf = (known: RepoFacts): string | null => {
    if (example === undefined) {
      const app = appOf(known);
      example = app.configVar === '' ? null : renderExampleConfig(toExampleConfigModel(known, app));
    }
    return example;
  };
  // One image name for every output (see serviceImage); an output stores its own only when it differs.
  const imageOf = (app: GeneratorConfig) => {
    dropLegacyK8sImage(decisions, stored, app.service);
    if (text(flags.baseImage)) decisions.baseImage = flags.baseImage;
    return serviceImage(flags, decisions, app.service);
  };
  if (targets.includes('kubernetes')) {
    const facts = sourceFor('the Kubernetes manifests', 'kubernetes');
    const app = appOf(facts);
    const publicImage = imageOf(app);
    const kubernetes = resolveKubernetesConfig(
      flags,
      decisions.kubernetes as Partial<KubernetesConfig>,
      app.service,
      publicImage,
    );
    decisions.kubernetes = withoutDefaults(kubernetes, { image: publicImage });
    const manifests = renderKubernetesFiles(toKubernetesService(facts, app, exampleOf(facts) ?? undefined), kubernetes);
    for (const [file, content] of manifests) add(file, content, `the Kubernetes ${file} (kubernetes.dir)`);
  }
  if (targets.includes('ci')) {
    const facts = sourceFor('the CI workflow', 'ci');
    const app = appOf(facts);
    const publicImage = imageOf(app);
    const ci = resolveCiConfig(flags, decisions.ci as Partial<CiConfig> | undefined, app.service, publicImage);
    checkSmokeConfig(reader, ci.smokeConfig);
    const pushed = imageParts(publicImage);
    const legacy = legacyCiImage(reader, decisions, flags, ci, app.service);
    if (legacy) {
      ci.image = legacy.image;
      notes.push(legacy.note);
    }
    decisions.ci = withoutDefaults(ci, {
      registry: pushed.registry,
      // The legacy path is not an image name (it is read at run time): it stays unstored, as before.
      image: legacy ? legacy.image : pushed.path,
      smokeConfig: null,
      defaultTag: ci.defaultTag,
    });
    const ciInputs = {
      app,
      exampleYaml: exampleOf(facts),
      newrelic: (decisions.newrelic as NewrelicConfig | undefined) ?? null,
      private: (decisions.private as PrivateConfig | undefined) ?? null,
    };
    add(ci.file, renderCiFile(ci, ciInputs), 'the CI workflow (ci.file)');
  }
  if (targets.includes('compose')) {
    const facts = sourceFor('the compose stack', 'compose');
    const app = appOf(facts);
    const compose = resolveComposeConfig(flags, decisions.compose as Partial<ComposeConfig> | undefined, app);
    decisions.compose = compose.stored;
    for (const [file, content] of renderComposeFiles(facts, app, compose.config)) {
      add(file, content, `the compose stack's ${file} (compose.*)`);
    }
  }
  if (targets.includes('tutor')) {
    const facts = sourceFor('the Tutor plugin', 'tutor');
    const app = appOf(facts);
    const exampleYaml = exampleOf(facts);
    if (exampleYaml === null) {
      throw new InvalidOptionError(
        'the settings read no YAML, and the Tutor plugin configures the service through its YAML',
        'pass --config-var with the variable the settings read the YAML path from',
      );
    }
    const publicImage = imageOf(app);
    const before = (decisions.tutor as Partial<TutorConfig> | undefined)?.plugin;
    const tutor = resolveTutorConfig(
      flags,
      decisions.tutor as Partial<TutorConfig> | undefined,
      app.service,
      publicImage,
      notes,
    );
    if (before !== undefined && before !== tutor.plugin)
      notes.push(
        `the Tutor plugin is renamed ${before} -> ${tutor.plugin}: the old package's files and their ` +
          `.openedx-ida/pristine copies stay (openedx-ida check lists them); remove them once nothing uses them`,
      );
    decisions.tutor = withoutDefaults(tutor, { version: versionOf(publicImage) });
    for (const [file, content] of renderTutorFiles(facts, app, tutor, exampleYaml, publicImage))
      add(file, content, 'the Tutor plugin (tutor.plugin)');
  }
  if (request.targets !== 'stored' && !request.alone) refuseOthersPaths(reader, decisions, facts, targets, owners);
  return {
    files,
    decisions,
    facts,
    snapshot: facts ? toFactsSnapshot(facts) : null,
    warnings: facts ? facts.warnings.map((warning) => warning.message) : [],
    notes,
    mode,
    targets,
    config,
    image,
  };
}

/**
 * Drops from the decisions the Kubernetes image the previous version stored as its default
 * (`docker.io/openedx/<service>:main`, always written, with no baseImage). This version never
 * stores that value without a baseImage (it equals the public image's default and is left out),
 * so it is no choice of the user's: kept, it would pin the pods there once `--base-image` (given
 * to any output's run) moved CI, Tutor and the derivatives. Dropping it changes no output now.
 */
function dropLegacyK8sImage(decisions: Record<string, unknown>, stored: Record<string, unknown>, service: string) {
  const section = decisions.kubernetes as Partial<KubernetesConfig> | undefined;
  if (section?.image === undefined || stored.baseImage !== undefined || section.image !== defaultBaseImage(service))
    return;
  const { image: _legacy, ...rest } = section;
  decisions.kubernetes = rest;
}

/** The image path the previous version's workflow pushed when none was stored: the repository owner's. */
const OWNER_PATH = '${{ github.repository_owner }}';

/**
 * The CI push target of a repo the previous version generated, kept: it stored its default
 * `ci.registry` (ghcr.io) with no image and no baseImage, and its workflow pushed
 * `<registry>/${{ github.repository_owner }}/<service>`. Read now, that registry would join the
 * new default path (`ghcr.io/openedx/<service>`), which a fork's token cannot push to, silently.
 * The one sure sign is the workflow this tool wrote last (its pristine copy) naming that target;
 * a repo set up by this version never has it. The other outputs run the public image: they
 * cannot follow a name read at run time, so a note says how to make it one name. Null otherwise,
 * or when a flag decides the image now.
 */
function legacyCiImage(
  reader: RepoReader,
  stored: Record<string, unknown>,
  flags: Record<string, unknown>,
  ci: CiConfig,
  service: string,
): { image: string; note: string } | null {
  if (text(flags.baseImage) || text(flags.registry) || text(flags.imageName)) return null;
  const section = (stored.ci ?? {}) as Record<string, unknown>;
  if (stored.baseImage !== undefined || section.image !== undefined || section.registry === undefined) return null;
  const image = `${OWNER_PATH}/${service}`;
  const pushedBefore = `images: ${JSON.stringify(`${ci.registry}/${image}`)}`;
  if (!(reader.readText(pristinePath(ci.file)) ?? '').includes(pushedBefore)) return null;
  const aligned = `${ci.registry}/<owner>/${service.toLowerCase()}:main`;
  return {
    image,
    note:
      `ci.registry ${JSON.stringify(ci.registry)} was stored by an earlier version: the workflow keeps pushing ` +
      `${ci.registry}/${image}, while Kubernetes, Tutor and the derivatives run ${serviceImage({}, stored, service)}; ` +
      `to make them one image run openedx-ida ci --yes --base-image ${aligned}, then openedx-ida batch`,
  };
}

/**
 * An output's decisions as stored: the values that only follow another decision (the image names
 * that follow the public image, an unset option) are left out, so they keep following it.
 */
function withoutDefaults<T extends object>(config: T, derived: Partial<Record<keyof T, unknown>>): Partial<T> {
  return Object.fromEntries(
    Object.entries(config).filter(([key, value]) => !(key in derived) || derived[key as keyof T] !== value),
  ) as Partial<T>;
}

/**
 * A run of some outputs must not write where another stored output writes: `compose
 * --local-config .github/workflows/x.yml` would replace the CI workflow, and the other output's
 * pristine copy would make the loss look like a clean update. Renders the other stored outputs
 * (as check and batch would) and refuses a shared path. An output whose stored decisions no
 * longer resolve is left to its own run, which reports that.
 */
function refuseOthersPaths(
  reader: RepoReader,
  decisions: Record<string, unknown>,
  facts: RepoFacts | null,
  targets: Target[],
  owners: Map<string, string>,
): void {
  const others = resolveTargets({ targets: 'stored' }, decisions, facts).filter((target) => !targets.includes(target));
  if (others.length === 0) return;
  let theirs: Generation;
  try {
    theirs = generate(reader, decisions, { targets: others, facts, alone: true });
  } catch {
    return;
  }
  for (const file of theirs.files.keys()) {
    const mine = owners.get(file.toLowerCase());
    if (mine === undefined) continue;
    throw new InvalidOptionError(
      `${mine} names ${file}, which the stored ${others.join('/')} output already writes`,
      'give the file another name (flags or .yo-rc.json), then run again',
    );
  }
}

/** The app's decisions among the flags (keyed like GeneratorConfig). */
export function appFlags(flags: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    DECISIONS.filter((decision) => flags[decision.key] !== undefined).map((decision) => [
      decision.key,
      flags[decision.key],
    ]),
  );
}

/** The flags that describe the public image, as given: the options table checks each (see resolvePublicImage). */
function operatorFlags(flags: Record<string, unknown>): OperatorFlags {
  return Object.fromEntries(Object.keys(OPERATOR_FLAG).map((key) => [key, text(flags[key])])) as OperatorFlags;
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** The repo checkout at `path`, read through the reader analysis uses (missing path: RepoNotFoundError). */
export function openRepo(path: string): RepoReader {
  return new DiskReader(path);
}
