import type { SyntaxNode } from '@lezer/common';
import { type AnalysisWarning, type Fact, byDefault, found } from './fact.js';
import type { EnvRead, PyCall, PyModule } from './python.js';
import type { PythonFiles } from './python-files.js';

/** How the production settings load the operator's YAML file. */
export interface ConfigLoad {
  /** The environment variable, exactly as the code reads it. */
  variable: string;
  /** True when settings fail without the variable; false for `if 'X' in environ:` loads. */
  required: boolean;
  /** Set when the variable names a directory and the code opens this fixed file inside it. */
  fileInDirectory: string | null;
  /** The YAML call as written: `yaml.safe_load`, `yaml.load(Loader=...)`. */
  loader: string;
  /** The settings module that loads the YAML (may be star-imported by the production module). */
  module: string;
  /** The line in `module` where the load runs (the yaml call, or the call of the helper that loads). */
  line: number;
  /** `DICT_UPDATE_KEYS`: dict settings the YAML updates key by key instead of replacing. */
  dictUpdateKeys: string[];
}

const YAML_LOADERS = /^(yaml\.)?(safe_load|load|full_load)$/;
const FILE_VARIABLE = /_(CFG|CONFIG|CONFIG_FILE|CFG_FILE|YAML|YAML_FILE|SETTINGS_FILE)$/;
const DIRECTORY_VARIABLE = /_(CONFIG_ROOT|CFG_ROOT|CONFIG_DIR|CFG_DIR|CONFIG_PATH)$/;

/** Every `yaml.safe_load(...)`-style call in the module, in source order. */
function yamlLoads(module: PyModule): PyCall[] {
  return module
    .calls()
    .filter(
      (call) =>
        YAML_LOADERS.test(call.callee) &&
        (call.callee.startsWith('yaml.') || call.keywords.has('Loader') || call.callee === 'safe_load'),
    );
}

/** The function definition a node sits in, or null at module level. */
function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let parent = node.parent; parent; parent = parent.parent)
    if (parent.name === 'FunctionDefinition') return parent;
  return null;
}

/** A YAML load that runs when the settings import: in the module's own code, or in a helper it calls. */
interface Load {
  /** The settings module the load runs from (where the helper is called). */
  module: PyModule;
  /** The yaml call. */
  call: PyCall;
  /** The module holding the yaml call (the helper's module for a helper). */
  loaderModule: PyModule;
  /** For a helper: its module-level call in `module`, and the function that loads. */
  helper: { call: PyCall; definition: SyntaxNode } | null;
  /** Line in `module` where the load runs. */
  line: number;
}

/** Top-level `def name` in the module. */
function functionNamed(module: PyModule, name: string): SyntaxNode | undefined {
  for (let child = module.tree.topNode.firstChild; child; child = child.nextSibling) {
    if (child.name === 'FunctionDefinition' && module.textOf(child.getChild('VariableName')!) === name) return child;
  }
  return undefined;
}

/** The repo file a name was imported from with `from X import name` (as written: `from x import a, b as c`). */
function importedFrom(
  python: PythonFiles,
  module: PyModule,
  name: string,
): { file: string; original: string } | undefined {
  for (let child = module.tree.topNode.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'ImportStatement' || !child.getChild('from')) continue;
    const text = module.textOf(child).replace(/[()\\\n]/g, ' ');
    const match = /^from\s+(\S+)\s+import\s+(.+)$/.exec(text.trim());
    if (!match) continue;
    for (const part of match[2].split(',')) {
      const [original, alias] = part.trim().split(/\s+as\s+/);
      if ((alias ?? original) !== name) continue;
      const file = python.resolveImport(module.file, match[1]);
      if (file) return { file, original };
    }
  }
  return undefined;
}

/**
 * The YAML loads a module runs at import: its module-level yaml calls, and module-level calls
 * of a helper function (defined there or imported by name from a repo module) whose body
 * loads YAML (`CONFIG = get_config()`, `load_config(os.environ['X_CFG'])`).
 */
