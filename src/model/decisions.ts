import type { RepoFacts } from '../analyze/analyze.js';
import { InvalidOptionError } from '../errors.js';

/**
 * The user's decisions for the app generator: everything that shapes the output and is
 * not a fact about the repo. Stored in `.yo-rc.json` (only where it differs from what
 * detection says, so a rerun follows the repo when it changes).
 */
export interface GeneratorConfig {
  service: string;
  settingsModule: string;
  /** The YAML's environment variable; '' when the service reads no YAML (no variable, no example YAML). */
  configVar: string;
  configPath: string;
  pythonVersion: string;
  debianRelease: string;
  port: number;
  workers: number;
  uid: number;
  venvPath: string;
  appDir: string;
  exampleConfig: string;
  collectstatic: boolean;
  cacheMounts: boolean;
}

type Kind = 'string' | 'number' | 'boolean';

/** One decision: its CLI flag, its prompt (if asked), how it is validated and defaulted. */
export interface DecisionSpec {
  key: keyof GeneratorConfig;
  flag: string;
  kind: Kind;
  description: string;
  /** The prompt text; decisions without one are flags only. */
  prompt?: string;
  /** The value when no flag or stored answer sets it: detected, or a default. */
  initial: (facts: RepoFacts, partial: Partial<GeneratorConfig>) => string | number | boolean;
  /** Whether `initial` is a detected fact (stored only when the user overrides it). */
  detected: boolean;
  /** Returns true, or what is wrong; receives a value of the decision's kind. */
  validate?: (value: any) => string | true;
}

const PYTHON_VERSION = /^3\.\d{1,2}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const SERVICE = /^[a-z0-9][a-z0-9_.-]*$/;

function spec(value: DecisionSpec): DecisionSpec {
  return value;
}

/**
 * The one table that drives CLI flags, prompts, validation and what is stored.
 * Order matters: later `initial` functions may read earlier decisions.
 */
export const DECISIONS = [
  spec({ key: 'service', flag: 'service', kind: 'string', description: 'Service name (image title, gunicorn --name, config file name)', prompt: 'Service name', detected: true, initial: (f) => f.service.value, validate: (v: string) => SERVICE.test(v) || 'use lowercase letters, digits, - _ .' }),
  spec({ key: 'settingsModule', flag: 'settings-module', kind: 'string', description: 'Production Django settings module', prompt: 'Production settings module', detected: true, initial: (f) => f.settingsModule.value, validate: (v: string) => DOTTED.test(v) || 'use a dotted module name such as mypkg.settings.production' }),
  spec({ key: 'configVar', flag: 'config-var', kind: 'string', description: 'Environment variable the settings read the YAML path from (empty: the settings read no YAML)', prompt: 'Config variable (empty: the settings read no YAML)', detected: true, initial: (f) => f.configVar.value ?? '', validate: (v: string) => v === '' || ENV_NAME.test(v) || 'use an environment variable name such as MYIDA_CFG' }),
  spec({ key: 'configPath', flag: 'config-path', kind: 'string', description: 'Absolute path the YAML is mounted at', prompt: 'Config file path in the container', detected: true, initial: (f, p) => (p.service && p.service !== f.service.value && !f.configLoad.value?.fileInDirectory ? `/edx/etc/${p.service}.yml` : f.configPath.value), validate: (v: string) => (v.startsWith('/') && /\.ya?ml$/.test(v)) || 'use an absolute path ending in .yml' }),
  spec({ key: 'pythonVersion', flag: 'python-version', kind: 'string', description: 'Python major.minor for the base image', prompt: 'Python version', detected: true, initial: (f) => f.pythonVersion.value, validate: (v: string) => PYTHON_VERSION.test(v) || 'use major.minor such as 3.11' }),
  spec({ key: 'port', flag: 'port', kind: 'number', description: 'Port gunicorn listens on', prompt: 'Service port', detected: true, initial: (f) => f.port.value, validate: (v: number) => (Number.isInteger(v) && v > 0 && v < 65536) || 'use a port between 1 and 65535' }),
  spec({ key: 'exampleConfig', flag: 'example-config', kind: 'string', description: 'Where to write the example YAML, relative to the repo', prompt: 'Example config file', detected: false, initial: (f, p) => `${p.service ?? f.service.value}.example.yml`, validate: (v: string) => (!v.startsWith('/') && !v.split('/').includes('..') && /\.ya?ml$/.test(v)) || 'use a relative path inside the repo ending in .yml' }),
  spec({ key: 'cacheMounts', flag: 'cache-mounts', kind: 'boolean', description: 'Use BuildKit cache mounts for pip (needs BuildKit or buildah)', prompt: 'Use BuildKit cache mounts for pip?', detected: false, initial: () => false }),
  spec({ key: 'collectstatic', flag: 'collectstatic', kind: 'boolean', description: 'Run collectstatic at build time', detected: true, initial: (f) => f.staticFiles.value.collectstatic }),
  spec({ key: 'debianRelease', flag: 'debian-release', kind: 'string', description: 'Debian release of the python:*-slim base', detected: false, initial: () => 'bookworm', validate: (v: string) => /^[a-z]+$/.test(v) || 'use a Debian codename such as bookworm' }),
  spec({ key: 'workers', flag: 'workers', kind: 'number', description: 'gunicorn worker processes', detected: false, initial: () => 2, validate: (v: number) => (Number.isInteger(v) && v > 0) || 'use a positive integer' }),
  spec({ key: 'uid', flag: 'uid', kind: 'number', description: 'Numeric user (and group) the service runs as', detected: false, initial: () => 1000, validate: (v: number) => (Number.isInteger(v) && v > 0) || 'use a non-zero numeric UID' }),
  spec({ key: 'venvPath', flag: 'venv-path', kind: 'string', description: 'Virtualenv path in the image', detected: false, initial: () => '/opt/venv', validate: (v: string) => v.startsWith('/') || 'use an absolute path' }),
  spec({ key: 'appDir', flag: 'app-dir', kind: 'string', description: 'Where the code lives in the image', detected: false, initial: (f, p) => `/edx/app/${p.service ?? f.service.value}`, validate: (v: string) => v.startsWith('/') || 'use an absolute path' }),
];

