import type { SyntaxNode } from '@lezer/common';
import { isTruthTest } from './truth-test.js';
import type { RepoReader } from '../reader/reader.js';
import { SETTING_NAME } from './after-load.js';
import type { ConfigLoad } from './config-load.js';
import { DJANGO_GLOBAL_SETTINGS } from './django-global-settings.js';
import type { Fact } from './fact.js';
import type { PyLiteral, PyModule } from './python.js';
import type { PythonFiles } from './python-files.js';
import { productionPythonFiles } from './settings-reads.js';
import { type SettingWithoutDefault, boundNames } from './settings-without-default.js';

/** The names `from django.conf import settings [as x]` binds in a module. */
function djangoSettingsNames(module: PyModule): Set<string> {
  const names = new Set<string>();
  module.tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'ImportStatement') return undefined;
      const node = ref.node;
      const keyword = node.getChild('import');
      if (!keyword || !/^from\s+django\.conf\s+$/.test(module.text.slice(node.from, keyword.from))) return false;
      for (let child = keyword.nextSibling; child; child = child.nextSibling) {
        if (child.name !== 'VariableName' || module.textOf(child) !== 'settings') continue;
        const alias = child.nextSibling?.name === 'as' ? child.nextSibling.nextSibling : null;
        names.add(alias ? module.textOf(alias) : 'settings');
      }
      return false;
    },
  });
  return names;
}

/**
 * When a node runs as the service starts: `import` when it is outside every function body and
 * lambda (module level, a class body, a decorator, a default argument), `ready()` when it is in
 * the body of a `ready` method of a module-level class (an AppConfig: Django calls it at setup,
 * before `migrate` or the first request); undefined when it runs later (a view, a task) or only
 * under a condition.
 */
function startupTime(module: PyModule, node: SyntaxNode): 'import' | 'ready()' | undefined {
  let method: SyntaxNode | null = null;
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.name === 'LambdaExpression') return undefined;
    // In an `if` or `try` body it runs in one configuration only (course-discovery's urls.py:
    // `if settings.DEBUG:` reads a devstack-only setting) or is guarded (`except AttributeError`).
    if (parent.name === 'Body' && (parent.parent?.name === 'IfStatement' || parent.parent?.name === 'TryStatement'))
      return undefined;
    if (parent.name !== 'Body' || parent.parent?.name !== 'FunctionDefinition') continue;
    // A function inside a function: it runs when something calls it, not at setup.
    if (method) return undefined;
    method = parent.parent;
  }
  if (!method) return 'import';
  const name = method.getChild('VariableName');
  const owner = method.parent?.name === 'Body' ? method.parent.parent : null;
  return owner?.name === 'ClassDefinition' && name && module.textOf(name) === 'ready' ? 'ready()' : undefined;
}

/**
 * Settings the service's own code reads as `settings.NAME` (Django's `django.conf.settings`, no
 * `getattr` default) while the service starts, at import or in an AppConfig's `ready()`, that
 * neither the production settings nor Django define: only the YAML can give them, and without
 * them `migrate` and the server stop at `'Settings' object has no attribute 'NAME'`
 * (codejail-service: `settings.CODE_JAIL` in apps.py's `ready()`). Reads in views and tasks are
 * left out: they fail one request, not the start. Conservative like the settings' own check:
 * a name the settings bind anywhere or spell as a string, or the code guards with
 * `getattr`/`hasattr` (spells as a string), is not reported, and nothing is when the settings
 * star-import a module outside the repo or load no YAML.
 */
