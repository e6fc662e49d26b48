import { parentPort } from 'node:worker_threads';
import { checkPath } from '../regen/check.js';
import { outcomeOf } from '../core/plan.js';
import { type RepoResult, emptyResult, regenerateRepo } from '../regen/regenerate.js';

/** A batch job for one repo. */
export interface BatchJob {
  repo: string;
  mode: 'generate' | 'check';
  force: boolean;
}

/** Runs one job; never throws: a broken repo becomes a result with an error. */
export function runJob(job: BatchJob): RepoResult {
  if (job.mode === 'generate') return regenerateRepo(job.repo, { force: job.force });
  const check = checkPath(job.repo);
  const result = {
    ...emptyResult(job.repo),
    error: check.error,
    repoChanges: check.repoChanges,
    orphans: check.orphans,
    notes: check.notes,
  };
  for (const file of check.files) result[outcomeOf(file.action)].push(file.file);
  return result;
}

parentPort?.on('message', (job: BatchJob) => {
  let result: RepoResult;
  try {
    result = runJob(job);
  } catch (error) {
    result = { ...emptyResult(job.repo), error: `unexpected error: ${(error as Error).message}` };
  }
  parentPort!.postMessage(result);
});
