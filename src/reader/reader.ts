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
  /** Files read so far that were not UTF-8 (read as Latin-1 instead), for a warning each. */
  readonly notUtf8?: ReadonlySet<string>;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LATIN1 = new TextDecoder('latin1');

/**
 * A text file's bytes as a string: UTF-8 without its byte order mark (a BOM is no part of
 * the Python, INI or TOML it starts), or Latin-1 when the bytes are not UTF-8 (`utf8` false),
 * so a name like "Montréal" is kept rather than turned into U+FFFD.
 */
export function decodeText(bytes: Uint8Array): { text: string; utf8: boolean } {
  let text: string;
  let utf8 = true;
  try {
    text = UTF8.decode(bytes);
  } catch {
    text = LATIN1.decode(bytes);
    utf8 = false;
  }
  return { text: text.startsWith('\uFEFF') ? text.slice(1) : text, utf8 };
}

/** Files larger than this are not read: no IDA source or config file comes close. */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;

/** Whether a buffer looks like text (no NUL byte in its first 8 KiB). */
export function looksLikeText(bytes: Uint8Array): boolean {
  return !bytes.subarray(0, 8192).includes(0);
}
