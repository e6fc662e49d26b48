import { Command } from 'commander';
import { prepareCommand } from 'yeoman-environment';
import { IdaError } from '../errors.js';
import { GENERATOR_VERSION } from '../version.js';
import { runDetect } from './detect.js';

const SUBCOMMANDS = new Set(['app', 'detect', 'help']);

/** Builds the `openedx-ida` command: generators through Yeoman's command support, plus `detect`. */
export async function buildProgram(): Promise<Command> {
  const program = new Command('openedx-ida')
    .description('Containerize an Open edX IDA: production Dockerfile, .dockerignore and example YAML config')
    .version(GENERATOR_VERSION)
    .showHelpAfterError();

  program
    .command('detect')
    .description('Print what the tool detects in an IDA repo, with the source of each fact')
    .argument('[repo]', 'the IDA repository', '.')
    .option('--json', 'print one JSON object: { key: { value, source, rule } }')
    .action((repo: string, options: { json?: boolean }) => runDetect(repo, options, (text) => process.stdout.write(`${text}\n`)));

  // Yeoman's command support brings the conflicter flags: --force, --bail, --dry-run, --skip-cache.
  const app = await prepareCommand({
    resolved: new URL('../../generators/app/index.js', import.meta.url).pathname,
    namespace: 'openedx-ida:app',
  });
  program.addCommand(app.name('app').description('Write the Dockerfile, .dockerignore and example YAML (the default command)') as unknown as Command);
  return program;
}

/** argv without node and script; `app` is inserted when no subcommand is named. */
export function withDefaultCommand(args: string[]): string[] {
  const first = args.find((arg) => !arg.startsWith('-'));
  const wantsTopLevel = args.length === 1 && ['-h', '--help', '-V', '--version'].includes(args[0]);
  if (wantsTopLevel || (first !== undefined && SUBCOMMANDS.has(first))) return args;
  return ['app', ...args];
}

/** With no terminal to answer prompts (CI, stdin closed), generators take detected values. */
export function withYesWhenNoTerminal(args: string[], isTTY: boolean): string[] {
  if (isTTY || args[0] === 'detect' || args.includes('--yes') || args.includes('-y')) return args;
  return [...args, '--yes'];
}

/** Runs the CLI; returns the exit code. Errors the user can act on print one line. */
export async function main(args: string[]): Promise<number> {
  try {
    const program = await buildProgram();
    program.exitOverride();
    await program.parseAsync(withYesWhenNoTerminal(withDefaultCommand(args), process.stdin.isTTY === true), { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof IdaError) {
      process.stderr.write(`openedx-ida: ${error.oneLine}\n`);
      return error.exitCode;
    }
    const message = (error as Error).message ?? String(error);
    if (/force closed the prompt/.test(message)) {
      process.stderr.write('openedx-ida: an existing file differs from what would be written and no terminal is attached to ask; rerun with --force to overwrite it, or in a terminal to choose\n');
      return 1;
    }
    const code = (error as { code?: string; exitCode?: number }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) return (error as { exitCode: number }).exitCode;
    process.stderr.write(`openedx-ida: ${message}\n`);
    return 1;
  }
}
