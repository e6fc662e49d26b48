import type { SyntaxNode } from '@lezer/common';
import type { ConfigLoad } from './config-load.js';
import type { Fact } from './fact.js';
import type { PyModule } from './python.js';

/** A Django setting's name: UPPERCASE. */
export const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

const SCOPES = new Set(['FunctionDefinition', 'ClassDefinition', 'LambdaExpression']);

/** Runs at import time: not inside a function, class or lambda body. */
export function atModuleLevel(node: SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (SCOPES.has(parent.name)) return false;
  return true;
}

/**
 * Visits every node of the production settings that runs after the YAML load: in the module
 * that loads it (from the line of the load) and in every module executed after that one.
 * `settings` is the star-import closure in execution order; nothing is visited without a load.
 */
export function visitAfterLoad(
  settings: PyModule[],
  configLoad: Fact<ConfigLoad | null>,
  visit: (module: PyModule, node: SyntaxNode) => void,
): void {
  const load = configLoad.value;
  if (configLoad.source === null || load === null) return;
  const loader = settings.findIndex((module) => module.file === load.module);
  if (loader < 0) return;
  for (const module of settings.slice(loader)) {
    module.tree.iterate({
      enter: (ref) => {
        if (module.file === load.module && module.lineOf(ref.from) < load.line) return;
        visit(module, ref.node);
      },
    });
  }
}
