import fs from 'fs-extra';
import { join } from 'node:path';
import { IdaError } from '../errors.js';
import { resolveConfig, toStoredConfig } from '../model/decisions.js';
import { DiskReader } from '../reader/disk-reader.js';
import { analyzeStoredRepo, expectedFiles, readStoredDecisions } from './expected.js';
import { repoChangesSince, toFactsSnapshot } from './facts-snapshot.js';
import { outcomeOf, planWrite } from './plan.js';
import { FACTS_SNAPSHOT, pristinePath } from './pristine.js';
import { assertSafeWrite } from './safe-path.js';

/** What regenerating one repo did (or, for a check, would do). */
export interface RepoResult {
  repo: string;
  created: string[];
  changed: string[];
  identical: string[];
  conflicts: string[];
  error: string | null;
  repoChanges: string[];
}

export function emptyResult(repo: string): RepoResult {
  return { repo, created: [], changed: [], identical: [], conflicts: [], error: null, repoChanges: [] };
}

/**
 * Regenerates a repo as `openedx-ida --yes` would, without Yeoman and without prompts,
 * for batch runs: detected values on a first run, stored decisions after; each file merged
 * with the user's edits (see planWrite). A hand-written file (no pristine copy) is left
 * alone and reported as a conflict unless `force`. Writes only inside the repo.
 */
export function regenerateRepo(root: string, options: { force?: boolean } = {}): RepoResult {
  const result = emptyResult(root);
  try {
    const reader = new DiskReader(root);
    let stored = readStoredDecisions(reader);
    const facts = analyzeStoredRepo(reader, stored);
    // No app decisions stored yet (a first run, or only derivatives): take the detected values, as --yes does.
    if (facts && Object.keys(stored).every((key) => ['newrelic', 'private', 'baseImage', 'operator'].includes(key))) {
      stored = { ...toStoredConfig(resolveConfig(facts, { stored }), facts), ...stored };
    }
    if (facts) result.repoChanges = repoChangesSince(reader, facts);
    const { files } = expectedFiles(reader, stored, facts);
    const writes = new Map<string, string>();
    for (const [file, next] of files) {
      const plan = planWrite(next, reader.readText(file), reader.readText(pristinePath(file)));
      // --force overwrites a hand-written file: it counts as changed, not as a conflict.
      result[options.force && plan.action === 'ask' ? 'changed' : outcomeOf(plan.action)].push(file);
      if (plan.action === 'ask' && !options.force) continue;
      writes.set(file, options.force ? next : plan.content);
      writes.set(pristinePath(file), next);
    }
    if (facts) writes.set(FACTS_SNAPSHOT, `${JSON.stringify(toFactsSnapshot(facts), null, 2)}\n`);
    const yoRc = reader.readText('.yo-rc.json');
    writes.set('.yo-rc.json', `${JSON.stringify({ ...(yoRc ? JSON.parse(yoRc) : {}), 'generator-openedx-ida': stored }, null, 2)}\n`);
    // Everything is computed and checked before anything is written: a failure leaves the repo as it was.
    for (const file of writes.keys()) assertSafeWrite(root, file);
    for (const [file, content] of writes) {
      const path = join(root, file);
      if (!fs.existsSync(path) || fs.readFileSync(path, 'utf8') !== content) fs.outputFileSync(path, content);
    }
  } catch (error) {
    result.error = error instanceof IdaError ? error.oneLine : `unexpected error: ${(error as Error).message}`;
  }
  return result;
}
