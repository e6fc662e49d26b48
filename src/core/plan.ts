import type { RepoReader } from '../reader/reader.js';
import { pristinePath } from './state.js';
import { mergeDiff3 } from 'node-diff3';

/**
 * What to do with one generated file, given what is on disk and the version this tool
 * wrote last time (the "pristine" copy):
 * - `create`: no file on disk;
 * - `identical`: the disk already has the new content;
 * - `update`: the user never touched the file: take the new content;
 * - `keep`: the user edited it and the template did not change: keep their file;
 * - `merge`: both changed in different places: the merged content keeps both;
 * - `conflict`: both changed the same lines: the content has conflict markers;
 * - `unresolved`: the file still has the markers of an earlier conflict: nothing is written
 *   until the user resolves them (or --force takes the generated version);
 * - `ask`: no pristine copy to compare with (a hand-written file): never overwritten without
 *   the user's consent (a prompt, or --force), and never adopted as "your edits".
 */
export type WriteAction = 'create' | 'identical' | 'update' | 'keep' | 'merge' | 'conflict' | 'unresolved' | 'ask';

export interface WritePlan {
  action: WriteAction;
  /** What to write (for `keep`, the disk content). */
  content: string;
}

const LABELS = { a: 'your edit', o: 'last generated', b: 'generator' };

/** Both marker lines of a conflict this tool left, each at the start of a line. */
const MARKERS = [/^<{7} your edit$/m, /^>{7} generator$/m];

/** Whether a file still holds a conflict this tool left and the user has not resolved. */
export function hasConflictMarkers(text: string): boolean {
  return MARKERS.every((marker) => marker.test(text));
}

function split(text: string): string[] {
  return text.split('\n');
}

/**
 * Three-way merge of a generated file: the user's edits stay, template and detection
 * changes come in, and lines both changed are left between conflict markers.
 */
export function planWrite(next: string, disk: string | undefined, pristine: string | undefined): WritePlan {
  if (disk === undefined) return { action: 'create', content: next };
  if (disk === next) return { action: 'identical', content: next };
  if (hasConflictMarkers(disk)) return { action: 'unresolved', content: disk };
  if (pristine === undefined) return { action: 'ask', content: next };
  if (disk === pristine) return { action: 'update', content: next };
  if (next === pristine) return { action: 'keep', content: disk };
  const merged = mergeDiff3(split(disk), split(pristine), split(next), { label: LABELS });
  return { action: merged.conflict ? 'conflict' : 'merge', content: merged.result.join('\n') };
}

/** How a batch or check summary counts a file: by what a regeneration does (or would do) to it. */
export function outcomeOf(action: WriteAction): 'created' | 'changed' | 'identical' | 'conflicts' {
  if (action === 'identical' || action === 'keep') return 'identical';
  if (action === 'create') return 'created';
  if (action === 'conflict' || action === 'unresolved' || action === 'ask') return 'conflicts';
  return 'changed';
}

/** One generated file planned against the disk: what regeneration does to it. */
export interface FilePlan extends WritePlan {
  file: string;
  /** What the generator renders now (the next pristine copy). */
  next: string;
  /** The file on disk, when there is one. */
  disk: string | undefined;
  /** The pristine copy on disk, when there is one. */
  pristine: string | undefined;
}

/** Plans every generated file against the disk and its pristine copy. */
export function planFiles(reader: RepoReader, files: Map<string, string>): FilePlan[] {
  return [...files].map(([file, next]) => {
    const disk = reader.readText(file);
    const pristine = reader.readText(pristinePath(file));
    return { file, next, disk, pristine, ...planWrite(next, disk, pristine) };
  });
}

/**
 * The files a non-interactive run writes for these plans: a hand-written file (`ask`) or one
 * with unresolved markers is left alone unless `force`; a pristine copy is written only
 * with its file, so it records only what this tool actually wrote (nothing is adopted).
 * Files whose content would not change are left out.
 */
export function writesFor(plans: FilePlan[], options: { force?: boolean }): Map<string, string> {
  const writes = new Map<string, string>();
  for (const plan of plans) {
    if (isLeftAlone(plan, options)) continue;
    const content = options.force ? plan.next : plan.content;
    if (content !== plan.disk) writes.set(plan.file, content);
    if (plan.next !== plan.pristine) writes.set(pristinePath(plan.file), plan.next);
  }
  return writes;
}

/** A hand-written file (`ask`) or one with unresolved markers: not written unless `force`. */
export function isLeftAlone(plan: FilePlan, options: { force?: boolean }): boolean {
  return !options.force && (plan.action === 'ask' || plan.action === 'unresolved');
}
