import fs from 'fs-extra';
import { dirname, relative, resolve, sep } from 'node:path';
import { IdaError } from '../errors.js';

/** A generated file would be written through a symlink or outside the repo. */
export class UnsafeWriteError extends IdaError {
  constructor(file: string, why: string) {
    super(`refusing to write ${file}: ${why}`, 'replace it with a regular file inside the repo (or remove it), then run again');
  }
}

/**
 * Checks that writing `file` (relative) under `root` stays inside the repo: the file is not
 * a symlink, and no existing parent directory resolves outside the repo.
 */
export function assertSafeWrite(root: string, file: string): void {
  const realRoot = fs.realpathSync(root);
  const target = resolve(root, file);
  if (relative(resolve(root), target).startsWith('..')) throw new UnsafeWriteError(file, 'it is outside the repo');
  if (fs.lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) throw new UnsafeWriteError(file, 'it is a symlink');
  let parent = dirname(target);
  while (!fs.existsSync(parent)) parent = dirname(parent);
  const realParent = fs.realpathSync(parent);
  if (realParent !== realRoot && !realParent.startsWith(realRoot + sep)) throw new UnsafeWriteError(file, 'a parent directory links outside the repo');
}
