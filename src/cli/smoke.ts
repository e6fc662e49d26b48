import { spawnSync } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import { InvalidOptionError, IdaError, UnreadableConfigError } from '../errors.js';
import { type SmokeConfig, operatorSmokeConfig } from '../smoke/config.js';
import { openRepo } from '../core/generate.js';
import { type DockerResult, type SmokeResult, type SmokeStep, runSmoke } from '../smoke/run.js';
import { smokeTarget } from '../smoke/target.js';
import { parse } from 'yaml';

/** `openedx-ida smoke` flags as commander parses them (all strings). */
export interface SmokeCliOptions {
  dbHost?: string;
  dbPort?: string;
  dbName?: string;
  dbUser?: string;
  dbPassword?: string;
  cacheHost?: string;
  cachePort?: string;
  network?: string;
  timeout?: string;
  keep?: string;
  json?: boolean;
  config?: string;
}

/** The environment variable that may carry the database password, so CI never puts it on a command line. */
export const DB_PASSWORD_ENV = 'OPENEDX_IDA_SMOKE_DB_PASSWORD';

/** Docker is not installed or not on PATH. */
export class DockerNotFoundError extends IdaError {
  constructor(reason: string) {
    super(`cannot run docker (${reason})`, 'install Docker and start its daemon, then run again');
  }
}

function number(flag: string, value: string | undefined, fallback: number, max = 65_535): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw new InvalidOptionError(
      `--${flag} ${JSON.stringify(value)} is not a number from 1 to ${max}`,
      `pass --${flag} N`,
    );
  return Number(value);
}

/** A host name or IP address (no scheme, no port, nothing a shell or YAML would read differently). */
function host(flag: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:]+\]?$/.test(value))
    throw new InvalidOptionError(
      `--${flag} ${JSON.stringify(value)} is not a host name or IP address`,
      `pass --${flag} HOST`,
    );
  return value;
}

/** Runs docker with the arguments (never through a shell); a missing docker binary is a DockerNotFoundError. */
function docker(args: string[], timeoutMs?: number): DockerResult {
  const result = spawnSync('docker', args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new DockerNotFoundError('docker is not on PATH');
  const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '', timedOut };
}

/** How many redirects a probe follows, as the kubelet's httpGet probe (Go's client stops at 10). */
const MAX_REDIRECTS = 10;

/**
 * GET with an explicit Host header (fetch does not let a caller set one), as the kubelet's httpGet
 * probe does it: a redirect on the same host is followed (up to 10), one to another host is not (its
 * 3xx is the answer), so the caller can judge the final status as the kubelet does (200-399 healthy).
 */
export function probe(url: string, host: string, redirects = MAX_REDIRECTS): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { Host: host }, timeout: 2_000 }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status < 300 || status >= 400 || location === undefined || redirects === 0) return resolve(status);
      const next = new URL(location, `http://${host}`);
      // The same host (the Host header we sent): ask the same server again, as the kubelet does.
      if (next.protocol !== 'http:' || next.host !== new URL(`http://${host}`).host) return resolve(status);
      const again = new URL(url);
      again.pathname = next.pathname;
      again.search = next.search;
      probe(again.toString(), host, redirects - 1).then(resolve, reject);
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 2 s')));
    request.on('error', (error) => reject(new Error((error as NodeJS.ErrnoException).code ?? error.message)));
  });
}

function formatStep(step: SmokeStep): string[] {
  return [
    `${step.ok ? 'ok  ' : 'FAIL'} ${step.step.padEnd(7)} ${step.detail}`,
    ...(step.lines ?? []).map((line) => `     | ${line}`),
  ];
}

/**
 * `openedx-ida smoke IMAGE [REPO]`: returns the exit code (0 healthy, 1 not; bad input throws an
 * IdaError with exit code 2). Steps are printed as they finish, then the one-line verdict; with
 * `--json`, one object instead.
 */
export async function runSmokeCommand(
  image: string,
  repo: string,
  options: SmokeCliOptions,
  write: (text: string) => void,
): Promise<number> {
  const operatorConfig = options.config === undefined ? undefined : readOperatorConfig(options);
  const target = smokeTarget(openRepo(repo));
  const example = target.exampleYaml !== null ? parse(target.exampleYaml) : null;
  const exampleDb = example?.DATABASES?.default ?? {};
  const dbPassword = options.dbPassword ?? process.env[DB_PASSWORD_ENV] ?? undefined;
  const result: SmokeResult = await runSmoke(
    target,
    {
      image,
      addresses: {
        dbHost: host('db-host', options.dbHost, '127.0.0.1'),
        dbPort: number('db-port', options.dbPort, 3306),
        dbName: options.dbName ?? (exampleDb.NAME === undefined ? undefined : String(exampleDb.NAME)),
        dbUser: options.dbUser ?? (exampleDb.USER === undefined ? undefined : String(exampleDb.USER)),
        dbPassword,
        cacheHost: host('cache-host', options.cacheHost, '127.0.0.1'),
        cachePort: number('cache-port', options.cachePort, 11211),
      },
      network: networkName(options.network),
      timeoutSeconds: number('timeout', options.timeout, 90, 3600),
      keep: options.keep === undefined ? undefined : containerName(options.keep),
      operatorConfig,
    },
    {
      docker,
      probe,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
      onStep: options.json ? undefined : (step) => formatStep(step).forEach(write),
    },
  );
  if (options.json) write(JSON.stringify({ image, repo, exitCode: result.healthy ? 0 : 1, ...result }, null, 2));
  else write(result.verdict);
  return result.healthy ? 0 : 1;
}

/** The flags that fill the example YAML: with --config, the operator's YAML is mounted as it is. */
const FILL_FLAGS = ['dbHost', 'dbPort', 'dbName', 'dbUser', 'dbPassword', 'cacheHost', 'cachePort'] as const;

/**
 * `--config FILE`: read and checked as YAML before anything runs; the fill flags do not go with it.
 * A symlink is followed on purpose: the file is the operator's, named on their own command line and
 * usually kept outside the repo (a secrets checkout, a mounted volume); smoke reads only what they
 * can read themselves and writes nothing through it. A repo's `ci.smokeConfig` is checked at generation.
 */
function readOperatorConfig(options: SmokeCliOptions): { file: string; config: SmokeConfig } {
  const file = options.config!;
  const clash = FILL_FLAGS.find((key) => options[key] !== undefined);
  if (clash)
    throw new InvalidOptionError(
      `--${clash.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} fills the example YAML, but --config ${file} is mounted as it is`,
      'put the value in that file, or drop --config',
    );
  let text: string;
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a regular file');
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UnreadableConfigError(file, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  return { file, config: operatorSmokeConfig(text, file) };
}

/** A Docker network or container name (Docker's own grammar for names). */
const DOCKER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function networkName(value: string | undefined): string {
  if (value === undefined) return 'host';
  if (!DOCKER_NAME.test(value))
    throw new InvalidOptionError(
      `--network ${JSON.stringify(value)} is not a Docker network name`,
      'pass --network host',
    );
  return value;
}

function containerName(value: string): string {
  if (!DOCKER_NAME.test(value))
    throw new InvalidOptionError(
      `--keep ${JSON.stringify(value)} is not a container name`,
      'pass --keep NAME (letters, digits, _ . -)',
    );
  return value;
}
