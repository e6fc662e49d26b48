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
 * - `ask`: no pristine copy to compare with (a hand-written file): Yeoman's conflict handling decides.
 */
export type WriteAction = 'create' | 'identical' | 'update' | 'keep' | 'merge' | 'conflict' | 'ask';

export interface WritePlan {
  action: WriteAction;
  /** What to write (for `keep`, the disk content). */
  content: string;
}

const LABELS = { a: 'your edit', o: 'last generated', b: 'generator' };

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
  if (action === 'conflict' || action === 'ask') return 'conflicts';
  return 'changed';
}
