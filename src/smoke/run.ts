import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdaError } from '../errors.js';
import { type SmokeAddresses, type SmokeConfig, needsDatabasePassword, smokeConfig } from './config.js';
import type { SmokeTarget } from './target.js';

/** What a smoke run was asked to do. */
export interface SmokeOptions {
  image: string;
  addresses: SmokeAddresses;
  /** Docker network of both containers: `host` (the default) reaches servers on 127.0.0.1. */
  network: string;
  /** How long the service gets to answer its health endpoint; `migrate` gets ten times that. */
  timeoutSeconds: number;
  /** Leave the container running under this name (and its YAML on disk) for the caller. */
  keep?: string;
  /** An operator's YAML (`--config`), mounted as it is instead of the filled example. */
  operatorConfig?: { file: string; config: SmokeConfig };
}

/** One docker command's outcome. */
export interface DockerResult {
  status: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** What a smoke run does to the world: docker commands, HTTP requests, time. Injected so the steps can be unit-tested. */
export interface SmokeDeps {
  docker: (args: string[], timeoutMs?: number) => DockerResult;
  /**
   * GETs `url` with `host` as the Host header, following same-host redirects as the kubelet does:
   * the final status, or throws when nothing answers.
   */
  probe: (url: string, host: string) => Promise<number>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Called with each step as it finishes (the CLI prints it). */
  onStep?: (step: SmokeStep) => void;
  /** A fresh private folder for the filled YAML. */
  makeTempDir?: () => string;
}

export type StepName = 'image' | 'config' | 'migrate' | 'start' | 'health';

export interface SmokeStep {
  step: StepName;
  ok: boolean;
  detail: string;
  /** Extra output lines (a failed step's last log lines), secrets removed. */
  lines?: string[];
}

/** What a smoke run found; `reason` says why it is not healthy. */
export interface SmokeResult {
  healthy: boolean;
  verdict: string;
  reason: string | null;
  steps: SmokeStep[];
  /** The container left running (`--keep`), else null. */
  container: string | null;
  /** The filled YAML left on disk with a kept container, else null. */
  configFile: string | null;
  seconds: number;
}

/** The image is not in the local engine. */
export class ImageNotFoundError extends IdaError {
  constructor(image: string) {
    super(`no image ${image} in the local Docker engine`, 'build it first (docker build -t IMAGE .) or pull it');
  }
}

/** A value the run needs was not given. */
export class MissingSmokeInputError extends IdaError {
  constructor(message: string, nextStep: string) {
    super(message, nextStep);
  }
}

/** How many log lines a failed start shows. */
const LOG_TAIL = 10;
/** The ENTRYPOINT's exit code when the YAML is not mounted (EX_CONFIG; see the Dockerfile template). */
const EX_CONFIG = 78;

/** Replaces every secret in `text` with `***` (longest first, so one secret inside another goes too). */
export function redact(text: string, secrets: string[]): string {
  return [...secrets]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length)
    .reduce((out, secret) => out.split(secret).join('***'), text);
}

/**
 * The line that says why a command failed: the last line naming an error or exception (a Python
 * traceback ends with it), else the last non-empty line of stderr, else of stdout.
 */
export function lastErrorLine(stderr: string, stdout = ''): string {
  const lines = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  const errors = lines(stderr);
  return (
    errors.filter((line) => /\w(Error|Exception)\b|^error\b/i.test(line)).at(-1) ??
    errors.at(-1) ??
    lines(stdout).at(-1) ??
    'no output'
  );
}

/** The image's environment (`NAME=value` entries), from `docker image inspect`. */
function imageEnv(deps: SmokeDeps, image: string): string[] {
  const inspect = deps.docker(['image', 'inspect', image]);
  if (inspect.status !== 0) throw new ImageNotFoundError(image);
  const [info] = JSON.parse(inspect.stdout) as { Config?: { Env?: string[] | null } }[];
  return info?.Config?.Env ?? [];
}