function loadsOf(python: PythonFiles, module: PyModule): Load[] {
  const loads: Load[] = yamlLoads(module)
    .filter((call) => enclosingFunction(call.node) === null)
    .map((call) => ({ module, call, loaderModule: module, helper: null, line: call.line }));
  for (const call of module.calls()) {
    if (enclosingFunction(call.node) !== null || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(call.callee)) continue;
    const local = functionNamed(module, call.callee);
    const imported = local ? undefined : importedFrom(python, module, call.callee);
    const loaderModule = local ? module : imported ? python.load(imported.file) : undefined;
    const definition = local ?? (loaderModule && imported ? functionNamed(loaderModule, imported.original) : undefined);
    if (!loaderModule || !definition) continue;
    const yamlCall = yamlLoads(loaderModule).find(
      (candidate) => candidate.node.from >= definition.from && candidate.node.to <= definition.to,
    );
    if (yamlCall) loads.push({ module, call: yamlCall, loaderModule, helper: { call, definition }, line: call.line });
  }
  return loads.sort((a, b) => a.line - b.line);
}

/** Whether the module (or anything it star-imports) loads YAML. */
export function loadsYaml(python: PythonFiles, file: string): boolean {
  return python.starClosure(file).some((module) => loadsOf(python, module).length > 0);
}

interface Traced {
  read: EnvRead;
  fileInDirectory: string | null;
}

/** Inside a helper: the name is its parameter at this position. */
interface Parameter {
  parameter: string;
  index: number;
}

/** The names of a function's parameters, in order (`*args` and `**kw` included by name). */
function parameters(module: PyModule, definition: SyntaxNode): string[] {
  const list = definition.getChild('ParamList');
  const names: string[] = [];
  for (let child = list?.firstChild ?? null; child; child = child.nextSibling) {
    // A default value follows `=`: it is not a parameter name.
    if (child.name === 'VariableName' && child.prevSibling?.name !== 'AssignOp') names.push(module.textOf(child));
  }
  return names;
}

/** Assignments to `name` inside a function body, in source order. */
function localAssignments(module: PyModule, definition: SyntaxNode, name: string): SyntaxNode[] {
  const values: SyntaxNode[] = [];
  module.tree.iterate({
    from: definition.from,
    to: definition.to,
    enter: (ref) => {
      if (ref.name !== 'AssignStatement' || ref.from < definition.from || ref.to > definition.to) return;
      const target = ref.node.firstChild;
      const op = ref.node.getChild('AssignOp');
      if (target?.name === 'VariableName' && module.textOf(target) === name && op?.nextSibling) {
        values.push(op.nextSibling);
      }
    },
  });
  return values;
}

/**
 * Follows the YAML load's argument back to an environment read:
 * `yaml.safe_load(f)` ← `with open(CONFIG_FILE) as f` ← `CONFIG_FILE = get_env_setting('X_CFG')`,
 * through at most a few names, and through `os.path.join(DIR, 'file.yml')`. Inside a helper
 * (`scope`), names are looked up in its body first, and a parameter is returned as such so the
 * caller can follow the argument passed at the call site.
 */
function traceToEnv(
  module: PyModule,
  node: SyntaxNode | undefined,
  reads: EnvRead[],
  depth = 0,
  scope: SyntaxNode | null = null,
): Traced | Parameter | undefined {
  if (!node || depth > 6) return undefined;
  const direct = reads.find(
    (read) => read.node.from >= node.from && read.node.to <= node.to && read.form !== 'membership-test',
  );
  if (node.name === 'CallExpression') {
    const callee = module.textOf(node.firstChild!).replace(/\s+/g, '');
    const args = module.calls().find((call) => call.node.from === node.from && call.node.to === node.to)?.args ?? [];
    if (/(^|\.)join$/.test(callee) || callee === 'Path') {
      const fileName = args.map((arg) => module.stringValue(arg)).find((value) => value && /\.ya?ml$/.test(value));
      for (const arg of args) {
        const traced = traceToEnv(module, arg, reads, depth + 1, scope);
        if (traced && 'read' in traced)
          return { read: traced.read, fileInDirectory: fileName ?? traced.fileInDirectory };
      }
    }
    if (callee === 'open' || callee.endsWith('.open')) return traceToEnv(module, args[0], reads, depth + 1, scope);
  }
  if (direct) return { read: direct, fileInDirectory: null };
  if (node.name === 'VariableName') {
    const name = module.textOf(node);
    // `with open(X) as f: yaml.safe_load(f)`: the name is bound by the enclosing with.
    for (let parent = node.parent; parent; parent = parent.parent) {
      if (parent.name !== 'WithStatement') continue;
      const bound = parent.getChildren('VariableName').find((candidate) => module.textOf(candidate) === name);
      if (bound) return traceToEnv(module, parent.getChild('CallExpression') ?? undefined, reads, depth + 1, scope);
    }
    if (scope) {
      let parameter: Parameter | undefined;
      for (const value of localAssignments(module, scope, name)) {
        const traced = traceToEnv(module, value, reads, depth + 1, scope);
        if (traced && 'read' in traced) return traced;
        if (traced) parameter = traced;
      }
      const index = parameters(module, scope).indexOf(name);
      if (index >= 0) return { parameter: name, index };
      if (parameter) return parameter;
    }
    const assignment = module.assignments().get(name);
    if (assignment) return traceToEnv(module, assignment.value, reads, depth + 1);
  }
  return undefined;
}

