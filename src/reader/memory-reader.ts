import { posix } from 'node:path';
import type { DirEntry, PathKind, RepoReader } from './reader.js';

/** A repo held in memory, keyed by relative POSIX path. For tests. */
export class MemoryReader implements RepoReader {
  readonly label: string;
  readonly #files: Map<string, string>;

  constructor(files: Record<string, string>, label = '<memory>') {
    this.label = label;
    this.#files = new Map(Object.entries(files).map(([path, text]) => [posix.normalize(path), text]));
  }

  readText(path: string): string | undefined {
    const text = this.#files.get(posix.normalize(path));
    // As DiskReader: a byte order mark is no part of the file's text.
    return text?.startsWith('\uFEFF') ? text.slice(1) : text;
  }

  list(dir: string): DirEntry[] {
    const prefix = dir === '' || dir === '.' ? '' : `${posix.normalize(dir)}/`;
    const entries = new Map<string, DirEntry>();
    for (const path of this.#files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const [name, ...rest] = path.slice(prefix.length).split('/');
      entries.set(name, { name, kind: rest.length > 0 ? 'dir' : 'file' });
    }
    return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  isFile(path: string): boolean {
    return this.#files.has(posix.normalize(path));
  }

  isDir(path: string): boolean {
    return this.list(path).length > 0;
  }

  kindOf(path: string): PathKind {
    return this.isFile(path) ? 'file' : this.isDir(path) ? 'dir' : 'missing';
  }
}