export function detectCodeSettingsWithoutDefault(
  reader: RepoReader,
  python: PythonFiles,
  pkg: string,
  settings: PyModule[],
  configLoad: Fact<ConfigLoad | null>,
): SettingWithoutDefault[] {
  if (configLoad.value === null) return [];
  if (settings.some((module) => module.starImports().some((name) => !python.resolveImport(module.file, name)))) {
    return [];
  }
  const defined = new Set(DJANGO_GLOBAL_SETTINGS);
  for (const module of settings) {
    for (const name of boundNames(module)) defined.add(name);
    for (const string of module.strings()) defined.add(string.value);
  }
  const modules = productionPythonFiles(reader, pkg)
    .map((file) => python.load(file))
    .filter((module): module is PyModule => module !== undefined);
  // `getattr(settings, 'NAME', ...)` or `hasattr(settings, 'NAME')` anywhere guards the name.
  for (const module of modules) for (const string of module.strings()) defined.add(string.value);
  const found = new Map<string, SettingWithoutDefault>();
  // Names read at least once other than as a truth test.
  const usedAsValue = new Set<string>();
  for (const module of modules) {
    const aliases = djangoSettingsNames(module);
    if (aliases.size === 0) continue;
    module.tree.iterate({
      enter: (ref) => {
        if (ref.name !== 'MemberExpression') return;
        const node = ref.node;
        const object = node.firstChild;
        const property = node.lastChild;
        if (object?.name !== 'VariableName' || property?.name !== 'PropertyName') return;
        if (!aliases.has(module.textOf(object))) return;
        const name = module.textOf(property);
        if (!SETTING_NAME.test(name) || defined.has(name)) return;
        // `settings.NAME = value` sets it (tests, overrides): not a read.
        if (node.nextSibling?.name === 'AssignOp') return;
        const when = startupTime(module, node);
        if (when === undefined) return;
        if (!found.has(name)) found.set(name, { name, source: `${module.file}:${module.lineOf(node.from)}`, when });
        const setting = found.get(name)!;
        if (!isTruthTest(node)) usedAsValue.add(name);
        const keys = keysReadInside(module, node);
        if (keys.length > 0) addKeys((setting.keysRead ??= {}), keys);
      },
    });
  }
  for (const setting of found.values()) if (!usedAsValue.has(setting.name)) setting.truthTest = true;
  for (const setting of found.values()) {
    const example = siblingValue(reader, python, settings, setting.name);
    if (example) setting.example = example;
  }
  return [...found.values()];
}

/** The literal keys a read subscripts at once: `settings.X['a']['b']` → `['a', 'b']`; stops at the first other one. */
function keysReadInside(module: PyModule, node: SyntaxNode): string[] {
  const keys: string[] = [];
  let current: SyntaxNode = node;
  while (current.parent?.name === 'MemberExpression' && current.parent.firstChild?.from === current.from) {
    const open = current.parent.getChild('[');
    const key = open?.nextSibling;
    const value = key?.name === 'String' ? module.stringValue(key) : undefined;
    if (value === undefined) break;
    keys.push(value);
    current = current.parent;
  }
  return keys;
}

/** Adds the path `keys` to a mapping of keys read, a null at its end unless deeper keys are read there. */
function addKeys(shape: { [key: string]: PyLiteral }, keys: string[]): void {
  let node = shape;
  keys.forEach((key, index) => {
    const last = index === keys.length - 1;
    const existing = node[key];
    if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) node = existing;
    else if (!last) node = node[key] = {};
    else if (!(key in node)) node[key] = null;
  });
}

/**
 * A literal dict or list another settings module beside the production ones (test, local,
 * devstack) gives `name`: the shape the code expects (codejail-service's test.py: `CODE_JAIL = {}`, a dict
 * its `ready()` calls `.get` on), where a placeholder string would fail at startup too.
 */
function siblingValue(
  reader: RepoReader,
  python: PythonFiles,
  settings: PyModule[],
  name: string,
): SettingWithoutDefault['example'] {
  const closure = new Set(settings.map((module) => module.file));
  const dirs = [...new Set(settings.map((module) => module.file.slice(0, module.file.lastIndexOf('/') + 1)))];
  for (const dir of dirs) {
    const files = reader
      .list(dir.replace(/\/$/, ''))
      .filter((entry) => entry.kind === 'file' && entry.name.endsWith('.py'))
      .map((entry) => `${dir}${entry.name}`)
      .filter((file) => !closure.has(file))
      .sort();
    for (const file of files) {
      const module = python.load(file);
      const assignment = module?.assignments().get(name);
      const value = assignment && !assignment.conditional ? module!.literal(assignment.value) : undefined;
      // Only a dict or list says the shape; a test's string or number is the test's own value.
      if (value !== null && typeof value === 'object') return { value, source: `${file}:${assignment!.line}` };
    }
  }
  return undefined;
}
