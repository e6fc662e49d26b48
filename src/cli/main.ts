import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { IdaError, UnknownCommandError } from '../errors.js';
import { GENERATOR_VERSION } from '../package-info.js';
import type { BatchCliOptions } from './batch.js';
import type { LintCliOptions } from './lint.js';
import type { ConfigImportOptions } from './config-import.js';
import type { SmokeCliOptions } from './smoke.js';
import type { GeneratorName } from '../model/options.js';
import { closestCommand } from './suggest.js';

// Each command's module is imported when that command runs: start-up time is most of a run's cost.

/** Generators the CLI exposes, each as a subcommand with Yeoman's command support. */
const GENERATORS = [
  { name: 'app', description: 'Write the Dockerfile, .dockerignore and example YAML (the default command)' },
  { name: 'newrelic', description: 'Write Dockerfile.newrelic: the public image run under the New Relic agent' },
  {
    name: 'private',
    description: 'Write Dockerfile.private: private requirements, plugins, apt packages and themes on the public image',
  },
  {
    name: 'kubernetes',
    description:
      'Write deploy/kubernetes/: a kustomize base (probes, security, Secret, Ingress, PDB, HPA, migrations Job)' +
      ' and overlays (example, vault-agent, external-secrets, blue-green)',
  },
  {
    name: 'ci',
    description:
      'Write .github/workflows/<service>-image.yml: check, lint, build and smoke-test PRs; publish the image',
  },
  {
    name: 'compose',
    description:
      'Write compose.yaml and the YAML filled for it: the service, MySQL, its cache (and Celery) run locally',
  },
  { name: 'tutor', description: 'Write tutor-contrib-<service>/: a Tutor plugin running the image with its YAML' },
];

/** Commands that are not generators: no Yeoman, no prompts. */
const PLAIN_COMMANDS = ['detect', 'check', 'batch', 'lint', 'config', 'smoke', 'help'];

const SUBCOMMANDS = new Set([...PLAIN_COMMANDS, ...GENERATORS.map((generator) => generator.name)]);

/**
 * Builds the `openedx-ida` command: detect, check and batch, plus the generators through
 * Yeoman's command support. Only the generator being run loads Yeoman (most of the
 * start-up time): the others are listed for help only.
 */
