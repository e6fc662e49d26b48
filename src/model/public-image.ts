import type { RepoFacts } from '../analyze/analyze.js';
import { InvalidOptionError } from '../errors.js';
import type { GeneratorConfig } from './decisions.js';
import { assertUsableRepoValues } from './repo-values.js';
import { DEFAULTS, defaultAppDir, given, optionFor, validateOption } from './options.js';
import { posix } from 'node:path';
import { gunicornCommand, repoServerCommand, uwsgiCommand } from './dockerfile-model.js';

/**
 * What a derivative image needs to know about the public image it is built FROM:
 * read from the service repo (facts plus the app's decisions), or given as flags in an
 * operator's repo that has no IDA source.
 */
export interface PublicImage {
  /** The public image, with a tag: the default of the derivative's `ARG BASE_IMAGE`. */
  baseImage: string;
  service: string;
  uid: number;
  appDir: string;
  port: number;
  /** The public image's CMD, exec form. */
  command: string[];
  /** Where the service's own requirements pin `newrelic`, when they do ("file:line"). */
  newrelicPinnedAt: string | null;
}

/**
 * The public image's default name when none is given: `docker.io/openedx/<service>:main`
 * (fully qualified: buildah resolves no short names).
 */
export function defaultBaseImage(service: string): string {
  return `docker.io/openedx/${service.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')}:main`;
}

/** The public image as the app generator builds it from this repo. */
export function publicImageFromRepo(
  facts: RepoFacts,
  config: GeneratorConfig,
  baseImage: string | undefined,
): PublicImage {
  assertUsableRepoValues(facts);
  return {
    baseImage: baseImage ?? defaultBaseImage(config.service),
    service: config.service,
    uid: config.uid,
    appDir: config.appDir,
    port: config.port,
    command: repoServerCommand(facts, config),
    newrelicPinnedAt: facts.newrelic.value ? facts.newrelic.source : null,
  };
}

/**
 * Flags an operator gives when the derivative lives in a repo without the IDA source: raw
 * flag text or typed values, checked by publicImageFromFlags.
 */
export interface OperatorFlags {
  baseImage?: string;
  service?: string;
  port?: number | string;
  wsgiApp?: string;
  gunicornConfig?: string;
  /** The WSGI server of the public image: gunicorn (default) or uwsgi. */
  server?: string;
  uid?: number | string;
  appDir?: string;
  workers?: number | string;
}

const REQUIRED: { key: keyof OperatorFlags; flag: string }[] = [
  { key: 'baseImage', flag: '--base-image' },
  { key: 'service', flag: '--service' },
  { key: 'port', flag: '--port' },
  { key: 'wsgiApp', flag: '--wsgi-app' },
];

/** An operator flag's value checked against the options table, or undefined when not given. */
function operatorValue(flags: OperatorFlags, key: keyof OperatorFlags, flag: string): string | number | undefined {
  const raw = flags[key];
  if (!given(raw)) return undefined;
  return validateOption(optionFor(flag), raw, { from: 'flag' }) as string | number;
}

/**
 * The public image described by flags alone (operator mode). Throws one error naming every
 * missing flag; `uid`, `appDir` and `workers` default as the app generator's do. Values may
 * be raw flag text: each is checked against its grammar (InvalidOptionError otherwise).
 */
export function publicImageFromFlags(flags: OperatorFlags, where: string): PublicImage {
  const missing = REQUIRED.filter(({ key }) => !given(flags[key])).map(({ flag }) => flag);
  if (missing.length > 0) {
    throw new InvalidOptionError(
      `${where} has no IDA source, so the derivative needs ${missing.join(', ')}`,
      `pass ${missing.map((flag) => `${flag} <value>`).join(' ')} (the public image's values), or run it in the service repo`,
    );
  }
  const value = (key: keyof OperatorFlags) => operatorValue(flags, key, OPERATOR_FLAG[key]);
  const service = value('service') as string;
  const appDir = (value('appDir') as string | undefined) ?? defaultAppDir(service);
  const port = value('port') as number;
  const gunicornConfig = value('gunicornConfig') as string | undefined;
  const workers = (value('workers') as number | undefined) ?? DEFAULTS.workers;
  const wsgiApp = value('wsgiApp') as string;
  return {
    baseImage: value('baseImage') as string,
    service,
    uid: (value('uid') as number | undefined) ?? DEFAULTS.uid,
    appDir,
    port,
    // The same commands the app generator writes, so the derivative restates the public CMD.
    command:
      value('server') === 'uwsgi'
        ? uwsgiCommand({ workers, port, wsgiApp, iniFile: null, iniBindsPort: false })
        : gunicornCommand({
            workers,
            service,
            configFile: gunicornConfig ? posix.resolve(appDir, gunicornConfig) : null,
            port,
            wsgiApp,
          }),
    newrelicPinnedAt: null,
  };
}

/** The flag of each operator value, for messages and grammars. */
export const OPERATOR_FLAG: Record<keyof OperatorFlags, string> = {
  baseImage: 'base-image',
  service: 'service',
  port: 'port',
  wsgiApp: 'wsgi-app',
  gunicornConfig: 'gunicorn-config',
  server: 'server',
  uid: 'uid',
  appDir: 'app-dir',
  workers: 'workers',
};
