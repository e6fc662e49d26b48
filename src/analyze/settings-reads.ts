import type { SyntaxNode } from '@lezer/common';
import { isTruthTest } from './truth-test.js';
import type { ConfigLoad } from './config-load.js';
import { SETTING_NAME, atModuleLevel, visitAfterLoad, yamlDictNames, yamlKeyRead } from './after-load.js';
import type { Fact } from './fact.js';
import type { PyLiteral, PyModule } from './python.js';
import type { PythonFiles } from './python-files.js';
import type { RepoReader } from '../reader/reader.js';

/**
 * UPPERCASE names the production settings use after loading the YAML, read as names
 * (`INSTALLED_APPS += EXTRA_APPS`) or looked up by name (`'EXTRA_APPS' in locals()`): what the
 * settings do with the YAML's values, so each is a key an operator sets there.
 */
export function detectNamesReadAfterLoad(settings: PyModule[], configLoad: Fact<ConfigLoad | null>): Set<string> {
  const names = new Set<string>();
  visitAfterLoad(settings, configLoad, (module, node) => {
    if (!atModuleLevel(node)) return;
    const text =
      node.name === 'VariableName'
        ? module.textOf(node)
        : node.name === 'String'
          ? module.stringValue(node)
          : undefined;
    if (text !== undefined && SETTING_NAME.test(text)) names.add(text);
  });
  return names;
}

/**
 * UPPERCASE names the production settings assign after loading the YAML (`DB_OVERRIDES =
 * dict(...)`): whatever the YAML says, the settings overwrite them, so the YAML cannot set them.
 * An assignment that reads the name itself (`X = environ.get('X', X)`) keeps the YAML's value, and
 * one that reads the YAML's own key (`X = config_from_yaml.pop('X', {})`) is how the YAML sets it.
 */
export function detectNamesAssignedAfterLoad(settings: PyModule[], configLoad: Fact<ConfigLoad | null>): Set<string> {
  const names = new Set<string>();
  const yamlDicts = yamlDictNames(settings, configLoad);
  visitAfterLoad(settings, configLoad, (module, node) => {
    // Under an `if` on a setting, the assignment replaces the YAML's value in one configuration
    // only (edx-notes-api: `if ES_DISABLED: ELASTICSEARCH_DSL = {}`): the YAML still sets it
    // otherwise. Under any other `if` (registrar: `if django.VERSION[0] >= 4:`) it always runs.
    if (node.name !== 'AssignStatement' || !atModuleLevel(node) || underSettingIf(module, node)) return;
    const op = node.getChild('AssignOp');
    const value = op?.nextSibling;
    if (!op || !value) return;
    // `X = environ.get('X', X)` keeps the YAML's X as its default: the YAML still sets it.
    const reads = new Set<string>();
    value.toTree().iterate({
      enter: (ref) => {
        if (ref.name === 'VariableName') reads.add(module.text.slice(value.from + ref.from, value.from + ref.to));
      },
    });
    for (const target of node.getChildren('VariableName')) {
      const name = module.textOf(target);
      if (!(target.from < op.from) || !SETTING_NAME.test(name) || reads.has(name)) continue;
      if (yamlKeyRead(module, value, name, yamlDicts) === undefined) names.add(name);
    }
  });
  return names;
}

/** Whether `node` is in the body of an `if` whose condition reads an UPPERCASE setting. */
function underSettingIf(module: PyModule, node: SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.name !== 'IfStatement') continue;
    const body = parent.getChild('Body');
    let readsSetting = false;
    parent.toTree().iterate({
      enter: (ref) => {
        if (body && parent.from + ref.from >= body.from) return false;
        if (
          ref.name === 'VariableName' &&
          SETTING_NAME.test(module.text.slice(parent.from + ref.from, parent.from + ref.to))
        )
          readsSetting = true;
        return undefined;
      },
    });
    if (readsSetting) return true;
  }
  return false;
}

