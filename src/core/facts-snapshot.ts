import { type RepoFacts, FACT_KEYS } from '../analyze/analyze.js';
import type { Fact } from '../analyze/fact.js';
import type { RepoReader } from '../reader/reader.js';
import { FACTS_SNAPSHOT, parseStateJson } from './state.js';

/** The facts a generation used, as stored in .openedx-ida/facts.json: value and source only. */
export type FactsSnapshot = Record<string, { value: unknown; source: string | null }>;

/** The snapshot of the facts a generation used (stored in .openedx-ida/facts.json). */
export function toFactsSnapshot(facts: RepoFacts): FactsSnapshot {
  return Object.fromEntries(FACT_KEYS.map((key) => [key, { value: facts[key].value, source: facts[key].source }]));
}

/** A fact value in one line; `reasons` (why each system package) is left out as noise. */
function show(value: unknown): string {
  if (value !== null && typeof value === 'object')
    return JSON.stringify(value, (key, item) => (key === 'reasons' ? undefined : item));
  return String(value);
}

/** What changed in the repo since the snapshot: "pythonVersion 3.11 -> 3.12 (requirements/production.txt:2)". */
export function describeFactChanges(before: FactsSnapshot, facts: RepoFacts): string[] {
  const changes: string[] = [];
  for (const key of FACT_KEYS) {
    const now: Fact<unknown> = facts[key];
    const then = before[key];
    if (!then || JSON.stringify(then.value) === JSON.stringify(now.value)) continue;
    changes.push(`${key} ${show(then.value)} -> ${show(now.value)} (${now.source ?? 'default'})`);
  }
  return changes;
}

/** What changed in the repo since the facts snapshot it holds; none when it has no snapshot. */
export function repoChangesSince(reader: RepoReader, facts: RepoFacts): string[] {
  const snapshot = reader.readText(FACTS_SNAPSHOT);
  return snapshot ? describeFactChanges(parseStateJson(FACTS_SNAPSHOT, snapshot) as FactsSnapshot, facts) : [];
}
