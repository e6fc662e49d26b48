import type { RepoFacts } from '../analyze/analyze.js';
import { type DecisionDefault, type OptionSpec, type Origin, OPTIONS, validateOption } from './options.js';

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

/** One decision of the app generator: a row of the options table that has a default. */
export interface DecisionSpec extends OptionSpec {
  key: keyof GeneratorConfig;
  decision: DecisionDefault;
  /** Returns true, or what is wrong (the prompt's validation). */
  validate: (value: unknown) => string | true;
}

/**
 * The app's decisions, read from the one options table (src/model/options.ts) that drives
 * CLI flags, prompts, validation and what is stored. Order matters: later `initial`
 * functions may read earlier decisions.
 */
export const DECISIONS: DecisionSpec[] = OPTIONS.filter((spec) => spec.decision !== undefined).map((spec) => ({
  ...spec,
  key: spec.key as keyof GeneratorConfig,
  decision: spec.decision!,
  validate: (value: unknown) => {
    try {
      validateOption(spec, value, { from: 'answer' });
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  },
}));

/**
 * Applies precedence per decision: flag > prompt answer > stored decision > detected/default.
 * Every value, whichever its source, is checked against the option's grammar: throws
 * InvalidOptionError naming the flag (and, for a stored value, `.yo-rc.json` and the key).
 */
export function resolveConfig(
  facts: RepoFacts,
  sources: { flags?: Record<string, unknown>; stored?: Record<string, unknown>; answers?: Record<string, unknown> },
): GeneratorConfig {
  const partial: Partial<GeneratorConfig> = {};
  for (const decision of DECISIONS) {
    const candidates: [unknown, Origin][] = [
      [sources.flags?.[decision.key], { from: 'flag' }],
      [sources.answers?.[decision.key], { from: 'answer' }],
      [sources.stored?.[decision.key], { from: 'stored', key: decision.key }],
    ];
    const [raw, origin] = candidates.find(([value]) => value !== undefined && value !== null) ?? [];
    const detected = facts[decision.key as keyof RepoFacts] as { source?: string | null } | undefined;
    const value =
      origin === undefined
        ? validateOption(decision, decision.decision.initial(facts, partial), {
            from: 'detected',
            source: detected?.source ?? null,
          })
        : validateOption(decision, raw, origin);
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
    const initial = decision.decision.initial(facts, partial);
    if (!decision.decision.detected || value !== initial) stored[decision.key] = value;
    (partial as Record<string, unknown>)[decision.key] = value;
  }
  return stored as Partial<GeneratorConfig>;
}
