import type { DistinctQuestion } from 'inquirer';
import type { RepoFacts } from '../analyze/analyze.js';
import { DECISIONS, type GeneratorConfig, coerce } from './decisions.js';

/**
 * Inquirer question objects for the decisions that have a prompt, defaulting to the
 * resolved value (flag > stored > detected), so pressing Enter keeps what was detected.
 * Decisions given as flags are not asked.
 */
export function toQuestions(facts: RepoFacts, resolved: GeneratorConfig, flags: Record<string, unknown>): DistinctQuestion[] {
  return DECISIONS.filter((decision) => decision.prompt && flags[decision.key] === undefined).map((decision) => {
    const source = decision.detected ? (facts[decision.key as keyof RepoFacts] as { source?: string | null } | undefined)?.source : undefined;
    const message = source ? `${decision.prompt} (detected in ${source})` : decision.prompt!;
    const value = resolved[decision.key];
    if (decision.kind === 'boolean') return { type: 'confirm', name: decision.key, message, default: value as boolean };
    return {
      type: 'input',
      name: decision.key,
      message,
      default: String(value),
      validate: (input: string) => {
        try {
          return decision.validate?.(coerce(decision, input)) ?? true;
        } catch (error) {
          return (error as Error).message;
        }
      },
    };
  });
}
