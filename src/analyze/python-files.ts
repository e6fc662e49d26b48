import { posix } from 'node:path';
import type { RepoReader } from '../reader/reader.js';
import type { AnalysisWarning } from './fact.js';
import { PyModule } from './python.js';

/**
 * Parses the repo's Python files on demand, once each, and resolves module names to
 * files. A file that does not parse cleanly is still returned (the parser recovers) and
 * a warning is recorded once, so detectors can fall back and say so.
 */
export class PythonFiles {
  readonly #reader: RepoReader;
  readonly #cache = new Map<string, PyModule | undefined>();
  readonly warnings: AnalysisWarning[] = [];

  constructor(reader: RepoReader) {
    this.#reader = reader;
  }

  /** The parsed file, or undefined when it does not exist. */
  load(file: string): PyModule | undefined {
    if (this.#cache.has(file)) return this.#cache.get(file);
    const text = this.#reader.readText(file);
    const module = text === undefined ? undefined : new PyModule(file, text);
    this.#cache.set(file, module);
    if (module && module.parseErrors.length > 0) {
      this.warnings.push({
        message: `${file} does not parse as Python (line ${module.parseErrors[0]}); facts read from it may be incomplete`,
        source: `${file}:${module.parseErrors[0]}`,
      });
    }
    return module;
  }

  /** The file of a dotted module name (`a.b.c` → `a/b/c.py` or `a/b/c/__init__.py`). */
  fileOf(dotted: string): string | undefined {
    const base = dotted.split('.').join('/');
    for (const candidate of [`${base}.py`, `${base}/__init__.py`]) {
      if (this.#reader.isFile(candidate)) return candidate;
    }
    return undefined;
  }

  /** The dotted module name of a repo file (`a/b/c.py` → `a.b.c`). */
  static moduleOf(file: string): string {
    return file
      .replace(/\/__init__\.py$/, '')
      .replace(/\.py$/, '')
      .split('/')
      .join('.');
  }

  /** Resolves an import as written in `fromFile` (`.base`, `..x`, `pkg.settings.base`) to a file. */
  resolveImport(fromFile: string, name: string): string | undefined {
    const dots = /^\.*/.exec(name)![0].length;
    if (dots === 0) return this.fileOf(name);
    let pkgDir = posix.dirname(fromFile);
    for (let i = 1; i < dots; i++) pkgDir = posix.dirname(pkgDir);
    const rest = name.slice(dots);
    const dotted = [pkgDir === '.' ? '' : pkgDir.split('/').join('.'), rest].filter(Boolean).join('.');
    return dotted ? this.fileOf(dotted) : undefined;
  }

  /**
   * The module and every module it star-imports, transitively (each once, in the order
   * Python would execute them: imported modules first).
   */
  starClosure(file: string, limit = 25): PyModule[] {
    const seen = new Set<string>();
    const ordered: PyModule[] = [];
    const visit = (current: string) => {
      if (seen.has(current) || seen.size >= limit) return;
      seen.add(current);
      const module = this.load(current);
      if (!module) return;
      for (const name of module.starImports()) {
        const target = this.resolveImport(current, name);
        if (target) visit(target);
      }
      ordered.push(module);
    };
    visit(file);
    return ordered;
  }
}
