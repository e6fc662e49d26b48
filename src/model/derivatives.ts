import { posix } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import { headerLines } from './dockerfile-model.js';
import { DEFAULTS, flagOrStored } from './options.js';
import type { PublicImage } from './public-image.js';

/** Decisions for the New Relic variant (stored under `newrelic` in .yo-rc.json). */
export interface NewrelicConfig {
  file: string;
  newrelicVersion: string;
}

/** Decisions for the private/operator variant (stored under `private` in .yo-rc.json). */
export interface PrivateConfig {
  file: string;
  /** Requirements files (in the build context) with private packages. */
  requirements: string[];
  /** Extra pip packages: plugins, XBlocks. */
  pipPackages: string[];
  aptPackages: string[];
  /** Files or folders to copy in, as `SRC:DEST` (DEST relative to the app dir, or absolute). */
  copies: string[];
  /** BuildKit secret id whose file holds a private package index URL with credentials. */
  indexSecret: string;
}

/** The flags' other generated file, lowercased, so two variants never share one file name. */
function otherFile(flags: Record<string, unknown>, key: string): string | undefined {
  return typeof flags[key] === 'string' ? (flags[key] as string).toLowerCase() : undefined;
}

function refuseSameFile(file: string, other: string | undefined, flag: string): string {
  if (other !== undefined && file.toLowerCase() === other) {
    throw new InvalidOptionError(
      `--${flag} ${JSON.stringify(file)} is the other variant's file`,
      'give each variant a file of its own',
    );
  }
  return file;
}

/**
 * New Relic decisions: flag > stored > default. Raw flag text and stored JSON are both
 * checked against the options table's grammars (InvalidOptionError otherwise).
 */
export function resolveNewrelicConfig(
  flags: Record<string, unknown>,
  stored: Partial<NewrelicConfig> = {},
): NewrelicConfig {
  const section = stored as Record<string, unknown>;
  const file =
    (flagOrStored('newrelic-file', flags, section, 'newrelic.file') as string | undefined) ?? DEFAULTS.newrelicFile;
  return {
    file: refuseSameFile(file, otherFile(flags, 'privateFile'), 'newrelic-file'),
    newrelicVersion:
      (flagOrStored('newrelic-version', flags, section, 'newrelic.newrelicVersion') as string | undefined) ??
      DEFAULTS.newrelicVersion,
  };
}

/**
 * Private-variant decisions: flag > stored > default (`requirements/private.txt` when the
 * repo has it). Every value is checked against the options table's grammars.
 */
export function resolvePrivateConfig(
  flags: Record<string, unknown>,
  stored: Partial<PrivateConfig> = {},
  hasPrivateRequirements = false,
): PrivateConfig {
  const section = stored as Record<string, unknown>;
  const pick = (flag: string, key: string) => flagOrStored(flag, flags, section, `private.${key}`);
  const file = (pick('private-file', 'file') as string | undefined) ?? DEFAULTS.privateFile;
  return {
    file: refuseSameFile(file, otherFile(flags, 'newrelicFile'), 'private-file'),
    requirements:
      (pick('private-requirements', 'requirements') as string[] | undefined) ??
      (hasPrivateRequirements ? [DEFAULTS.privateRequirements] : []),
    pipPackages: (pick('pip-packages', 'pipPackages') as string[] | undefined) ?? [],
    aptPackages: (pick('apt-packages', 'aptPackages') as string[] | undefined) ?? [],
    copies: (pick('copy', 'copies') as string[] | undefined) ?? [],
    indexSecret: (pick('index-secret', 'indexSecret') as string | undefined) ?? DEFAULTS.indexSecret,
  };
}

/** Shared template input: the FROM line and what the derivative must restate. */
interface DerivativeBase {
  headerLines: string[];
  baseImage: string;
  uid: number;
  appDir: string;
  port: number;
}

export interface NewrelicModel extends DerivativeBase {
  installAgent: boolean;
  agentPin: string;
  /** Why the agent is not installed (the requirements pin it), for a comment. */
  pinnedAt: string;
  service: string;
  cmdJson: string;
}

export interface PrivateModel extends DerivativeBase {
  service: string;
  hasAptPackages: boolean;
  aptPackages: string;
  hasPipInstall: boolean;
  requirementsCopies: string[];
  pipArgs: string;
  secretMount: string;
  secretFile: string;
  copies: string[];
}

function base(image: PublicImage, variant: string, what: string, extraHeader: string[]): DerivativeBase {
  return {
    headerLines: [...headerLines(what, `openedx-ida ${variant} --yes`), ...extraHeader],
    baseImage: image.baseImage,
    uid: image.uid,
    appDir: image.appDir,
    port: image.port,
  };
}

export function toNewrelicModel(image: PublicImage, config: NewrelicConfig): NewrelicModel {
  return {
    ...base(image, 'newrelic', `New Relic variant of ${image.service}, built FROM the public image`, [
      `Build: docker build -f ${config.file} -t ${image.service}-newrelic .   (BASE_IMAGE=${image.baseImage} must exist)`,
      'Run with NEW_RELIC_LICENSE_KEY (and any NEW_RELIC_* setting) in the environment: the key is never in the image.',
    ]),
    installAgent: image.newrelicPinnedAt === null,
    agentPin: `newrelic==${config.newrelicVersion}`,
    pinnedAt: image.newrelicPinnedAt ?? '',
    service: image.service,
    cmdJson: JSON.stringify(['newrelic-admin', 'run-program', ...image.command]),
  };
}

/**
 * A validated pip requirement as one shell word: `<`, `>`, `[`, `~`, `!`, `*`, `&`, `?` and `#`
 * mean something to sh, so such a requirement is single-quoted (the grammar admits no quote).
 */
function shellWord(value: string): string {
  return /^[A-Za-z0-9._=/:@+,-]+$/.test(value) ? value : `'${value}'`;
}

/** `SRC:DEST` → `COPY` arguments; DEST relative to the app dir unless absolute. */
function copyLine(spec: string, appDir: string): string {
  const [from, to, ...rest] = spec.split(':');
  if (!from || !to || rest.length > 0) {
    throw new InvalidOptionError(
      `--copy ${JSON.stringify(spec)} is not SRC:DEST`,
      'pass --copy themes:themes (source in the build context, destination in the image)',
    );
  }
  return `${from} ${posix.resolve(appDir, to)}`;
}

export function toPrivateModel(image: PublicImage, config: PrivateConfig): PrivateModel {
  const hasPipInstall = config.requirements.length > 0 || config.pipPackages.length > 0;
  return {
    ...base(image, 'private', `private variant of ${image.service}, built FROM the public image`, [
      `Needs BuildKit (DOCKER_BUILDKIT=1 docker build, or docker buildx) or buildah: it uses RUN --mount=type=secret.`,
      `Build: docker build -f ${config.file} --secret id=${config.indexSecret},src=FILE -t ${image.service}-private .   (FILE holds the private index URL)`,
    ]),
    service: image.service,
    hasAptPackages: config.aptPackages.length > 0,
    aptPackages: config.aptPackages.join(' '),
    hasPipInstall,
    requirementsCopies: config.requirements.map((file) => `${file} /tmp/private-requirements/${file}`),
    pipArgs: [
      ...config.requirements.map((file) => `-r /tmp/private-requirements/${file}`),
      ...config.pipPackages.map(shellWord),
    ].join(' '),
    secretMount: `--mount=type=secret,id=${config.indexSecret}`,
    secretFile: `/run/secrets/${config.indexSecret}`,
    copies: config.copies.map((spec) => copyLine(spec, image.appDir)),
  };
}
