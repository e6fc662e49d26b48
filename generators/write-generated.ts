import type Generator from 'yeoman-generator';
import { type WritePlan, planWrite } from '../src/regen/plan.js';
import { pristinePath } from '../src/regen/pristine.js';
import { assertSafeWrite } from '../src/regen/safe-path.js';

/** What happened to the generated files of one run, for the summary and the exit code. */
export interface WriteReport {
  merged: string[];
  kept: string[];
  conflicts: string[];
}

/** Plans that resolve the difference with the disk themselves: Yeoman's conflicter must not ask. */
const DECIDED = new Set<WritePlan['action']>(['update', 'keep', 'merge', 'conflict']);

/**
 * Writes generated files through `this.fs`, merging with the user's edits: each file is
 * compared with the copy this tool wrote last time (under .openedx-ida/pristine), so an
 * untouched file is regenerated, an edited one keeps the edits, and a clash gets conflict
 * markers. With --force, or for a file with no pristine copy, Yeoman's conflicter decides.
 */
export function writeGenerated(generator: Generator, files: Map<string, string>): WriteReport {
  const report: WriteReport = { merged: [], kept: [], conflicts: [] };
  const force = (generator.options as { force?: boolean }).force === true;
  const forceWrite = (path: string, content: string) => {
    const before = generator.fs.read(path, { defaults: null });
    generator.fs.write(path, content);
    // New and unchanged files go through the conflicter, which reports them as create or identical.
    if (before !== null && before !== content) (generator.fs.store.get(path) as { conflicter?: string }).conflicter = 'force';
  };
  // Checked before anything is queued: the run fails with nothing written.
  for (const file of files.keys()) {
    assertSafeWrite(generator.destinationRoot(), file);
    assertSafeWrite(generator.destinationRoot(), pristinePath(file));
  }
  for (const [file, next] of files) {
    const target = generator.destinationPath(file);
    const pristine = generator.destinationPath(pristinePath(file));
    const plan = planWrite(next, generator.fs.read(target, { defaults: null }) ?? undefined, generator.fs.read(pristine, { defaults: null }) ?? undefined);
    if (force || !DECIDED.has(plan.action)) generator.fs.write(target, force ? next : plan.content);
    else forceWrite(target, plan.content);
    forceWrite(pristine, next);
    if (plan.action === 'merge') report.merged.push(file);
    if (plan.action === 'keep') report.kept.push(file);
    if (plan.action === 'conflict' && !force) report.conflicts.push(file);
  }
  return report;
}

/** One line per file that was not simply written, for the log. */
export function describeReport(report: WriteReport): string[] {
  return [
    ...report.merged.map((file) => `merged ${file}: your edits are kept and the generator's changes are in`),
    ...report.kept.map((file) => `kept ${file}: your edits stay; the generator has nothing new for it`),
    ...report.conflicts.map((file) => `conflict ${file}: your edits and the generator's changes touch the same lines; resolve the <<<<<<< markers`),
  ];
}
