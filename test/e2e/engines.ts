import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'fs-extra';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyFixtureRepo } from '../support/fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..');

/**
 * Names the work folders, image tags and containers of this checkout's e2e run: several
 * checkouts on one machine share the engines, and with shared names one run would build or
 * start the other's files and images.
 */
export const E2E_ID = createHash('sha256').update(ROOT).digest('hex').slice(0, 8);

/** A work folder of this checkout's e2e run under TMPDIR. */
export function workDir(name: string): string {
  return join(process.env.TMPDIR ?? '/tmp', `openedx-ida-e2e-${E2E_ID}`, name);
}

/** Runs the offline engine preparation (idempotent; see prepare-engines.sh). */
export function prepareEngines(): void {
  execFileSync('bash', [join(HERE, 'prepare-engines.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Starts MariaDB, memcached and Redis on 127.0.0.1 when they are not running (see prepare-services.sh). */
export function prepareServices(): void {
  execFileSync('bash', [join(HERE, 'prepare-services.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Where prepare-tools.sh puts each tool's virtualenv. */
const STATE = process.env.OPENEDX_IDA_E2E_STATE ?? '/var/cache/openedx-ida-e2e';

/**
 * Installs the named tools from PyPI when missing (idempotent; see prepare-tools.sh) and returns
 * the path of `executable` (default: the tool's name) in the tool's virtualenv.
 */
export function toolPath(tool: string, executable = tool): string {
  execFileSync('bash', [join(HERE, 'prepare-tools.sh'), tool], { stdio: ['ignore', 'inherit', 'inherit'] });
  return join(STATE, 'tools', tool, 'bin', executable);
}

/** A MariaDB database and the user that owns it, as a service's operator would create them. */
export interface TestDatabase {
  name: string;
  user: string;
  password: string;
}

/**
 * Creates a database and its own user on the local MariaDB, reachable over TCP at 127.0.0.1:3306,
 * dropping both first so every test starts from an empty database (e2e files run one at a time).
 */
export function createDatabase(db: TestDatabase): void {
  must('mariadb', [
    '-uroot',
    '-e',
    [
      `DROP DATABASE IF EXISTS \`${db.name}\`;`,
      `CREATE DATABASE \`${db.name}\` CHARACTER SET utf8mb4;`,
      `DROP USER IF EXISTS '${db.user}'@'%';`,
      `CREATE USER '${db.user}'@'%' IDENTIFIED BY '${db.password}';`,
      `GRANT ALL PRIVILEGES ON \`${db.name}\`.* TO '${db.user}'@'%';`,
    ].join(' '),
  ]);
}

/**
 * Sends one text-protocol command to a server on 127.0.0.1 (memcached and Redis both take
 * `get KEY` / `EXISTS KEY` lines) and returns the first reply, so a test can see that a key
 * the service wrote is really in the shared cache, not in a process-local one.
 */
export function askServer(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error(`127.0.0.1:${port} did not answer ${line}`)));
    socket.on('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (/^(:\d+|-.*|END|VALUE [^\r]*\r\n[\s\S]*\r\nEND)\r\n/.test(reply)) socket.end();
    });
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command and returns its status and output (never throws on a non-zero exit). */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): Run {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    input: options.input,
    env: options.env ? { ...process.env, ...options.env } : undefined,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command that must succeed; its output is shown in the error when it does not. */
export function must(command: string, args: string[], options: { cwd?: string } = {}): string {
  const result = run(command, args, options);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
    );
  }
  return result.stdout;
}

/** Runs the CLI from the built package, as a user would (stdin closed). */
export function cli(args: string[], cwd = ROOT): Run {
  return run(process.execPath, [join(ROOT, 'bin', 'openedx-ida.js'), ...args], { cwd, input: '' });
}

/**
 * `openedx-ida smoke` as CI runs it: the database password in the environment, never on the
 * command line. The images and derivatives suites boot every image through it (`--keep`).
 */
export function smoke(args: string[], dbPassword: string): Run {
  return run(process.execPath, [join(ROOT, 'bin', 'openedx-ida.js'), 'smoke', ...args], {
    input: '',
    env: { OPENEDX_IDA_SMOKE_DB_PASSWORD: dbPassword },
  });
}

/** What `smoke --json --keep NAME` reports (see src/smoke/run.ts SmokeResult). */
export interface SmokeReport {
  healthy: boolean;
  verdict: string;
  reason: string | null;
  container: string | null;
  configFile: string | null;
  steps: { step: string; ok: boolean; detail: string; lines?: string[] }[];
}

/**
 * Boots `image` through `openedx-ida smoke --keep container --json` (migrate, then the service
 * read-only as its uid with its filled YAML, until health answers) and returns the report; the
 * container stays running for the caller's deeper checks, and is removed if the boot failed.
 */
export function smokeKeep(image: string, repo: string, container: string, dbPassword: string): SmokeReport {
  const result = smoke([image, repo, '--keep', container, '--json'], dbPassword);
  let report: SmokeReport;
  try {
    report = JSON.parse(result.stdout) as SmokeReport;
  } catch {
    throw new Error(`openedx-ida smoke exited ${result.status} without a report\n${result.stdout}\n${result.stderr}`);
  }
  if (result.status !== 0) {
    removeContainer(container);
    const lines = report.steps.flatMap((step) => step.lines ?? []).join('\n');
    throw new Error(`openedx-ida smoke ${image}: ${report.verdict}\n${lines}`);
  }
  return report;
}

/** A fresh copy of a fixture repo (without generated files) in a temp folder. */
export function copyFixture(name: string, into: string): string {
  fs.removeSync(into);
  copyFixtureRepo(name, into);
  return into;
}

/**
 * OPENEDX_IDA_E2E_COLD=1 makes each fixture's first build ignore the layer cache, to measure a
 * cold run without pruning the shared engines' caches (other checkouts on the machine use them).
 */
export const COLD = process.env.OPENEDX_IDA_E2E_COLD === '1';

/**
 * Builds with the legacy builder; `fresh` ignores the layer cache when the run is cold, `cacheFrom`
 * limits the cache to those images' layers (see keepStages).
 */
export function dockerBuild(
  context: string,
  tag: string,
  options: { fresh?: boolean; cacheFrom?: string[] } = {},
): string {
  return must('docker', [
    'build',
    '--network',
    'host',
    ...(options.fresh && COLD ? ['--no-cache'] : []),
    ...(options.cacheFrom ?? []).flatMap((image) => ['--cache-from', image]),
    '-t',
    tag,
    context,
  ]);
}

/**
 * Tags each build stage's last image from a legacy build's output (`<tag>-<stage>`) and returns
 * the images a rebuild should take its cache from: the stages and the final image. The stages'
 * layers are otherwise dangling images, which a `docker image prune` elsewhere on the machine
 * deletes; and without --cache-from the builder may pick same-looking layers of another build on
 * the machine, whose venv has other bytes (a compiled extension differs from build to build),
 * so the venv copy misses for reasons that have nothing to do with the Dockerfile.
 */
export function keepStages(legacyOutput: string, tag: string): string[] {
  const kept = [tag];
  let stage: string | null = null;
  let image: string | null = null;
  const keep = () => {
    if (stage === null || image === null) return;
    must('docker', ['tag', image, `${tag}-${stage}`]);
    kept.push(`${tag}-${stage}`);
  };
  for (const line of legacyOutput.split('\n')) {
    const from = /^Step \d+\/\d+ : FROM \S+ AS (\S+)$/.exec(line);
    if (from) {
      keep();
      [stage, image] = [from[1], null];
    }
    const id = /^ ---> ([0-9a-f]{12})$/.exec(line);
    if (id) image = id[1];
  }
  return kept;
}

/** Builds with buildah (BuildKit syntax, HEALTHCHECK kept) and moves the image to Docker. */
export function buildahBuild(
  context: string,
  tag: string,
  extra: string[] = [],
  options: { fresh?: boolean } = {},
): string {
  const cold = options.fresh && COLD ? ['--no-cache'] : [];
  const output = must('buildah', [
    'bud',
    '--format',
    'docker',
    '--network',
    'host',
    '--layers',
    ...cold,
    ...extra,
    '-t',
    tag,
    context,
  ]);
  must('buildah', ['push', '--quiet', tag, `docker-daemon:${tag}`]);
  return output;
}

/** Copies an image from Docker's store into buildah's, under its fully qualified name. */
export function dockerToBuildah(image: string, archiveDir: string): void {
  const archive = join(archiveDir, `${image.replace(/[^A-Za-z0-9]+/g, '_')}.tar`);
  must('docker', ['save', image, '-o', archive]);
  const id = must('buildah', ['pull', '--quiet', `docker-archive:${archive}`])
    .trim()
    .split('\n')
    .at(-1)!;
  must('buildah', ['tag', id, image]);
  fs.removeSync(archive);
}

/** Polls `url` until it answers (any status) or the deadline passes. */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(2_000) });
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

/** Starts a container on the host network; the caller removes it with `removeContainer`. */
export function startContainer(name: string, image: string, args: string[] = []): void {
  run('docker', ['rm', '-f', name]);
  must('docker', ['run', '-d', '--name', name, '--network', 'host', ...args, image]);
}

export function removeContainer(name: string): void {
  run('docker', ['rm', '-f', name]);
}

/** One step of a legacy-builder build and whether it came from the cache. */
export interface BuildStep {
  instruction: string;
  cached: boolean;
}

/** Parses `docker build` (legacy builder) output into its steps. */
export function parseLegacyBuild(output: string): BuildStep[] {
  const steps: BuildStep[] = [];
  for (const line of output.split('\n')) {
    const step = /^Step \d+\/\d+ : (.*)$/.exec(line);
    if (step) steps.push({ instruction: step[1], cached: false });
    else if (line.includes('---> Using cache') && steps.length > 0) steps[steps.length - 1].cached = true;
  }
  return steps;
}
