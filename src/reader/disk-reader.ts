import fs from 'fs-extra';
import { join, relative, resolve, sep } from 'node:path';
import { RepoNotFoundError, UnreadableFileError } from '../errors.js';
import { type DirEntry, type PathKind, type RepoReader, MAX_TEXT_BYTES, decodeText, looksLikeText } from './reader.js';

/**
 * Reads a repo checkout on disk. It never follows a symlink out of the repo: such a
 * link reads as missing, so analysis cannot be led to read (or hang on) outside files.
 */
export class DiskReader implements RepoReader {
  readonly label: string;
  readonly #root: string;
  readonly #notUtf8 = new Set<string>();

  get notUtf8(): ReadonlySet<string> {
    return this.#notUtf8;
  }

  constructor(root: string) {
    const absolute = resolve(root);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new RepoNotFoundError(root);
    }
    if (!stat.isDirectory()) throw new RepoNotFoundError(root);
    this.#root = fs.realpathSync(absolute);
    this.label = root;
  }

  /** The absolute path of `path` when it stays inside the repo, else undefined. */
  #inside(path: string): string | undefined {
    const absolute = join(this.#root, path);
    let real: string;
    try {
      real = fs.realpathSync(absolute);
    } catch {
      return undefined;
    }
    const rel = relative(this.#root, real);
    if (rel.startsWith('..') || rel.startsWith(sep)) return undefined;
    return real;
  }

  readText(path: string): string | undefined {
    const real = this.#inside(path);
    if (real === undefined) return undefined;
    let bytes: Buffer;
    try {
      const stat = fs.statSync(real);
      if (!stat.isFile() || stat.size > MAX_TEXT_BYTES) return undefined;
      bytes = fs.readFileSync(real);
    } catch (error) {
      throw new UnreadableFileError(path, (error as NodeJS.ErrnoException).code ?? String(error));
    }
    if (!looksLikeText(bytes)) return undefined;
    const { text, utf8 } = decodeText(bytes);
    if (!utf8) this.#notUtf8.add(path);
    return text;
  }

  list(dir: string): DirEntry[] {
    const real = this.#inside(dir === '' ? '.' : dir);
    if (real === undefined) return [];
    let names: string[];
    try {
      names = fs.readdirSync(real);
    } catch {
      return [];
    }
    const entries: DirEntry[] = [];
    for (const name of names.sort()) {
      const child = dir === '' || dir === '.' ? name : `${dir}/${name}`;
      if (this.isFile(child)) entries.push({ name, kind: 'file' });
      else if (this.isDir(child)) entries.push({ name, kind: 'dir' });
    }
    return entries;
  }

  isFile(path: string): boolean {
    const real = this.#inside(path);
    return real !== undefined && fs.statSync(real, { throwIfNoEntry: false })?.isFile() === true;
  }

  isDir(path: string): boolean {
    const real = this.#inside(path);
    return real !== undefined && fs.statSync(real, { throwIfNoEntry: false })?.isDirectory() === true;
  }

  kindOf(path: string): PathKind {
    try {
      // lstat first: a link that resolves nowhere is there, only not readable.
      if (!fs.lstatSync(join(this.#root, path), { throwIfNoEntry: false })) return 'missing';
    } catch {
      return 'missing';
    }
    const real = this.#inside(path);
    const stat = real === undefined ? undefined : fs.statSync(real, { throwIfNoEntry: false });
    if (!stat) return 'broken';
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'special';
  }
}