export async function buildProgram(invoked?: string): Promise<Command> {
  const program = new Command('openedx-ida')
    .description('Containerize an Open edX IDA: production Dockerfile, .dockerignore and example YAML config')
    .version(GENERATOR_VERSION)
    .showHelpAfterError()
    // Before any .command(): subcommands copy it when created, so their usage errors reach main()
    // (which exits 2) instead of commander's process.exit(1).
    .exitOverride();

  program
    .command('detect')
    .description('Print what the tool detects in an IDA repo, with the source of each fact')
    .argument('[repo]', 'the IDA repository', '.')
    .option('--json', 'print one JSON object: { key: { value, source, rule } }')
    .action(async (repo: string, options: { json?: boolean }) => {
      const { runDetect } = await import('./detect.js');
      runDetect(repo, options, (text) => process.stdout.write(`${text}\n`));
    });

  program
    .command('check')
    .description(
      'Regenerate in memory and compare with the files on disk; write nothing (exit 0 identical, 1 drift, 2 error)',
    )
    .argument('[repos...]', 'IDA or operator repos', [])
    .option('--json', 'print a machine-readable report per repo and file')
    .action(async (repos: string[], options: { json?: boolean }) => {
      const { runCheck } = await import('./check.js');
      process.exitCode = runCheck(repos, options, (text) => process.stdout.write(`${text}\n`));
    });

  program
    .command('lint')
    .description(
      'Lint Dockerfiles (generated or hand-written): file:line RULE severity: message; exit 1 at or above the threshold',
    )
    .argument('[dockerfiles...]', 'Dockerfiles to lint (default: ./Dockerfile)', [])
    .option('--format <format>', 'text (default) or json')
    .option('--failure-threshold <severity>', 'exit 1 for findings at or above: error, warning (default), info, style')
    .option('--builder <builder...>', 'builders the file must build on: legacy, buildkit, buildah (default: all)')
    .action(async (files: string[], options: LintCliOptions) => {
      const { runLint } = await import('./lint.js');
      process.exitCode = runLint(files, options, (text) => process.stdout.write(`${text}\n`));
    });

  program
    .command('smoke')
    .description(
      'Boot a built image with its example YAML filled for the given database and cache: migrate, start read-only, wait for health (exit 0 healthy, 1 not, 2 bad input)',
    )
    .argument('<image>', 'the image to boot')
    .argument('[repo]', 'the IDA repository it was built from', '.')
    .option('--db-host <host>', 'database host (default 127.0.0.1)')
    .option('--db-port <port>', 'database port (default 3306)')
    .option('--db-name <name>', "database name (default: the example YAML's DATABASES.default.NAME)")
    .option('--db-user <user>', "database user (default: the example YAML's DATABASES.default.USER)")
    .option('--db-password <password>', 'database password (or the OPENEDX_IDA_SMOKE_DB_PASSWORD variable)')
    .option('--cache-host <host>', 'memcached host (default 127.0.0.1)')
    .option('--cache-port <port>', 'memcached port (default 11211)')
    .option('--network <network>', 'Docker network of the containers (default host)')
    .option('--timeout <seconds>', 'how long the service gets to answer its health endpoint (default 90)')
    .option('--keep <name>', 'leave the container running under this name, with its YAML, for further tests')
    .option(
      '--config <file>',
      "mount this YAML (an operator's) as it is instead of filling the example (the --db-* and --cache-* flags then do not apply)",
    )
    .option('--json', 'print one JSON object')
    .action(async (image: string, repo: string, options: SmokeCliOptions) => {
      const { runSmokeCommand } = await import('./smoke.js');
      process.exitCode = await runSmokeCommand(image, repo, options, (text) => process.stdout.write(`${text}\n`));
    });

  program
    .command('batch')
    .description(
      'Generate (or --check) many repos in parallel; one broken repo never stops the others (exit 0 ok, 1 drift or conflicts, 2 errors)',
    )
    .argument('[dirs...]', 'repos, or directories whose subdirectories are repos', [])
    .option('--list <file>', 'a file of repo paths, one per line')
    .option('--check', 'compare only, write nothing (as openedx-ida check)')
    .option('--force', 'overwrite hand-written files and take the generated version over your edits')
    .option('--json', 'print the whole run as JSON')
    .option('--concurrency <n>', 'repos at a time (default: cores, at most 4)')
    .action(async (dirs: string[], options: BatchCliOptions) => {
      const { runBatchCommand } = await import('./batch.js');
      process.exitCode = await runBatchCommand(dirs, options, (text) => process.stdout.write(`${text}\n`));
    });

  const config = program.command('config').description("Work with a service's YAML config");
  config
    .command('import')
    .description(
      "Write the operator's <service>.yml from the Ansible configuration repository (exit 0 complete, 1 unresolved variables left, 2 error)",
    )
    .argument('[repo]', 'where to write it (and whose .yo-rc.json names the service)', '.')
    .requiredOption('--from-ansible <checkout>', 'a checkout of openedx/configuration')
    .option('--service <name>', 'the role (default: the stored service, else the repo directory name)')
    .option('--vars <file...>', 'your vars files, as ansible-playbook -e @file (later wins)')
    .option('--output <file>', 'where to write (default: <service>.yml in the repo)')
    .option('--force', 'overwrite an existing file')
    .action(async (repo: string, options: ConfigImportOptions) => {
      const { runConfigImport } = await import('./config-import.js');
      process.exitCode = runConfigImport(repo, options, (text) => process.stderr.write(`${text}\n`));
    });
  config
    .command('validate')
    .description(
      "Check an operator's YAML against the service: unknown keys, missing required keys, wrong types, placeholders (exit 0 valid, 1 errors, 2 bad input)",
    )
    .argument('<file>', "the operator's YAML")
    .argument('[repo]', 'the IDA repository', '.')
    .option('--json', 'print { file, service, errors, findings } as JSON')
    .action(async (file: string, repo: string, options: { json?: boolean }) => {
      const { runConfigValidate } = await import('./config-validate.js');
      process.exitCode = runConfigValidate(file, repo, options, (text) => process.stdout.write(`${text}\n`));
    });

  for (const generator of GENERATORS) {
    if (generator.name !== invoked) {
      program
        .command(generator.name)
        .description(`${generator.description} (see openedx-ida ${generator.name} --help)`);
      continue;
    }
    // Yeoman's command support brings the conflicter flags: --force, --bail, --dry-run, --skip-cache.
    const { prepareCommand } = await import('yeoman-environment');
    const command = await prepareCommand({
      resolved: fileURLToPath(new URL(`../../generators/${generator.name}/index.js`, import.meta.url)),
      namespace: `openedx-ida:${generator.name}`,
    });
    quietTaskErrors(
      command as unknown as { env?: { adapter?: { log?: { error?: (...args: unknown[]) => unknown } } } },
    );
    // Yeoman builds this command itself, so it did not copy the program's exitOverride: without it
    // commander exits 1 on an unknown flag, which a generator uses for "written with unresolved variables".
    command.exitOverride();
    program.addCommand(command.name(generator.name).description(generator.description) as unknown as Command);
  }
  return program;
}

/**
 * Yeoman logs "An error occured while running <namespace>#<task>" before the error reaches
 * the CLI, which then prints the error itself as one line with the next step: drop the
 * generic line so a failed run prints exactly one.
 */
