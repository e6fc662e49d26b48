import { posix } from 'node:path';
import { STATE_DIR } from '../core/state.js';
import type { RepoReader } from '../reader/reader.js';

const PRISTINE_DIR = posix.join(STATE_DIR, 'pristine');

/** Every file with a pristine copy (the tool wrote it once), repo-relative, sorted. */
function pristineFiles(reader: RepoReader, dir = ''): string[] {
  const found: string[] = [];
  for (const entry of reader.list(posix.join(PRISTINE_DIR, dir))) {
    const path = dir === '' ? entry.name : posix.join(dir, entry.name);
    if (entry.kind === 'dir') found.push(...pristineFiles(reader, path));
    else found.push(path);
  }
  return found.sort();
}

/**
 * Files the tool wrote once (they have a pristine copy) that a regeneration of every stored
 * output no longer writes: a renamed output (`--tutor-plugin`, `--ci-file`, ...) leaves its
 * old files behind, and a stale plugin package or workflow still runs. Reported, never
 * deleted: the old files are the user's to remove (the file, when still there, and its copy).
 */
export function orphanedFiles(reader: RepoReader, generated: ReadonlyMap<string, string>): string[] {
  return pristineFiles(reader).filter((file) => !generated.has(file));
}

/** One line for an orphan: where it is and the copy to remove with it. */
export function orphanLine(reader: RepoReader, file: string): string {
  const copy = posix.join(PRISTINE_DIR, file);
  return reader.isFile(file)
    ? `${file}: no longer generated (an output was renamed?); remove it and ${copy} if nothing uses it`
    : `${copy}: the pristine copy of ${file}, which is no longer generated nor on disk; remove it`;
}
