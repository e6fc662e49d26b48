import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'fs-extra';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyFixtureRepo } from '../support/fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..');

/** Runs the offline engine preparation (idempotent; see prepare-engines.sh). */
export function prepareEngines(): void {
  execFileSync('bash', [join(HERE, 'prepare-engines.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Starts MariaDB, memcached and Redis on 127.0.0.1 when they are not running (see prepare-services.sh). */
export function prepareServices(): void {
  execFileSync('bash', [join(HERE, 'prepare-services.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** A MariaDB database and the user that owns it, as a service's operator would create them. */
export interface TestDatabase {
  name: string;
  user: string;
  password: string;
}

/**
 * Creates (or recreates, empty) a database and its own user on the local MariaDB, reachable over
 * TCP at 127.0.0.1:3306. Names are derived from `key` so each test has its own.
 */
export function createDatabase(key: string): TestDatabase {
  const name = `e2e_${key.replace(/[^A-Za-z0-9]+/g, '_')}`.slice(0, 60);
  const user = name.slice(0, 32);
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  must('mariadb', ['-uroot', '-e', [
    `DROP DATABASE IF EXISTS \`${name}\`;`,
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4;`,
    `DROP USER IF EXISTS '${user}'@'%';`,
    `CREATE USER '${user}'@'%' IDENTIFIED BY '${password}';`,
    `GRANT ALL PRIVILEGES ON \`${name}\`.* TO '${user}'@'%';`,
  ].join(' ')]);
  return { name, user, password };
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command and returns its status and output (never throws on a non-zero exit). */
export function run(command: string, args: string[], options: { cwd?: string; input?: string } = {}): Run {
  const result = spawnSync(command, args, { cwd: options.cwd, input: options.input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command that must succeed; its output is shown in the error when it does not. */
export function must(command: string, args: string[], options: { cwd?: string } = {}): string {
  const result = run(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  }
  return result.stdout;
}

/** Runs the CLI from the built package, as a user would (stdin closed). */
export function cli(args: string[], cwd = ROOT): Run {
  return run(process.execPath, [join(ROOT, 'bin', 'openedx-ida.js'), ...args], { cwd, input: '' });
}

/** A fresh copy of a fixture repo (without generated files) in a temp folder. */
export function copyFixture(name: string, into: string): string {
  fs.removeSync(into);
  copyFixtureRepo(name, into);
  return into;
}

export function dockerBuild(context: string, tag: string): string {
  return must('docker', ['build', '--network', 'host', '-t', tag, context]);
}

/** Builds with buildah (BuildKit syntax, HEALTHCHECK kept) and moves the image to Docker. */
export function buildahBuild(context: string, tag: string, extra: string[] = []): string {
  const output = must('buildah', ['bud', '--format', 'docker', '--network', 'host', '--layers', ...extra, '-t', tag, context]);
  must('buildah', ['push', '--quiet', tag, `docker-daemon:${tag}`]);
  return output;
}

/** Copies an image from Docker's store into buildah's, under its fully qualified name. */
export function dockerToBuildah(image: string, archiveDir: string): void {
  const archive = join(archiveDir, `${image.replace(/[^A-Za-z0-9]+/g, '_')}.tar`);
  must('docker', ['save', image, '-o', archive]);
  const id = must('buildah', ['pull', '--quiet', `docker-archive:${archive}`]).trim().split('\n').at(-1)!;
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
