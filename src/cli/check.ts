import { DiskReader } from '../reader/disk-reader.js';
import { type RepoCheck, checkExitCode, checkRepo, formatCheck } from '../regen/check.js';
import { IdaError } from '../errors.js';

/** Checks one repo; a repo that cannot be read is an error entry, not a crash. */
export function checkPath(repo: string): RepoCheck {
  try {
    return checkRepo(new DiskReader(repo));
  } catch (error) {
    const message = error instanceof IdaError ? error.oneLine : (error as Error).message;
    return { repo, status: 'error', files: [], repoChanges: [], generatorNote: null, error: message };
  }
}

/** `openedx-ida check [REPO...] [--json]`: returns the exit code (0 identical, 1 drift, 2 error). */
export function runCheck(repos: string[], options: { json?: boolean }, write: (text: string) => void): number {
  const checks = (repos.length > 0 ? repos : ['.']).map(checkPath);
  write(options.json ? JSON.stringify({ repos: checks, exitCode: checkExitCode(checks) }, null, 2) : checks.map(formatCheck).join('\n'));
  return checkExitCode(checks);
}
