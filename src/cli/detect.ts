import { type RepoFacts, FACT_KEYS, analyzeRepo } from '../analyze/analyze.js';
import { DiskReader } from '../reader/disk-reader.js';

/** The facts as `detect --json` prints them: `{ key: { value, source, rule } }` plus warnings. */
export function factsToJson(facts: RepoFacts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of FACT_KEYS) out[key] = facts[key];
  out.warnings = facts.warnings;
  return out;
}

function show(value: unknown): string {
  if (value === null) return '-';
  if (Array.isArray(value)) return value.join(', ') || '-';
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== null && !(Array.isArray(item) && item.length === 0) && typeof item !== 'object')
      .map(([key, item]) => `${key}=${item}`)
      .concat(
        Object.entries(value as Record<string, unknown>)
          .filter(([, item]) => Array.isArray(item) && item.length > 0)
          .map(([key, item]) => `${key}=${(item as unknown[]).join(' ')}`),
      )
      .join(' ');
  }
  return String(value);
}

/** The facts as a table for people: key, value, and where it came from. */
export function factsToText(facts: RepoFacts): string {
  const width = Math.max(...FACT_KEYS.map((key) => key.length));
  const lines = FACT_KEYS.map((key) => {
    const fact = facts[key];
    return `${key.padEnd(width)}  ${show(fact.value)}\n${' '.repeat(width)}  ↳ ${fact.source ?? 'default'} (${fact.rule})`;
  });
  for (const warning of facts.warnings) lines.push(`warning: ${warning.message}`);
  return lines.join('\n');
}

/** `openedx-ida detect [REPO] [--json]`. */
export function runDetect(repo: string, options: { json?: boolean }, write: (text: string) => void): void {
  const facts = analyzeRepo(new DiskReader(repo));
  write(options.json ? JSON.stringify(factsToJson(facts), null, 2) : factsToText(facts));
}
