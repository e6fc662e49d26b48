import type { DistinctQuestion } from 'inquirer';
import type { RepoFacts } from '../analyze/analyze.js';
import { DECISIONS, type GeneratorConfig, resolveConfig } from './decisions.js';

/**
 * Inquirer question objects for the decisions that have a prompt, defaulting to the
 * resolved value (flag > stored > detected), so pressing Enter keeps what was detected. Defaults
 * follow earlier answers (a new service name moves the example config's name).
 * Decisions given as flags are not asked.
 */
export function toQuestions(
  facts: RepoFacts,
  flags: Record<string, unknown>,
  stored: Record<string, unknown> = {},
): DistinctQuestion[] {
  const resolvedWith = (answers: Record<string, unknown>): GeneratorConfig =>
    resolveConfig(facts, { flags, answers, stored });
  return DECISIONS.filter((decision) => decision.prompt && flags[decision.key] === undefined).map((decision) => {
    const source = decision.decision.detected
      ? (facts[decision.key as keyof RepoFacts] as { source?: string | null } | undefined)?.source
      : undefined;
    const message = source ? `${decision.prompt} (detected in ${source})` : decision.prompt!;
    if (decision.kind === 'boolean') {
      return {
        type: 'confirm',
        name: decision.key,
        message,
        default: (answers: Record<string, unknown>) => resolvedWith(answers)[decision.key] as boolean,
      };
    }
    return {
      type: 'input',
      name: decision.key,
      message,
      default: (answers: Record<string, unknown>) => String(resolvedWith(answers)[decision.key]),
      validate: (input: string) => decision.validate(input),
    };
  });
}
