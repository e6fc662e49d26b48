import fs from 'node:fs';
import { LineCounter, type Node, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { IdaError } from '../../errors.js';
import { type Dict, UnsafeText, VaultEncrypted, isDict } from './values.js';

/** A vars file (role defaults, meta, an operator's vars) that does not parse. */
export class VarsFileError extends IdaError {
  constructor(where: string, why: string) {
    super(`${where}: not valid YAML (${why})`, 'fix the file (ansible-playbook would refuse it too), then run again');
  }
}

/** A file that cannot be read. */
export class VarsFileUnreadableError extends IdaError {
  constructor(file: string, why: string) {
    super(`cannot read ${file} (${why})`, 'pass a readable vars file');
  }
}

/** A YAML file of variables, with the line each value (at any depth) starts on, for errors. */
export interface VarsFile {
  /** The path as the user or the checkout names it (shown in messages). */
  file: string;
  vars: Dict;
  /** `name\0key\0key...` → 1-based line of that value. */
  lines: Map<string, number>;
}

/** The key of a value in VarsFile.lines. */
export function lineKey(name: string, path: (string | number)[]): string {
  return [name, ...path].join('\0');
}

/** Ansible's tags: `!vault` (encrypted, unreadable here) and `!unsafe` (never templated). */
const TAGS = [
  { tag: '!vault', resolve: () => new VaultEncrypted() },
  { tag: '!unsafe', resolve: (text: string) => new UnsafeText(text) },
];

/**
 * Reads a vars file. A YAML error names the file and line but never quotes it: an operator's
 * vars file holds secrets, and the yaml library's message would show the line.
 */
export function readVarsFile(path: string, shown: string = path): VarsFile {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    throw new VarsFileUnreadableError(shown, (error as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  return parseVarsText(text, shown);
}

/** Parses vars text (see readVarsFile). */
export function parseVarsText(text: string, file: string): VarsFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, customTags: TAGS, uniqueKeys: false, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const line = lineCounter.linePos(problem.pos[0]).line;
    // The code names the problem; the message's excerpt would quote the file.
    throw new VarsFileError(`${file}:${line}`, problem.code.toLowerCase().replace(/_/g, ' '));
  }
  const value: unknown = doc.toJS({ maxAliasCount: 10_000 });
  if (value === null || value === undefined) return { file, vars: {}, lines: new Map() };
  if (!isDict(value)) throw new VarsFileError(`${file}:1`, 'the top level is not a mapping of variable names');
  const lines = new Map<string, number>();
  const walk = (node: Node | null | undefined, name: string, path: (string | number)[]) => {
    if (!node) return;
    if (node.range) lines.set(lineKey(name, path), lineCounter.linePos(node.range[0]).line);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        walk(pair.value as Node, name, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item as Node, name, [...path, index]));
    }
  };
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (pair.key.range) lines.set(lineKey(name, []), lineCounter.linePos(pair.key.range[0]).line);
      walk(pair.value as Node, name, []);
    }
  }
  return { file, vars: value, lines };
}
