import type { SyntaxNode } from '@lezer/common';
import { SETTING_NAME } from './after-load.js';
import type { PyModule } from './python.js';

/**
 * One key a settings module sets inside a dict setting in place, at import time:
 * `DATABASES['replica'] = {...}` (keys `['replica']`), `DATABASES.update({'replica': {...}})` or
 * `DATABASES.update(replica={...})` (one change per key).
 */
export interface DictChange {
  name: string;
  /** The path of literal keys from the setting to the value set; never empty. */
  keys: string[];
  /** The expression of the new value. */
  value: SyntaxNode;
  line: number;
  /** Under a top-level if/try/with: one configuration only. */
  conditional: boolean;
}

/** A change to a dict setting that cannot be followed statically (a loop, a computed key or argument). */
export interface UnfollowedDictChange {
  name: string;
  line: number;
  /** What it is, for the warning: `a loop`, `a computed key`. */
  why: string;
  /**
   * Whether it may add a top-level key (a database alias): false for a change inside a key the
   * code names (`for k, v in OVERRIDES.items(): DATABASES['default'][k] = v`).
   */
  topLevel: boolean;
}

/** The setting and literal key path of `A['b']['c']`; undefined when a key is not a string literal. */
function subscriptPath(module: PyModule, node: SyntaxNode): { name: string; keys: (string | undefined)[] } | undefined {
  const keys: (string | undefined)[] = [];
  let current: SyntaxNode | null = node;
  while (current?.name === 'MemberExpression' && current.getChild('[')) {
    const key = current.getChild('[')!.nextSibling;
    keys.unshift(key?.name === 'String' ? module.stringValue(key) : undefined);
    current = current.firstChild;
  }
  if (current?.name !== 'VariableName' || keys.length === 0) return undefined;
  return { name: module.textOf(current), keys };
}

/** The changes one `NAME.update(...)` call makes: its dict literal's string keys and its keyword arguments. */
function updateChanges(module: PyModule, args: SyntaxNode): { keys: string[]; value: SyntaxNode }[] | undefined {
  const changes: { keys: string[]; value: SyntaxNode }[] = [];
  for (let child = args.firstChild; child; child = child.nextSibling) {
    if (['(', ')', ','].includes(child.name)) continue;
    if (child.name === 'VariableName' && child.nextSibling?.name === 'AssignOp') {
      const value = child.nextSibling.nextSibling;
      if (!value) return undefined;
      changes.push({ keys: [module.textOf(child)], value });
      child = value;
      continue;
    }
    if (child.name !== 'DictionaryExpression') return undefined;
    let key: string | undefined;
    for (let item = child.firstChild; item; item = item.nextSibling) {
      if (['{', '}', ',', ':', 'Comment'].includes(item.name)) continue;
      if (key === undefined) {
        key = item.name === 'String' ? module.stringValue(item) : undefined;
        if (key === undefined) return undefined;
      } else {
        changes.push({ keys: [key], value: item });
        key = undefined;
      }
    }
  }
  return changes;
}

/**
 * The in-place changes a settings module makes to UPPERCASE dict settings at import time, in
 * source order, and those it makes where they cannot be followed (in a loop, with a computed key
 * or a non-literal `.update()` argument). Statements in a top-level if/try/with count, as
 * `PyModule.assignments` counts them; function and class bodies never run at import.
 */
export function dictChanges(module: PyModule): { changes: DictChange[]; unfollowed: UnfollowedDictChange[] } {
  const changes: DictChange[] = [];
  const unfollowed: UnfollowedDictChange[] = [];
  const visit = (parent: SyntaxNode, conditional: boolean, loop: boolean) => {
    for (let child = parent.firstChild; child; child = child.nextSibling) {
      const line = module.lineOf(child.from);
      if (child.name === 'AssignStatement') {
        const target = child.firstChild;
        const op = child.getChild('AssignOp');
        const value = op?.nextSibling;
        const path = target && target.name === 'MemberExpression' ? subscriptPath(module, target) : undefined;
        if (!path || !value || !SETTING_NAME.test(path.name)) continue;
        const keys = path.keys.filter((key): key is string => key !== undefined);
        if (loop || keys.length < path.keys.length)
          unfollowed.push({
            name: path.name,
            line,
            why: loop ? 'a loop' : 'a computed key',
            topLevel: path.keys.length === 1 || path.keys[0] === undefined,
          });
        else changes.push({ name: path.name, keys, value, line, conditional });
      } else if (child.name === 'ExpressionStatement') {
        const call = child.firstChild;
        const callee = call?.name === 'CallExpression' ? call.firstChild : null;
        const match = callee && /^([A-Z][A-Z0-9_]*)\.update$/.exec(module.textOf(callee).replace(/\s+/g, ''));
        const args = call?.getChild('ArgList');
        if (!match || !args) continue;
        const updates = loop ? undefined : updateChanges(module, args);
        if (!updates)
          unfollowed.push({ name: match[1], line, why: loop ? 'a loop' : 'a computed update', topLevel: true });
        else for (const update of updates) changes.push({ name: match[1], ...update, line, conditional });
      } else if (['IfStatement', 'TryStatement', 'WithStatement'].includes(child.name)) {
        for (const body of child.getChildren('Body')) visit(body, true, loop);
      } else if (['ForStatement', 'WhileStatement'].includes(child.name)) {
        for (const body of child.getChildren('Body')) visit(body, true, true);
      }
    }
  };
  visit(module.tree.topNode, false, false);
  return { changes, unfollowed };
}