/** A setting the service's code reads with `getattr(settings, 'NAME', default)`. */
export interface CodeSettingRead {
  name: string;
  /** The default the code falls back to when it is literal; undefined otherwise (or none given). */
  value: PyLiteral | undefined;
  /** `file:line` of the first read. */
  source: string;
}

/** Directories whose code does not run in production. */
const NOT_PRODUCTION =
  /(^|\/)(tests?|settings|migrations|management)(\/|$)|(^|\/)(test_[^/]*|[^/]*_tests?|conftest)\.py$/;

/**
 * The service's production Python files under `dir` (no tests, settings, migrations, management
 * commands), depth-first in name order, at most `limit`.
 */
export function productionPythonFiles(reader: RepoReader, dir: string, limit = 3000): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    for (const entry of [...reader.list(path)].sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.length >= limit) return;
      const child = path ? `${path}/${entry.name}` : entry.name;
      if (NOT_PRODUCTION.test(child)) continue;
      if (entry.kind === 'dir') walk(child);
      else if (entry.kind === 'file' && child.endsWith('.py')) files.push(child);
    }
  };
  walk(dir);
  return files;
}

/**
 * Settings the service's own package reads with `getattr(settings, 'NAME', default)` (Django's
 * way to make a setting optional: an app's namespaced dict such as `VERIFIABLE_CREDENTIALS`),
 * outside tests, settings and migrations. The caller keeps those no settings module defines.
 */
export function detectCodeSettingReads(reader: RepoReader, python: PythonFiles, pkg: string): CodeSettingRead[] {
  const found = new Map<string, CodeSettingRead>();
  for (const file of productionPythonFiles(reader, pkg)) {
    const module = python.load(file);
    if (!module) continue;
    for (const call of module.calls()) {
      if (call.callee !== 'getattr' || call.args.length < 2 || module.textOf(call.args[0]) !== 'settings') continue;
      const name = module.stringValue(call.args[1]);
      if (name === undefined || !SETTING_NAME.test(name) || found.has(name)) continue;
      const value = call.args[2] ? module.literal(call.args[2]) : undefined;
      found.set(name, { name, value, source: `${file}:${call.line}` });
    }
  }
  return [...found.values()];
}

/**
 * Settings dicts the production settings spread into the settings after loading the YAML
 * (`vars().update(MEDIA_STORAGE_BACKEND)`): each of their keys becomes a setting of its own.
 */
export function detectSpreadSettings(settings: PyModule[], configLoad: Fact<ConfigLoad | null>): string[] {
  const names = new Set<string>();
  visitAfterLoad(settings, configLoad, (module, node) => {
    if (node.name !== 'CallExpression' || !atModuleLevel(node)) return;
    const callee = node.firstChild;
    if (!callee || !/^(?:vars|locals|globals)\(\)\.update$/.test(module.textOf(callee))) return;
    const arg = node.getChild('ArgList')?.getChild('VariableName');
    if (arg && SETTING_NAME.test(module.textOf(arg))) names.add(module.textOf(arg));
  });
  return [...names];
}

/**
 * Settings the service's own code tests for truth (`if settings.X:`, `flag and settings.X`,
 * `not settings.X`): their empty default is an off switch (ecommerce's
 * `ECOMMERCE_MICROFRONTEND_URL` turns the receipt micro-frontend on), not a value waiting to be set.
 * Production files of the package only, as for {@link detectCodeSettingReads}.
 */
export function detectSwitchSettings(reader: RepoReader, python: PythonFiles, pkg: string): string[] {
  const found = new Set<string>();
  for (const file of productionPythonFiles(reader, pkg)) {
    const module = python.load(file);
    if (!module) continue;
    module.tree.iterate({
      enter: (ref) => {
        if (ref.name !== 'MemberExpression') return;
        const match = /^settings\.([A-Z][A-Z0-9_]*)$/.exec(module.textOf(ref.node));
        if (match && isTruthTest(ref.node, { loose: true })) found.add(match[1]);
      },
    });
  }
  return [...found];
}
