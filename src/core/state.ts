import { posix } from 'node:path';
import { IdaError } from '../errors.js';
import type { RepoReader } from '../reader/reader.js';

/**
 * Where the tool keeps what it wrote last time, inside the repo (commit it): a copy of
 * each generated file, so a rerun can tell the user's edits from template changes, and
 * the facts it was generated from, so `check` can say what in the repo changed.
 */
export const STATE_DIR = '.openedx-ida';

/** Where the decisions live (Yeoman's file), under the package's key. */
export const YO_RC = '.yo-rc.json';
export const YO_RC_KEY = 'generator-openedx-ida';

export function pristinePath(file: string): string {
  return posix.join(STATE_DIR, 'pristine', file);
}

export const FACTS_SNAPSHOT = posix.join(STATE_DIR, 'facts.json');

/** Whether a repo-relative path is the tool's own state (decisions, pristine copies, facts). */
export function isStateFile(file: string): boolean {
  return file === YO_RC || file.startsWith(`${STATE_DIR}/`);
}

/** A state file that is not valid JSON. */
export class BadStateFileError extends IdaError {
  constructor(file: string, reason: string) {
    super(`${file} is not valid JSON (${reason})`, `fix or remove ${file}, then run again`);
  }
}

/** Parses a JSON state file, naming it when it is broken. */
export function parseStateJson(file: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadStateFileError(file, (error as Error).message);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new BadStateFileError(file, 'not an object');
  return value as Record<string, unknown>;
}

/** The decisions stored in a repo's .yo-rc.json (under the package's key), or {} when none. */
export function readStoredDecisions(reader: RepoReader): Record<string, unknown> {
  const text = reader.readText(YO_RC);
  if (text === undefined) return {};
  const stored = parseStateJson(YO_RC, text)[YO_RC_KEY] ?? {};
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored))
    throw new BadStateFileError(YO_RC, `"${YO_RC_KEY}" is not an object`);
  // Each output reads its section as an object; anything else was silently taken for "no decisions".
  for (const key of SECTIONS) {
    const section = (stored as Record<string, unknown>)[key];
    if (section !== undefined && (section === null || typeof section !== 'object' || Array.isArray(section)))
      throw new BadStateFileError(YO_RC, `"${key}" is ${JSON.stringify(section)}: not an object`);
  }
  return stored as Record<string, unknown>;
}

/** The keys of .yo-rc.json that hold one output's decisions as an object. */
const SECTIONS = ['compose', 'kubernetes', 'ci', 'tutor', 'vault', 'newrelic', 'private', 'operator'];

/** The .yo-rc.json text with our decisions replaced and every other generator's kept. */
export function yoRcText(reader: RepoReader, decisions: Record<string, unknown>): string {
  const text = reader.readText(YO_RC);
  const others = text === undefined ? {} : parseStateJson(YO_RC, text);
  return `${JSON.stringify({ ...others, [YO_RC_KEY]: decisions }, null, 2)}\n`;
}