/**
 * Boots `image` the way an operator runs it: the example YAML filled for the given servers,
 * `manage.py migrate` as its own container, then the service read-only, a tmpfs /tmp, as its
 * numeric user, the YAML mounted read-only at its path, until the health endpoint answers 200-399.
 * Throws for bad input (no image, no database password); every other failure is a result with
 * its reason. The container and the YAML are removed unless `keep` is set.
 */
export async function runSmoke(target: SmokeTarget, options: SmokeOptions, deps: SmokeDeps): Promise<SmokeResult> {
  const started = deps.now();
  const steps: SmokeStep[] = [];
  const step = (entry: SmokeStep) => {
    steps.push(entry);
    deps.onStep?.(entry);
    return entry;
  };
  const env = imageEnv(deps, options.image);
  const expected = `${target.configVar}=${target.configPath}`;
  const set = env.find((entry) => entry.startsWith(`${target.configVar}=`));
  step({
    step: 'image',
    ok: true,
    detail:
      `${options.image}: ${target.service}, port ${target.port}, uid ${target.uid}` +
      (target.configVar === '' ? ', no YAML' : `, ${expected}`) +
      (target.configVar !== '' && set !== expected
        ? ` (the image sets ${set ?? `no ${target.configVar}`}: was it built from this repo?)`
        : ''),
  });
  let config: SmokeConfig | null = options.operatorConfig?.config ?? null;
  if (config === null && target.exampleYaml !== null) {
    if (needsDatabasePassword(target.exampleYaml) && options.addresses.dbPassword === undefined) {
      throw new MissingSmokeInputError(
        `no database password for ${target.exampleFile}`,
        'set OPENEDX_IDA_SMOKE_DB_PASSWORD (or pass --db-password) to the password of the database user',
      );
    }
    config = smokeConfig(target.exampleYaml, options.addresses);
  }
  const secrets = [...(config?.secrets ?? []), options.addresses.dbPassword ?? ''];
  const tempDir = (deps.makeTempDir ?? (() => fs.mkdtempSync(join(tmpdir(), 'openedx-ida-smoke-'))))();
  const configFile = join(tempDir, `${target.service}.yml`);
  const container = options.keep ?? `openedx-ida-smoke-${process.pid}-${started.toString(36)}`;
  const finish = (reason: string | null): SmokeResult => {
    const seconds = Math.round((deps.now() - started) / 100) / 10;
    const healthy = reason === null;
    return {
      healthy,
      verdict: healthy
        ? `healthy: ${target.service} answered ${target.healthPath ?? '/'} in ${seconds} s`
        : `unhealthy: ${redact(reason, secrets)}`,
      reason: healthy ? null : redact(reason, secrets),
      steps,
      container: options.keep ?? null,
      configFile: options.keep && config ? configFile : null,
      seconds,
    };
  };
  try {
    const mount: string[] = [];
    if (config) {
      // Readable by the service's uid inside the container; the folder stays private to this user.
      fs.writeFileSync(configFile, config.text, { mode: 0o644 });
      fs.chmodSync(configFile, 0o644);
      mount.push('-v', `${configFile}:${target.configPath}:ro`);
      const db = config.database;
      const given = options.operatorConfig?.file;
      step({
        step: 'config',
        ok: true,
        detail: given
          ? `${given} as given` +
            (db ? ` (database ${db.name} as ${db.user} at ${db.host}:${db.port})` : '') +
            `, mounted read-only at ${target.configPath}`
          : `${target.exampleFile} filled for ` +
            (db ? `database ${db.name} as ${db.user} at ${db.host}:${db.port}, ` : '') +
            `cache ${options.addresses.cacheHost}:${options.addresses.cachePort}, ` +
            `mounted read-only at ${target.configPath}`,
      });
    }
    const runArgs = [
      '--network',
      options.network,
      '--read-only',
      '--tmpfs',
      '/tmp',
      '--user',
      `${target.uid}:${target.uid}`,
      ...mount,
    ];
    const migrateStart = deps.now();
    const migrate = deps.docker(
      ['run', '--rm', ...runArgs, options.image, 'python', 'manage.py', 'migrate', '--noinput'],
      options.timeoutSeconds * 10_000,
    );
    const migrateSeconds = Math.round((deps.now() - migrateStart) / 100) / 10;
    if (migrate.status !== 0 || migrate.timedOut) {
      const why = migrate.timedOut
        ? `did not finish within ${options.timeoutSeconds * 10} s`
        : lastErrorLine(migrate.stderr, migrate.stdout);
      step({ step: 'migrate', ok: false, detail: redact(why, secrets) });
      return finish(`migrate failed${migrate.status === EX_CONFIG ? ' (no YAML config)' : ''}: ${why}`);
    }
    step({ step: 'migrate', ok: true, detail: `manage.py migrate --noinput done in ${migrateSeconds} s` });
    deps.docker(['rm', '-f', container]);
    const publish = options.network === 'host' ? [] : ['-p', `127.0.0.1:${target.port}:${target.port}`];
    const start = deps.docker(['run', '-d', '--name', container, ...runArgs, ...publish, options.image]);
    if (start.status !== 0) {
      const why = lastErrorLine(start.stderr, start.stdout);
      step({ step: 'start', ok: false, detail: redact(why, secrets) });
      return finish(`the container did not start: ${why}`);
    }
    step({
      step: 'start',
      ok: true,
      detail: `container ${container}: read-only root, tmpfs /tmp, uid ${target.uid}, network ${options.network}`,
    });
    const reason = await waitHealthy(target, options, deps, container, config?.hostHeader ?? 'localhost');
    if (reason === null) return finish(null);
    step({
      step: 'health',
      ok: false,
      detail: redact(reason.why, secrets),
      lines: reason.lines.map((line) => redact(line, secrets)),
    });
    return finish(reason.why);
  } finally {
    if (!options.keep) {
      deps.docker(['rm', '-f', container]);
      fs.rmSync(tempDir, { recursive: true, force: true });
    }
  }
}