/** Follows a load to its environment read, through the helper's parameter to the call site's argument. */
function traceLoad(load: Load): Traced | undefined {
  if (!load.helper) {
    const traced = traceToEnv(load.module, load.call.args[0], load.module.envReads());
    return traced && 'read' in traced ? traced : undefined;
  }
  const traced = traceToEnv(
    load.loaderModule,
    load.call.args[0],
    load.loaderModule.envReads(),
    0,
    load.helper.definition,
  );
  if (!traced || 'read' in traced) return traced;
  const argument = load.helper.call.keywords.get(traced.parameter) ?? load.helper.call.args[traced.index];
  const atCallSite = traceToEnv(load.module, argument, load.module.envReads());
  return atCallSite && 'read' in atCallSite ? atCallSite : undefined;
}

/** A read inside `try:` whose `except` catches KeyError: the code falls back when the variable is unset. */
function caughtKeyError(module: PyModule, node: SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.name !== 'TryStatement') continue;
    const body = parent.getChild('Body');
    const inBody = body !== null && node.from >= body.from && node.to <= body.to;
    const catches = parent.getChildren('VariableName').some((name) => module.textOf(name) === 'KeyError');
    if (inBody && catches) return true;
  }
  return false;
}

/** Whether `node` sits under an `if` that tests `name` (`if 'X' in environ:`): an optional load. */
function isGuarded(node: SyntaxNode, name: string, reads: EnvRead[]): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.name !== 'IfStatement') continue;
    const body = parent.getChild('Body');
    const conditionEnd = body?.from ?? parent.to;
    if (reads.some((other) => other.name === name && other.node.from >= parent.from && other.node.to <= conditionEnd))
      return true;
  }
  return false;
}

/** The config load a YAML call describes, when it can be followed to an environment variable. */
function describeLoad(load: Load): Fact<ConfigLoad> | undefined {
  const { module, call, loaderModule } = load;
  const dictUpdate = module.assignments().get('DICT_UPDATE_KEYS');
  const dictUpdateValue = dictUpdate ? module.literal(dictUpdate.value) : undefined;
  const dictUpdateKeys = Array.isArray(dictUpdateValue)
    ? dictUpdateValue.filter((key): key is string => typeof key === 'string')
    : [];
  const loader = call.keywords.has('Loader')
    ? `${call.callee}(Loader=${loaderModule.textOf(call.keywords.get('Loader')!)})`
    : call.callee;
  const base = { loader, module: module.file, line: load.line, dictUpdateKeys };
  const via = load.helper
    ? `${call.callee} call in ${load.helper.call.callee}() (${loaderModule.file}:${call.line}), called at line ${load.line}`
    : `${call.callee} call at line ${call.line}`;

  const traced = traceLoad(load);
  if (traced) {
    const { read, fileInDirectory } = traced;
    const readModule = [module, loaderModule].find((candidate) => candidate.envReads().includes(read))!;
    const reads = readModule.envReads();
    const guardedLoad = isGuarded(load.helper?.call.node ?? call.node, read.name, module.envReads());
    const required =
      read.required &&
      !isGuarded(read.node, read.name, reads) &&
      !guardedLoad &&
      !caughtKeyError(readModule, read.node);
    return found(
      { ...base, variable: read.name, required, fileInDirectory },
      readModule.file,
      read.line,
      `environment variable read by the ${via}`,
    );
  }
  if (load.helper) return undefined;
  const reads = module.envReads();
  const byName =
    reads.find((read) => FILE_VARIABLE.test(read.name)) ?? reads.find((read) => DIRECTORY_VARIABLE.test(read.name));
  if (!byName) return undefined;
  const directory = DIRECTORY_VARIABLE.test(byName.name);
  const fileInDirectory = directory ? (module.strings().find((s) => /\.ya?ml$/.test(s.value))?.value ?? null) : null;
  const required =
    !isGuarded(call.node, byName.name, reads) &&
    reads.some((read) => read.name === byName.name && read.required && !isGuarded(read.node, read.name, reads));
  return found(
    { ...base, variable: byName.name, required, fileInDirectory },
    module.file,
    byName.line,
    `environment variable named like a config file in the module that calls ${call.callee}`,
  );
}

