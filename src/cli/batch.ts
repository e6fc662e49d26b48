import { collectRepos } from '../batch/repos.js';
import { DEFAULT_CONCURRENCY, batchExitCode, formatSummary, runBatch } from '../batch/run-batch.js';
import { InvalidOptionError } from '../errors.js';
import type { RepoResult } from '../regen/regenerate.js';

export interface BatchCliOptions {
  list?: string;
  check?: boolean;
  force?: boolean;
  json?: boolean;
  concurrency?: string;
}

function statusOf(result: RepoResult): string {
  if (result.error) return `error: ${result.error}`;
  if (result.conflicts.length > 0) return `conflicts: ${result.conflicts.join(', ')}`;
  const parts = [
    `${result.created.length} created`,
    `${result.changed.length} changed`,
    `${result.identical.length} identical`,
  ];
  return parts.join(', ');
}

/** A one-line progress bar for terminals, plain lines otherwise. */
function progress(stream: NodeJS.WriteStream) {
  return (result: RepoResult, done: number, total: number) => {
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      stream.write(
        `\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${result.repo.slice(-40).padEnd(40)}`,
      );
      if (done === total) stream.write('\n');
    } else {
      stream.write(`[${done}/${total}] ${result.repo}: ${statusOf(result)}\n`);
    }
  };
}

/** `openedx-ida batch [DIRS...] [--list FILE] [--check] [--force] [--json] [--concurrency N]`. */
export async function runBatchCommand(
  dirs: string[],
  options: BatchCliOptions,
  write: (text: string) => void,
): Promise<number> {
  const concurrency = options.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new InvalidOptionError(
      `--concurrency ${JSON.stringify(options.concurrency)} is not a positive whole number`,
      'pass --concurrency <number>',
    );
  const repos = collectRepos(dirs, options.list);
  const mode = options.check ? 'check' : 'generate';
  const results = await runBatch(repos, {
    mode,
    force: options.force === true,
    concurrency,
    onResult: options.json ? undefined : progress(process.stderr),
  });
  const exitCode = batchExitCode(results, mode);
  write(options.json ? JSON.stringify({ mode, exitCode, repos: results }, null, 2) : formatSummary(results));
  return exitCode;
}