/** Turns a flag's raw value (string from the CLI, or typed) into the decision's type. */
export function coerce(spec: DecisionSpec, raw: unknown): string | number | boolean {
  if (spec.kind === 'number') {
    const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (!Number.isFinite(value)) throw new InvalidOptionError(`--${spec.flag} must be a number, got ${JSON.stringify(raw)}`, `pass --${spec.flag} <number>`);
    return value;
  }
  if (spec.kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    return !['false', '0', 'no', 'off'].includes(String(raw).toLowerCase());
  }
  return String(raw);
}

/**
 * Applies precedence per decision: flag > prompt answer > stored decision > detected/default.
 * Throws InvalidOptionError naming the flag when a value is not valid.
 */
export function resolveConfig(
  facts: RepoFacts,
  sources: { flags?: Record<string, unknown>; stored?: Record<string, unknown>; answers?: Record<string, unknown> },
): GeneratorConfig {
  const partial: Partial<GeneratorConfig> = {};
  for (const decision of DECISIONS) {
    const raw = [sources.flags?.[decision.key], sources.answers?.[decision.key], sources.stored?.[decision.key]].find((value) => value !== undefined && value !== null);
    const value = raw === undefined ? decision.initial(facts, partial) : coerce(decision, raw);
    const valid = decision.validate?.(value) ?? true;
    if (valid !== true) {
      throw new InvalidOptionError(`--${decision.flag} ${JSON.stringify(value)} is not valid (${valid})`, `pass a valid --${decision.flag}, or fix ${decision.key} in .yo-rc.json`);
    }
    (partial as Record<string, unknown>)[decision.key] = value;
  }
  return partial as GeneratorConfig;
}

/**
 * What goes into `.yo-rc.json`: decisions that are not detected, and detected ones only
 * where the user chose something else, so regeneration follows the repo otherwise.
 */
export function toStoredConfig(config: GeneratorConfig, facts: RepoFacts): Partial<GeneratorConfig> {
  const stored: Record<string, unknown> = {};
  const partial: Partial<GeneratorConfig> = {};
  for (const decision of DECISIONS) {
    const value = config[decision.key as keyof GeneratorConfig];
    const initial = decision.initial(facts, partial);
    if (!decision.detected || value !== initial) stored[decision.key] = value;
    (partial as Record<string, unknown>)[decision.key] = value;
  }
  return stored as Partial<GeneratorConfig>;
}
