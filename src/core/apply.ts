import type { RepoReader } from '../reader/reader.js';
import type { Generation } from './generate.js';
import { type FilePlan, isLeftAlone, planFiles, writesFor } from './plan.js';
import { FACTS_SNAPSHOT, YO_RC, pristinePath, yoRcText } from './state.js';

/**
 * How a run reports one file, in Yeoman's words (`create`, `identical`, `force`, `conflict`), and
 * `update` for the tool's own state (.yo-rc.json, .openedx-ida/): rewriting it is routine, not an
 * overwrite of anything the user wrote.
 */
export interface FileStatus {
  status: 'create' | 'identical' | 'force' | 'update' | 'conflict';
  file: string;
}

/** A non-interactive run planned against the disk: nothing is written yet. */
export interface PlannedRun {
  plans: FilePlan[];
  /**
   * Every file to write (generated files, pristine copies, facts, .yo-rc.json), only those that
   * change; empty when the run is refused.
   */
  writes: Map<string, string>;
  statuses: FileStatus[];
  /** Files left alone without `force` (hand-written, or with unresolved markers): the run writes nothing. */
  refused: string[];
}

/** The tool's state files for a generation, only those whose content changes. */
export function stateWrites(reader: RepoReader, generation: Generation): Map<string, string> {
  const writes = new Map<string, string>();
  const yoRc = yoRcText(reader, generation.decisions);
  if (reader.readText(YO_RC) !== yoRc) writes.set(YO_RC, yoRc);
  if (generation.snapshot) {
    const snapshot = `${JSON.stringify(generation.snapshot, null, 2)}\n`;
    if (reader.readText(FACTS_SNAPSHOT) !== snapshot) writes.set(FACTS_SNAPSHOT, snapshot);
  }
  return writes;
}

/**
 * Plans a run without prompts (the fast path, batch): each generated file merged with the
 * user's edits, the state files updated only when they change. A hand-written file or one with
 * unresolved conflict markers refuses the whole run unless `force`: nothing is written, not
 * even .yo-rc.json, so the run after the user's decision (`--force`) is still a first run.
 * Reports each file as Yeoman would (state files as `update`).
 */
export function planRun(reader: RepoReader, generation: Generation, options: { force?: boolean }): PlannedRun {
  const plans = planFiles(reader, generation.files);
  const generated = writesFor(plans, options);
  const state = stateWrites(reader, generation);
  const writes = new Map<string, string>([...state].filter(([file]) => file === YO_RC));
  const statuses: FileStatus[] = [];
  const report = (file: string) =>
    statuses.push({ status: reader.readText(file) === undefined && !reader.isFile(file) ? 'create' : 'update', file });
  if (writes.has(YO_RC)) report(YO_RC);
  for (const plan of plans) {
    const write = generated.get(plan.file);
    if (write !== undefined) {
      writes.set(plan.file, write);
      statuses.push({ status: plan.disk === undefined ? 'create' : 'force', file: plan.file });
    } else {
      statuses.push({ status: isLeftAlone(plan, options) ? 'conflict' : 'identical', file: plan.file });
    }
    const pristine = generated.get(pristinePath(plan.file));
    if (pristine !== undefined) {
      report(pristinePath(plan.file));
      writes.set(pristinePath(plan.file), pristine);
    }
  }
  for (const [file, content] of state) {
    if (file === YO_RC) continue;
    writes.set(file, content);
    report(file);
  }
  const refused = plans.filter((plan) => isLeftAlone(plan, options)).map((plan) => plan.file);
  if (refused.length > 0)
    return { plans, writes: new Map(), statuses: statuses.filter(({ status }) => status === 'conflict'), refused };
  return { plans, writes, statuses, refused };
}