function quietTaskErrors(command: { env?: { adapter?: { log?: { error?: (...args: unknown[]) => unknown } } } }): void {
  const log = command.env?.adapter?.log;
  const error = log?.error;
  if (!log || !error) return;
  log.error = (...args: unknown[]) =>
    typeof args[0] === 'string' && args[0].startsWith('An error occured while running') ? log : error.apply(log, args);
}

/** Options only Yeoman's command handles: a run with one of them goes through Yeoman. */
const YEOMAN_ONLY = ['--bail', '--whitespace', '--skip-yo-resolve', '--help', '-h'];

/** Whether a generator run can skip Yeoman (see fast.ts): no prompt will be asked and no Yeoman-only option is set. */
export function canRunFast(args: string[]): boolean {
  return (
    (args.includes('--yes') || args.includes('-y')) && !args.some((arg) => YEOMAN_ONLY.includes(arg.split('=')[0]))
  );
}

/** argv without node and script; `app` is inserted when no subcommand is named. */
export function withDefaultCommand(args: string[]): string[] {
  const first = args.find((arg) => !arg.startsWith('-'));
  const wantsTopLevel = args.length === 1 && ['-h', '--help', '-V', '--version'].includes(args[0]);
  if (wantsTopLevel || (first !== undefined && SUBCOMMANDS.has(first))) return args;
  // Not a command, so a REPO path; but a missing path one typo away from a command was a command.
  const meant = first !== undefined && !fs.existsSync(first) ? closestCommand(first, SUBCOMMANDS) : undefined;
  if (meant) throw new UnknownCommandError(first!, meant);
  return ['app', ...args];
}

/** With no terminal to answer prompts (CI, stdin closed), generators take detected values. */
export function withGeneratorDefaults(args: string[], isTTY: boolean): string[] {
  if (isTTY || PLAIN_COMMANDS.includes(args[0]) || args.includes('--help') || args.includes('-h')) return args;
  return args.includes('--yes') || args.includes('-y') ? args : [...args, '--yes'];
}

/**
 * The exit code of a commander error: 0 for help and version, 2 for a command line it rejects (a
 * missing argument, an unknown flag), the usage code every command documents; commander's own 1
 * would read as "errors found" from `config validate` and as drift from `check`. Null otherwise.
 */
export function commanderExitCode(error: unknown): number | null {
  const { code, exitCode } = (error ?? {}) as { code?: unknown; exitCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('commander.')) return null;
  return exitCode === 0 ? 0 : 2;
}

function errorJson(error: unknown): { message: string; nextStep: string | null; exitCode: number } {
  if (error instanceof IdaError) return { message: error.message, nextStep: error.nextStep, exitCode: error.exitCode };
  return {
    message: (error as Error).message ?? String(error),
    nextStep: null,
    exitCode: commanderExitCode(error) ?? 1,
  };
}

/** Runs the CLI; returns the exit code. Errors the user can act on print one line. */
export async function main(args: string[]): Promise<number> {
  try {
    const argv = withGeneratorDefaults(withDefaultCommand(args), process.stdin.isTTY === true);
    if (GENERATORS.some((generator) => generator.name === argv[0]) && canRunFast(argv.slice(1))) {
      const { runFast } = await import('./fast.js');
      const code = runFast(argv[0] as GeneratorName, argv.slice(1), (line) => process.stderr.write(`${line}\n`));
      if (code !== null) return code;
    }
    const program = await buildProgram(argv[0]);
    program.exitOverride();
    process.exitCode = 0;
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    // --json callers parse stdout: a failure is a JSON object too (the line still goes to stderr).
    if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ error: errorJson(error) }, null, 2)}\n`);
    if (error instanceof IdaError) {
      process.stderr.write(`openedx-ida: ${error.oneLine}\n`);
      return error.exitCode;
    }
    const message = (error as Error).message ?? String(error);
    const closed = closedPrompt(message);
    if (closed) {
      process.stderr.write(`openedx-ida: ${closed.message}\n`);
      return closed.exitCode;
    }
    const usage = commanderExitCode(error);
    if (usage !== null) return usage;
    process.stderr.write(`openedx-ida: ${message}\n`);
    return 1;
  }
}

/**
 * What to say when a prompt ended without an answer: Ctrl-C (SIGINT) is the user stopping
 * the run; any other close means no terminal was attached to answer Yeoman's conflict question.
 */
export function closedPrompt(message: string): { message: string; exitCode: number } | null {
  if (!/force closed the prompt/.test(message)) return null;
  if (/SIGINT/.test(message))
    return { message: 'interrupted (Ctrl-C); files already written stay, the rest were not written', exitCode: 130 };
  return {
    message:
      'an existing file differs from what would be written and no terminal is attached to ask; rerun with --force to overwrite it, or in a terminal to choose',
    exitCode: 1,
  };
}
