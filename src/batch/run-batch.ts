import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RepoResult } from '../regen/regenerate.js';
import { type BatchJob, runJob } from './worker.js';

export interface BatchOptions {
  mode: 'generate' | 'check';
  force: boolean;
  concurrency: number;
  /** Called as each repo finishes (for progress). */
  onResult?: (result: RepoResult, done: number, total: number) => void;
}

export const DEFAULT_CONCURRENCY = Math.max(1, Math.min(4, cpus().length));

/**
 * Runs every repo through a pool of worker threads, at most `concurrency` at a time, in
 * order of completion; results come back in the order of `repos`. A worker that dies
 * takes only its repo down. With concurrency 1 the work runs in this thread.
 */
export async function runBatch(repos: string[], options: BatchOptions): Promise<RepoResult[]> {
  const results = new Array<RepoResult>(repos.length);
  let done = 0;
  const finish = (index: number, result: RepoResult) => {
    results[index] = result;
    done++;
    options.onResult?.(result, done, repos.length);
  };
  const jobs = repos.map((repo): BatchJob => ({ repo, mode: options.mode, force: options.force }));
  if (options.concurrency <= 1) {
    jobs.forEach((job, index) => finish(index, runJob(job)));
    return results;
  }
  let next = 0;
  const workerUrl = new URL('./worker.js', import.meta.url);
  const lane = () =>
    new Promise<void>((resolveLane) => {
      let worker = new Worker(workerUrl);
      let current = -1;
      const take = () => {
        if (next >= jobs.length) {
          void worker.terminate();
          resolveLane();
          return;
        }
        current = next++;
        worker.postMessage(jobs[current]);
      };
      const listen = (w: Worker) => {
        w.on('message', (result: RepoResult) => {
          finish(current, result);
          take();
        });
        w.on('error', (error) => {
          finish(current, {
            repo: jobs[current].repo,
            created: [],
            changed: [],
            identical: [],
            conflicts: [],
            repoChanges: [],
            orphans: [],
            notes: [],
            error: `worker crashed: ${error.message}`,
          });
          worker = new Worker(workerUrl);
          listen(worker);
          take();
        });
      };
      listen(worker);
      take();
    });
  await Promise.all(Array.from({ length: Math.min(options.concurrency, jobs.length) }, lane));
  return results;
}

/** 2 if any repo errored, 1 if any conflicts or (for a check) changed, was created or left orphans, else 0. */
export function batchExitCode(results: RepoResult[], mode: BatchOptions['mode']): number {
  if (results.some((result) => result.error)) return 2;
  if (results.some((result) => result.conflicts.length > 0)) return 1;
  const drift = (result: RepoResult) =>
    result.changed.length > 0 || result.created.length > 0 || result.orphans.length > 0;
  if (mode === 'check' && results.some(drift)) return 1;
  return 0;
}

/** The summary table: repo, created, changed, identical, conflicts, error, detected changes. */
export function formatSummary(results: RepoResult[]): string {
  const header = ['repo', 'created', 'changed', 'identical', 'conflicts', 'error / detected changes'];
  const rows = results.map((result) => [
    result.repo,
    String(result.created.length),
    String(result.changed.length),
    String(result.identical.length),
    result.conflicts.length > 0 ? result.conflicts.join(',') : '0',
    result.error ?? (result.repoChanges.join('; ') || '-'),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.slice(0).map((row) => (column === 5 ? 0 : row[column].length))),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  // Orphaned files and upgrade notes do not fit a column: one line each under the table.
  const below = results.flatMap((result) =>
    [...result.orphans, ...result.notes.map((note) => `warning: ${note}`)].map((text) => `${result.repo}: ${text}`),
  );
  return [line(header), ...rows.map(line), ...below].join('\n');
}
