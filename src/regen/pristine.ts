import { posix } from 'node:path';

/**
 * Where the tool keeps what it wrote last time, inside the repo (commit it): a copy of
 * each generated file, so a rerun can tell the user's edits from template changes, and
 * the facts it was generated from, so `check` can say what in the repo changed.
 */
export const STATE_DIR = '.openedx-ida';

export function pristinePath(file: string): string {
  return posix.join(STATE_DIR, 'pristine', file);
}

export const FACTS_SNAPSHOT = posix.join(STATE_DIR, 'facts.json');
