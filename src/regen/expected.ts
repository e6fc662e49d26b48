import { type RepoFacts, analyzeRepo } from '../analyze/analyze.js';
import { NotADjangoServiceError } from '../errors.js';
import { resolveConfig } from '../model/decisions.js';
import { type NewrelicConfig, type PrivateConfig, resolveNewrelicConfig, resolvePrivateConfig, toNewrelicModel, toPrivateModel } from '../model/derivatives.js';
import { resolvePublicImage } from '../model/resolve-public-image.js';
import type { RepoReader } from '../reader/reader.js';
import { renderAppFiles, renderTemplate } from '../render/render.js';

/** The files a regeneration would write from the stored decisions, and the facts it used. */
export interface Expected {
  files: Map<string, string>;
  /** Null in an operator repo (no IDA source). */
  facts: RepoFacts | null;
}

/** The decisions stored in a repo's .yo-rc.json (under the package's key), or {} when none. */
export function readStoredDecisions(reader: RepoReader): Record<string, unknown> {
  const text = reader.readText('.yo-rc.json');
  if (text === undefined) return {};
  return ((JSON.parse(text) as Record<string, unknown>)['generator-openedx-ida'] ?? {}) as Record<string, unknown>;
}

/**
 * The repo's facts, or null for an operator repo (no IDA source, operator decisions stored).
 * Any other analysis error is thrown.
 */
export function analyzeStoredRepo(reader: RepoReader, stored: Record<string, unknown>): RepoFacts | null {
  try {
    return analyzeRepo(reader);
  } catch (error) {
    if (!(error instanceof NotADjangoServiceError) || !stored.operator) throw error;
    return null;
  }
}

/**
 * Regenerates in memory what `openedx-ida` (with --yes) would write in this repo: the app
 * files in a service repo, and each derivative whose decisions are stored. `facts` is the
 * repo's analysis (see analyzeStoredRepo).
 */
export function expectedFiles(reader: RepoReader, stored: Record<string, unknown>, facts: RepoFacts | null): Expected {
  const files = new Map<string, string>();
  if (facts) for (const [file, content] of renderAppFiles(facts, resolveConfig(facts, { stored }))) files.set(file, content);
  if (stored.newrelic || stored.private) {
    const { image } = resolvePublicImage(reader, stored, {}, facts);
    if (stored.newrelic) {
      const config = resolveNewrelicConfig({}, stored.newrelic as Partial<NewrelicConfig>);
      files.set(config.file, renderTemplate('newrelic/Dockerfile.ejs', toNewrelicModel(image, config)));
    }
    if (stored.private) {
      const config = resolvePrivateConfig({}, stored.private as Partial<PrivateConfig>);
      files.set(config.file, renderTemplate('private/Dockerfile.ejs', toPrivateModel(image, config)));
    }
  }
  return { files, facts };
}
