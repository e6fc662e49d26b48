import { posix } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import { headerLines } from './dockerfile-model.js';
import type { PublicImage } from './public-image.js';

/** The New Relic agent version installed when the service's requirements do not pin one. */
export const DEFAULT_NEWRELIC_VERSION = '9.13.0';

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

/** A comma- or space-separated flag value as a list. */
function list(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value).split(/[\s,]+/).filter(Boolean);
}

/** A file name for a generated file: relative, inside the repo. */
function insideRepo(file: string, flag: string): string {
  if (file.startsWith('/') || file.split('/').includes('..') || file === '') {
    throw new InvalidOptionError(`--${flag} ${JSON.stringify(file)} is not a path inside the repo`, `pass a relative path such as Dockerfile.${flag.split('-')[0]}`);
  }
  return file;
}

/** New Relic decisions: flag > stored > default. */
export function resolveNewrelicConfig(flags: Record<string, unknown>, stored: Partial<NewrelicConfig> = {}): NewrelicConfig {
  return {
    file: insideRepo((flags.newrelicFile as string | undefined) ?? stored.file ?? 'Dockerfile.newrelic', 'newrelic-file'),
    newrelicVersion: (flags.newrelicVersion as string | undefined) ?? stored.newrelicVersion ?? DEFAULT_NEWRELIC_VERSION,
  };
}

/** Private-variant decisions: flag > stored > default (`requirements/private.txt` when the repo has it). */
export function resolvePrivateConfig(flags: Record<string, unknown>, stored: Partial<PrivateConfig> = {}, hasPrivateRequirements = false): PrivateConfig {
  return {
    file: insideRepo((flags.privateFile as string | undefined) ?? stored.file ?? 'Dockerfile.private', 'private-file'),
    requirements: list(flags.privateRequirements) ?? stored.requirements ?? (hasPrivateRequirements ? ['requirements/private.txt'] : []),
    pipPackages: list(flags.pipPackages) ?? stored.pipPackages ?? [],
    aptPackages: list(flags.aptPackages) ?? stored.aptPackages ?? [],
    copies: list(flags.copy) ?? stored.copies ?? [],
    indexSecret: (flags.indexSecret as string | undefined) ?? stored.indexSecret ?? 'pip_index_url',
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

/** `SRC:DEST` → `COPY` arguments; DEST relative to the app dir unless absolute. */
function copyLine(spec: string, appDir: string): string {
  const [from, to, ...rest] = spec.split(':');
  if (!from || !to || rest.length > 0) {
    throw new InvalidOptionError(`--copy ${JSON.stringify(spec)} is not SRC:DEST`, 'pass --copy themes:themes (source in the build context, destination in the image)');
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
    pipArgs: [...config.requirements.map((file) => `-r /tmp/private-requirements/${file}`), ...config.pipPackages].join(' '),
    secretMount: `--mount=type=secret,id=${config.indexSecret}`,
    secretFile: `/run/secrets/${config.indexSecret}`,
    copies: config.copies.map((spec) => copyLine(spec, image.appDir)),
  };
}
