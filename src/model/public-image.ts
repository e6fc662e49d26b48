import type { RepoFacts } from '../analyze/analyze.js';
import { InvalidOptionError } from '../errors.js';
import type { GeneratorConfig } from './decisions.js';
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

/** The public image's default name when none is given: `docker.io/openedx/<service>:main` (fully qualified: buildah resolves no short names). */
export function defaultBaseImage(service: string): string {
  return `docker.io/openedx/${service.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')}:main`;
}

/** The public image as the app generator builds it from this repo. */
export function publicImageFromRepo(facts: RepoFacts, config: GeneratorConfig, baseImage: string | undefined): PublicImage {
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

/** Flags an operator gives when the derivative lives in a repo without the IDA source. */
export interface OperatorFlags {
  baseImage?: string;
  service?: string;
  port?: number;
  wsgiApp?: string;
  gunicornConfig?: string;
  /** The WSGI server of the public image: gunicorn (default) or uwsgi. */
  server?: string;
  uid?: number;
  appDir?: string;
  workers?: number;
}

const REQUIRED: { key: keyof OperatorFlags; flag: string }[] = [
  { key: 'baseImage', flag: '--base-image' },
  { key: 'service', flag: '--service' },
  { key: 'port', flag: '--port' },
  { key: 'wsgiApp', flag: '--wsgi-app' },
];

/**
 * The public image described by flags alone (operator mode). Throws one error naming every
 * missing flag; `uid`, `appDir` and `workers` default as the app generator's do.
 */
export function publicImageFromFlags(flags: OperatorFlags, where: string): PublicImage {
  const missing = REQUIRED.filter(({ key }) => flags[key] === undefined || flags[key] === '').map(({ flag }) => flag);
  if (missing.length > 0) {
    throw new InvalidOptionError(
      `${where} has no IDA source, so the derivative needs ${missing.join(', ')}`,
      `pass ${missing.map((flag) => `${flag} <value>`).join(' ')} (the public image's values), or run it in the service repo`,
    );
  }
  const server = flags.server ?? 'gunicorn';
  if (server !== 'gunicorn' && server !== 'uwsgi') {
    throw new InvalidOptionError(`--server ${JSON.stringify(server)} is not valid (gunicorn or uwsgi)`, 'pass --server gunicorn or --server uwsgi');
  }
  const service = flags.service!;
  const appDir = flags.appDir ?? `/edx/app/${service}`;
  const workers = flags.workers ?? 2;
  const port = Number(flags.port);
  const wsgiApp = flags.wsgiApp!;
  // The same commands the app generator writes, so the derivative restates the public CMD.
  const command =
    server === 'uwsgi'
      ? uwsgiCommand({ workers, port, wsgiApp, iniFile: null, iniBindsPort: false })
      : gunicornCommand({
          workers,
          service,
          configFile: flags.gunicornConfig ? posix.resolve(appDir, flags.gunicornConfig) : null,
          port,
          wsgiApp,
        });
  return { baseImage: flags.baseImage!, service, uid: flags.uid ?? 1000, appDir, port, command, newrelicPinnedAt: null };
}
