import type { SyntaxNode } from '@lezer/common';
import { SETTING_NAME, atModuleLevel, visitAfterLoad } from './after-load.js';
import type { ConfigLoad } from './config-load.js';
import type { Fact } from './fact.js';
import type { PyModule } from './python.js';

/**
 * Keys of a settings dict that the settings themselves reach into after the YAML is loaded
 * (`DATABASES['default']['OPTIONS']`): when the YAML replaces the dict, each key must be there
 * or the settings fail at import with a KeyError.
 */
export interface NestedSettingRead {
  setting: string;
  /** The literal keys that must exist, outermost first (`['default', 'OPTIONS']`). */
  keys: string[];
  /** The value at the last key is used as a dict (subscripted, `.update()`d, `.get()`...). */
  dict: boolean;
  /** `file:line` of the access. */
  source: string;
}

function isSubscript(node: SyntaxNode | null): boolean {
  return node?.name === 'MemberExpression' && node.getChild('[') !== null;
}

/** `A['x']` inside `A['x']['y']`: part of a longer chain, read with it. */
function isInnerSubscript(node: SyntaxNode): boolean {
  const parent = node.parent;
  return (
    parent !== null && isSubscript(parent) && parent.firstChild?.from === node.from && parent.firstChild?.to === node.to
  );
}

/** The nested read one outermost subscript chain (`A['x']['y']...`) makes, if it starts at a setting. */
function readOf(module: PyModule, chain: SyntaxNode): NestedSettingRead | undefined {
  const subscripts: SyntaxNode[] = [];
  let base: SyntaxNode | null = chain;
  while (base && isSubscript(base)) {
    subscripts.unshift(base);
    base = base.firstChild;
  }
  if (base?.name !== 'VariableName' || !SETTING_NAME.test(module.textOf(base))) return undefined;
  const keys: string[] = [];
  let dynamic = false;
  for (const subscript of subscripts) {
    const key = module.stringValue(subscript.getChild('[')?.nextSibling);
    if (key === undefined) {
      dynamic = true;
      break;
    }
    keys.push(key);
  }
  const parent = chain.parent;
  const assigned =
    parent?.name === 'AssignStatement' &&
    parent.getChild('AssignOp') !== null &&
    chain.to <= parent.getChild('AssignOp')!.from;
  // `A['x']['y'] = v` needs A['x'] only (and it must be a dict); a dynamic key or a method
  // call (`.update`, `.get`, `.items`) uses the value at the last literal key as a dict.
  const usedAsDict = dynamic || assigned || (parent?.name === 'MemberExpression' && parent.getChild('.') !== null);
  const needed = assigned && !dynamic ? keys.slice(0, -1) : keys;
  if (needed.length === 0) return undefined;
  return {
    setting: module.textOf(base),
    keys: needed,
    dict: usedAsDict,
    source: `${module.file}:${module.lineOf(chain.from)}`,
  };
}

/**
 * Nested reads of settings dicts in the production settings that run after the YAML load
 * (see visitAfterLoad). `settings` is the star-import closure in execution order.
 */
export function detectNestedSettingReads(
  settings: PyModule[],
  configLoad: Fact<ConfigLoad | null>,
): NestedSettingRead[] {
  const reads: NestedSettingRead[] = [];
  visitAfterLoad(settings, configLoad, (module, node) => {
    if (!isSubscript(node) || isInnerSubscript(node) || !atModuleLevel(node)) return;
    const read = readOf(module, node);
    if (read) reads.push(read);
  });
  return reads;
}
