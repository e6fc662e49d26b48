import fs from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { IdaError } from '../errors.js';

/** A generated file would be written through a symlink or outside the repo. */
export class UnsafeWriteError extends IdaError {
  constructor(file: string, why: string) {
    super(
      `refusing to write ${file}: ${why}`,
      'replace it with a regular file inside the repo (or remove it), then run again',
    );
  }
}

/** Writing a file failed (a full disk, permissions): the file on disk is left as it was. */
export class WriteFailedError extends IdaError {
  constructor(file: string, code: string) {
    super(
      `cannot write ${file} (${code}); the file on disk was left as it was`,
      'fix the cause (free space, permissions), then run again',
    );
  }
}

/**
 * Checks that writing `file` (relative) under `root` stays inside the repo: the file is not
 * a symlink (dangling or not), and no existing parent directory resolves outside the repo.
 */
export function assertSafeWrite(root: string, file: string): void {
  const realRoot = fs.realpathSync(root);
  const target = resolve(root, file);
  const rel = relative(resolve(root), target);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep))
    throw new UnsafeWriteError(file, 'it is outside the repo');
  const stat = fs.lstatSync(target, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) throw new UnsafeWriteError(file, 'it is a symlink');
  if (stat && !stat.isFile()) throw new UnsafeWriteError(file, 'it is not a regular file');
  let parent = dirname(target);
  while (!fs.existsSync(parent)) {
    // A dangling link among the parents: creating the directory would follow it.
    if (fs.lstatSync(parent, { throwIfNoEntry: false })?.isSymbolicLink())
      throw new UnsafeWriteError(file, 'a parent directory is a dangling symlink');
    parent = dirname(parent);
  }
  const realParent = fs.realpathSync(parent);
  if (realParent !== realRoot && !realParent.startsWith(realRoot + sep))
    throw new UnsafeWriteError(file, 'a parent directory links outside the repo');
}

let counter = 0;

/**
 * Writes `content` to `file` (relative to `root`) so that the file is always either the old
 * or the new content: the text goes to a temporary file beside it (created exclusively, so
 * never through a link), is flushed to disk, then renamed over the file. A failure (ENOSPC
 * half-way) removes the temporary file and leaves the old one intact. The existing file's
 * mode is kept; a new file gets `newFileMode` (0600 for a file with secrets). Call assertSafeWrite
 * on every file of a run first, so a refusal writes nothing.
 */
export function writeFileAtomic(root: string, file: string, content: string | Uint8Array, newFileMode = 0o666): void {
  assertSafeWrite(root, file);
  const target = resolve(root, file);
  const mode = fs.statSync(target, { throwIfNoEntry: false })?.mode;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${counter++}.tmp`);
  let fd: number | undefined;
  try {
    fs.mkdirSync(dirname(target), { recursive: true });
    fd = fs.openSync(temp, 'wx', mode === undefined ? newFileMode : mode & 0o7777);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let offset = 0; offset < bytes.length;) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw new WriteFailedError(file, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  syncDirectory(dirname(target));
}

/** Makes the rename durable; some file systems refuse to open a directory for fsync, which is harmless. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Writes a run's files: every path is checked before the first write, so a file that
 * cannot be written safely means nothing is written; each write is atomic.
 */
export function writeFilesAtomic(root: string, files: Map<string, string>): void {
  for (const file of files.keys()) assertSafeWrite(root, file);
  for (const [file, content] of files) writeFileAtomic(root, file, content);
}
