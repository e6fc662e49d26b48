import { Command, CommanderError } from 'commander';
import { relative, resolve } from 'node:path';
import { styleText } from 'node:util';
import { type FileStatus, planRun } from '../core/apply.js';
import { generate, generatorTargets, hasAppDecisions } from '../core/generate.js';
import { type GeneratorName, yeomanOptions } from '../model/options.js';
import { describeImage, describePlans, runError } from '../core/report.js';
import { writeFilesAtomic } from '../core/safe-write.js';
import { readStoredDecisions } from '../core/state.js';
import { firstRunSummary } from '../core/summary.js';
import { DiskReader } from '../reader/disk-reader.js';

/** Yeoman's conflicter options the fast path honours; the others send the run through Yeoman. */
const HONOURED = ['--force', '--dry-run', '--skip-cache', '--skip-install'];

const COLORS: Record<FileStatus['status'], 'green' | 'yellow' | 'cyan' | 'red'> = {
  create: 'green',
  force: 'yellow',
  update: 'cyan',
  identical: 'cyan',
  conflict: 'red',
};

/** The fast path's parser: the generator's own flags plus the conflicter flags it honours. */
function parser(name: GeneratorName): Command {
  const command = new Command(name)
    .argument('[repo]', 'the repo', '.')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  for (const [flag, spec] of yeomanOptions(name)) {
    const short = spec.alias ? `-${spec.alias}, ` : '';
    command.option(`${short}--${flag}${spec.type === String ? ' <value>' : ''}`, spec.description);
    if (spec.type === Boolean) command.option(`--no-${flag}`);
  }
  for (const flag of HONOURED) command.option(flag);
  return command;
}

/**
 * `openedx-ida [app|newrelic|private] ... --yes` (and any run without a terminal) without
 * loading Yeoman: the same core, the same files, the same create/identical/force/conflict
 * lines and exit codes. A hand-written file is a conflict (exit 1, nothing adopted) unless
 * --force; --dry-run writes nothing. Returns null when the arguments need Yeoman (an option
 * only Yeoman has, a .yo-resolve file in the repo, or arguments it does not parse, so that
 * Yeoman reports them as it always has).
 */
export function runFast(name: GeneratorName, args: string[], log: (line: string) => void): number | null {
  const command = parser(name);
  try {
    command.parse(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return null;
    throw error;
  }
  const options = command.opts<Record<string, unknown>>();
  const repo = command.processedArgs[0] as string;
  const reader = new DiskReader(repo);
  if (reader.isFile('.yo-resolve')) return null;
  const stored = readStoredDecisions(reader);
  const generation = generate(reader, stored, { targets: generatorTargets(name, options), flags: options });
  const force = options.force === true;
  const dryRun = options.dryRun === true;
  for (const warning of [...generation.warnings, ...generation.notes]) log(`warning: ${warning}`);
  if (generation.image) log(describeImage(generation));
  const run = planRun(reader, generation, { force });
  if (!dryRun) writeFilesAtomic(repo, run.writes);
  const color = process.stderr.isTTY === true;
  for (const { status, file } of run.statuses) {
    const label = status.padStart(9);
    log(`${color ? styleText(COLORS[status], label) : label} ${relative(process.cwd(), resolve(repo, file))}`);
  }
  for (const line of describePlans(run.plans, { force })) log(line);
  if (run.refused.length > 0) log(`nothing was written: ${run.refused.join(', ')} must be resolved first`);
  const error = runError(run.plans, { force });
  if (error) throw error;
  if (!hasAppDecisions(stored) && !dryRun) for (const line of firstRunSummary(generation)) log(line);
  return 0;
}