/**
 * Finds the config variable by reading the code that loads the YAML: the production
 * module and the modules it star-imports. When none loads YAML the value is null (the service
 * reads no YAML, with a warning); only settings that do not parse fall back to a name derived
 * from the package (marked as a default, with a warning).
 */
export function detectConfigLoad(
  python: PythonFiles,
  settingsFile: string | undefined,
  pkg: string,
  warnings: AnalysisWarning[],
): Fact<ConfigLoad | null> {
  const modules = settingsFile ? python.starClosure(settingsFile) : [];
  for (const module of [...modules].reverse()) {
    for (const load of loadsOf(python, module)) {
      const described = describeLoad(load);
      if (described) return described;
    }
  }
  const variable = `${pkg.toUpperCase()}_CFG`;
  const where = settingsFile ?? 'the settings';
  // A settings file that does not parse may hold a load the parser lost: assume the usual one.
  if (modules.some((module) => module.parseErrors.length > 0)) {
    warnings.push({
      message: `no YAML config load found in ${where}, which does not parse; assuming ${variable} (pass --config-var to set it)`,
      source: settingsFile ? `${settingsFile}:1` : null,
    });
    return byDefault(
      {
        variable,
        required: true,
        fileInDirectory: null,
        loader: 'yaml.safe_load',
        module: settingsFile ?? '',
        line: 0,
        dictUpdateKeys: [],
      },
      'no YAML load found in settings that do not parse; name derived from the Django package',
    );
  }
  warnings.push({
    message:
      `the service reads no YAML: no YAML config load in ${where} or what it star-imports, so the image sets no config variable ` +
      `and no example YAML is written; to read one, add the standard loader to the production settings ` +
      `(CONFIG_FILE = get_env_setting('${variable}'); with open(CONFIG_FILE) as f: vars().update(yaml.safe_load(f))), ` +
      'or pass --config-var to force a variable',
    source: settingsFile ? `${settingsFile}:1` : null,
  });
  return byDefault(null, `no YAML load in ${where}: the service reads no YAML`);
}

/**
 * A name the service-name validator accepts (lower case, starting with a letter or digit,
 * then letters, digits, `-`, `_`, `.`): `VEDA` → `veda`, `_Video Pipeline` → `video-pipeline`.
 */
export function toServiceName(raw: string): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
  return name.length > 0 ? name : 'service';
}

/** The service name: the config variable without its suffix (`DISCOVERY_CFG` → `discovery`), else the package, made valid. */
export function detectServiceName(configLoad: Fact<ConfigLoad | null>, pkg: Fact<string>): Fact<string> {
  const variable = configLoad.value?.variable ?? '';
  const stripped = variable.replace(FILE_VARIABLE, '').replace(DIRECTORY_VARIABLE, '');
  if (configLoad.source && stripped !== variable && toServiceName(stripped) !== 'service') {
    return { value: toServiceName(stripped), source: configLoad.source, rule: 'config variable without its suffix' };
  }
  return { value: toServiceName(pkg.value.replace(/_/g, '-')), source: pkg.source, rule: 'Django package name' };
}
