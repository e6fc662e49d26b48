/** One entry of a directory listing. */
export interface DirEntry {
  name: string;
  kind: 'file' | 'dir';
}

/**
 * What a path is: a regular file, a directory, something else that cannot be read as a
 * file (`special`: a FIFO, socket or device), a link that leads nowhere readable
 * (`broken`: dangling, a loop, or out of the repo), or nothing.
 */
export type PathKind = 'file' | 'dir' | 'special' | 'broken' | 'missing';

/**
 * Read-only access to a target repo. Paths are POSIX, relative to the repo root.
 *
 * Analysis reads the repo only through this interface, so detectors can be tested
 * against an in-memory repo and never touch the disk.
 */
export interface RepoReader {
  /** The repo as shown to the user (a path on disk, or a label for in-memory repos). */
  readonly label: string;
  /** The file's text, or `undefined` when there is no such file (or it is not text). */
  readText(path: string): string | undefined;
  /** The entries of a directory, sorted by name; empty when there is no such directory. */
  list(dir: string): DirEntry[];
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  /** What is at `path`, without opening it (a FIFO never blocks). */
  kindOf(path: string): PathKind;
}

/** Files larger than this are not read: no IDA source or config file comes close. */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;

/** Whether a buffer looks like text (no NUL byte in its first 8 KiB). */
export function looksLikeText(bytes: Uint8Array): boolean {
  return !bytes.subarray(0, 8192).includes(0);
}