/**
 * Whether a probe's final status is healthy: 200-399 as the kubelet's httpGet probe (the
 * kubernetes and Tutor outputs' probes) counts it; any answer below 500 when no health path is known.
 */
export function isHealthy(status: number, healthPath: string | null): boolean {
  return healthPath === null ? status > 0 && status < 500 : status >= 200 && status < 400;
}

/** Polls the health endpoint until it answers healthy (see isHealthy). */
async function waitHealthy(
  target: SmokeTarget,
  options: SmokeOptions,
  deps: SmokeDeps,
  container: string,
  host: string,
): Promise<{ why: string; lines: string[] } | null> {
  const path = target.healthPath ?? '/';
  const url = `http://127.0.0.1:${target.port}${path}`;
  const begin = deps.now();
  const deadline = begin + options.timeoutSeconds * 1000;
  let last: string;
  for (;;) {
    try {
      const status = await deps.probe(url, host);
      last = `HTTP ${status}`;
      if (isHealthy(status, target.healthPath)) {
        deps.onStep?.({
          step: 'health',
          ok: true,
          detail: `GET ${url} (Host: ${host}) answered ${status} after ${Math.round((deps.now() - begin) / 100) / 10} s`,
        });
        return null;
      }
    } catch (error) {
      last = (error as Error).message;
    }
    const state = deps.docker(['inspect', '-f', '{{.State.Running}} {{.State.ExitCode}}', container]).stdout.trim();
    if (state.startsWith('false')) {
      const code = Number(state.split(' ')[1]);
      const logs = deps.docker(['logs', container]);
      const why = lastErrorLine(logs.stderr, logs.stdout);
      return {
        why: `the container exited with ${code}${code === EX_CONFIG ? ' (no YAML config)' : ''}: ${why}`,
        lines: tail(logs),
      };
    }
    if (deps.now() >= deadline) {
      const logs = deps.docker(['logs', '--tail', String(LOG_TAIL), container]);
      return {
        why: `GET ${url} (Host: ${host}) did not answer ${target.healthPath ? '200-399' : 'below 500'} within ${options.timeoutSeconds} s (last: ${last}); the container's last log lines are above`,
        lines: tail(logs),
      };
    }
    await deps.sleep(500);
  }
}

function tail(logs: DockerResult): string[] {
  return `${logs.stdout}\n${logs.stderr}`
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-LOG_TAIL);
}
