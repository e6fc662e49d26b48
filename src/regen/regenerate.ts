import { planRun } from '../core/apply.js';
import { repoChangesSince } from '../core/facts-snapshot.js';
import { generate } from '../core/generate.js';
import { outcomeOf } from '../core/plan.js';
import { writeFilesAtomic } from '../core/safe-write.js';
import { readStoredDecisions } from '../core/state.js';
import { IdaError } from '../errors.js';
import { DiskReader } from '../reader/disk-reader.js';
import { orphanLine, orphanedFiles } from './orphans.js';

/** What regenerating one repo did (or, for a check, would do). */
export interface RepoResult {
  repo: string;
  created: string[];
  changed: string[];
  identical: string[];
  conflicts: string[];
  error: string | null;
  repoChanges: string[];
  /** Files the tool wrote once that no output writes any more, one line each (reported, never deleted). */
  orphans: string[];
  /** Upgrade notes (see Generation.notes). */
  notes: string[];
}

export function emptyResult(repo: string): RepoResult {
  return {
    repo,
    created: [],
    changed: [],
    identical: [],
    conflicts: [],
    error: null,
    repoChanges: [],
    orphans: [],
    notes: [],
  };
}

/**
 * Regenerates a repo as `openedx-ida --yes` would, through the same core and without
 * prompts, for batch runs: each file merged with the user's edits (see planWrite). A
 * hand-written file (no pristine copy) or one with unresolved conflict markers is left alone
 * and reported as a conflict unless `force`. Writes only inside the repo, atomically.
 */
export function regenerateRepo(root: string, options: { force?: boolean } = {}): RepoResult {
  const result = emptyResult(root);
  try {
    const reader = new DiskReader(root);
    const generation = generate(reader, readStoredDecisions(reader), { targets: 'stored' });
    if (generation.facts) result.repoChanges = repoChangesSince(reader, generation.facts);
    result.notes = generation.notes;
    result.orphans = orphanedFiles(reader, generation.files).map((file) => orphanLine(reader, file));
    const { plans, writes } = planRun(reader, generation, options);
    for (const plan of plans) {
      // --force overwrites a hand-written file: it counts as changed, not as a conflict.
      const forced = options.force && (plan.action === 'ask' || plan.action === 'unresolved');
      result[forced ? 'changed' : outcomeOf(plan.action)].push(plan.file);
    }
    // Everything is computed and checked before anything is written: a refusal leaves the repo as it was.
    writeFilesAtomic(root, writes);
  } catch (error) {
    result.error = error instanceof IdaError ? error.oneLine : `unexpected error: ${(error as Error).message}`;
  }
  return result;
}
