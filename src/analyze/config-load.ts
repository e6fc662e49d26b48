import type { SyntaxNode } from '@lezer/common';
import { type AnalysisWarning, type Fact, byDefault, found } from './fact.js';
import type { EnvRead, PyModule } from './python.js';
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
  /** The module that loads the YAML (may be star-imported by the production module). */
  module: string;
  /** `DICT_UPDATE_KEYS`: dict settings the YAML updates key by key instead of replacing. */
  dictUpdateKeys: string[];
}

const YAML_LOADERS = /^(yaml\.)?(safe_load|load|full_load)$/;
const FILE_VARIABLE = /_(CFG|CONFIG|CONFIG_FILE|CFG_FILE|YAML|YAML_FILE|SETTINGS_FILE)$/;
const DIRECTORY_VARIABLE = /_(CONFIG_ROOT|CFG_ROOT|CONFIG_DIR|CFG_DIR|CONFIG_PATH)$/;

/** A `yaml.safe_load(...)`-style call in the module, if any. */
function findYamlLoad(module: PyModule) {
  return module.calls().find((call) => YAML_LOADERS.test(call.callee) && (call.callee.startsWith('yaml.') || call.keywords.has('Loader') || call.callee === 'safe_load'));
}

/** Whether the module (or anything it star-imports) loads YAML. */
export function loadsYaml(python: PythonFiles, file: string): boolean {
  return python.starClosure(file).some((module) => findYamlLoad(module) !== undefined);
}

interface Traced {
  read: EnvRead;
  fileInDirectory: string | null;
}

/**
 * Follows the YAML load's argument back to an environment read:
 * `yaml.safe_load(f)` ← `with open(CONFIG_FILE) as f` ← `CONFIG_FILE = get_env_setting('X_CFG')`,
 * through at most a few names, and through `os.path.join(DIR, 'file.yml')`.
 */
function traceToEnv(module: PyModule, node: SyntaxNode | undefined, reads: EnvRead[], depth = 0): Traced | undefined {
  if (!node || depth > 6) return undefined;
  const direct = reads.find((read) => read.node.from >= node.from && read.node.to <= node.to && read.form !== 'membership-test');
  if (node.name === 'CallExpression') {
    const callee = module.textOf(node.firstChild!).replace(/\s+/g, '');
    const args = module.calls().find((call) => call.node.from === node.from && call.node.to === node.to)?.args ?? [];
    if (/(^|\.)join$/.test(callee) || callee === 'Path') {
      const fileName = args.map((arg) => module.stringValue(arg)).find((value) => value && /\.ya?ml$/.test(value));
      for (const arg of args) {
        const traced = traceToEnv(module, arg, reads, depth + 1);
        if (traced) return { read: traced.read, fileInDirectory: fileName ?? traced.fileInDirectory };
      }
    }
    if (callee === 'open' || callee.endsWith('.open')) return traceToEnv(module, args[0], reads, depth + 1);
  }
  if (direct) return { read: direct, fileInDirectory: null };
  if (node.name === 'VariableName') {
    const assignment = module.assignments().get(module.textOf(node));
    if (assignment) return traceToEnv(module, assignment.value, reads, depth + 1);
    // `with open(X) as f: yaml.safe_load(f)`: the name is bound by the enclosing with.
    for (let parent = node.parent; parent; parent = parent.parent) {
      if (parent.name !== 'WithStatement') continue;
      const bound = parent.getChildren('VariableName').find((name) => module.textOf(name) === module.textOf(node));
      if (bound) return traceToEnv(module, parent.getChild('CallExpression') ?? undefined, reads, depth + 1);
    }
  }
  return undefined;
}

/** Whether `node` sits under an `if` that tests `name` (`if 'X' in environ:`): an optional load. */
function isGuarded(node: SyntaxNode, name: string, reads: EnvRead[]): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.name !== 'IfStatement') continue;
    const body = parent.getChild('Body');
    const conditionEnd = body?.from ?? parent.to;
    if (reads.some((other) => other.name === name && other.node.from >= parent.from && other.node.to <= conditionEnd)) return true;
  }
  return false;
}

/**
 * Finds the config variable by reading the code that loads the YAML: the production
 * module and the modules it star-imports. Falls back to a name derived from the package
 * (marked as a default, with a warning) only when no load can be found.
 */
export function detectConfigLoad(
  python: PythonFiles,
  settingsFile: string | undefined,
  pkg: string,
  warnings: AnalysisWarning[],
): Fact<ConfigLoad> {
  const modules = settingsFile ? python.starClosure(settingsFile) : [];
  for (const module of [...modules].reverse()) {
    const call = findYamlLoad(module);
    if (!call) continue;
    const reads = module.envReads();
    const dictUpdate = module.assignments().get('DICT_UPDATE_KEYS');
    const dictUpdateValue = dictUpdate ? module.literal(dictUpdate.value) : undefined;
    const dictUpdateKeys = Array.isArray(dictUpdateValue) ? dictUpdateValue.filter((key): key is string => typeof key === 'string') : [];
    const loader = call.keywords.has('Loader') ? `${call.callee}(Loader=${module.textOf(call.keywords.get('Loader')!)})` : call.callee;
    const base = { loader, module: module.file, dictUpdateKeys };

    const traced = traceToEnv(module, call.args[0], reads);
    if (traced) {
      const { read, fileInDirectory } = traced;
      const required = read.required && !isGuarded(read.node, read.name, reads) && !isGuarded(call.node, read.name, reads);
      return found(
        { ...base, variable: read.name, required, fileInDirectory },
        module.file,
        read.line,
        `environment variable read by the ${call.callee} call at line ${call.line}`,
      );
    }
    const byName = reads.find((read) => FILE_VARIABLE.test(read.name)) ?? reads.find((read) => DIRECTORY_VARIABLE.test(read.name));
    if (byName) {
      const directory = DIRECTORY_VARIABLE.test(byName.name);
      const fileInDirectory = directory ? (module.strings().find((s) => /\.ya?ml$/.test(s.value))?.value ?? null) : null;
      const required = !isGuarded(call.node, byName.name, reads) && reads.some((read) => read.name === byName.name && read.required && !isGuarded(read.node, read.name, reads));
      return found(
        { ...base, variable: byName.name, required, fileInDirectory },
        module.file,
        byName.line,
        `environment variable named like a config file in the module that calls ${call.callee}`,
      );
    }
  }
  const variable = `${pkg.toUpperCase()}_CFG`;
  warnings.push({
    message: `no YAML config load found in ${settingsFile ?? 'the settings'}; assuming ${variable} (pass --config-var to set it)`,
    source: settingsFile ? `${settingsFile}:1` : null,
  });
  return byDefault(
    { variable, required: true, fileInDirectory: null, loader: 'yaml.safe_load', module: settingsFile ?? '', dictUpdateKeys: [] },
    'no YAML load found; name derived from the Django package',
  );
}

/** The service name: the config variable without its suffix (`DISCOVERY_CFG` → `discovery`). */
export function detectServiceName(configLoad: Fact<ConfigLoad>, pkg: Fact<string>): Fact<string> {
  const stripped = configLoad.value.variable.replace(FILE_VARIABLE, '').replace(DIRECTORY_VARIABLE, '');
  if (configLoad.source && stripped !== configLoad.value.variable && stripped.length > 0) {
    return { value: stripped.toLowerCase(), source: configLoad.source, rule: 'config variable without its suffix' };
  }
  return { value: pkg.value.replace(/_/g, '-'), source: pkg.source, rule: 'Django package name' };
}
