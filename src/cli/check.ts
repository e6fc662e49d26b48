import { checkExitCode, checkPath, formatCheck } from '../regen/check.js';

/** `openedx-ida check [REPO...] [--json]`: returns the exit code (0 identical, 1 drift, 2 error). */
export function runCheck(repos: string[], options: { json?: boolean }, write: (text: string) => void): number {
  const checks = (repos.length > 0 ? repos : ['.']).map(checkPath);
  write(
    options.json
      ? JSON.stringify({ repos: checks, exitCode: checkExitCode(checks) }, null, 2)
      : checks.map(formatCheck).join('\n'),
  );
  return checkExitCode(checks);
}
