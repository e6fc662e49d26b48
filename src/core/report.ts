import { ConflictsError, HandWrittenFilesError, type IdaError } from '../errors.js';
import type { Generation } from './generate.js';
import type { FilePlan } from './plan.js';

/** One line per file that was not simply written, for the log. */
export function describePlans(plans: FilePlan[], options: { force?: boolean }): string[] {
  if (options.force) return [];
  const lines: string[] = [];
  for (const plan of plans) {
    if (plan.action === 'merge')
      lines.push(`merged ${plan.file}: your edits are kept and the generator's changes are in`);
    if (plan.action === 'keep') lines.push(`kept ${plan.file}: your edits stay; the generator has nothing new for it`);
    if (plan.action === 'conflict')
      lines.push(
        `conflict ${plan.file}: your edits and the generator's changes touch the same lines; resolve the <<<<<<< markers`,
      );
    if (plan.action === 'unresolved')
      lines.push(
        `conflict ${plan.file}: it still has unresolved <<<<<<< markers from an earlier run; resolve them (nothing was written to it)`,
      );
  }
  return lines;
}

/**
 * The error a run ends with (exit 1), or null: files with conflict markers (new or left
 * from an earlier run) first, else hand-written files that were not overwritten.
 */
export function runError(plans: FilePlan[], options: { force?: boolean; refused?: string[] }): IdaError | null {
  if (options.force) return null;
  const conflicts = plans
    .filter((plan) => plan.action === 'conflict' || plan.action === 'unresolved')
    .map((plan) => plan.file);
  if (conflicts.length > 0) return new ConflictsError(conflicts);
  const refused = options.refused ?? plans.filter((plan) => plan.action === 'ask').map((plan) => plan.file);
  return refused.length > 0 ? new HandWrittenFilesError(refused) : null;
}

/** The line a derivative run starts with: which image it builds FROM, and where its facts came from. */
export function describeImage(generation: Generation): string {
  const variants = generation.targets.filter((target) => target !== 'app').join(', ');
  const from = generation.mode === 'service-repo' ? 'facts from this service repo' : 'operator repo: facts from flags';
  return `${variants}: FROM ${generation.image?.baseImage} (${from})`;
}
