import type Generator from 'yeoman-generator';
import type { Generation } from '../src/core/generate.js';
import { type FilePlan, planFiles } from '../src/core/plan.js';
import { assertSafeWrite } from '../src/core/safe-write.js';
import { FACTS_SNAPSHOT, YO_RC, pristinePath } from '../src/core/state.js';
import type { RepoReader } from '../src/reader/reader.js';
import { deferPristine } from './safe-commit.js';

/** Plans that resolve the difference with the disk themselves: Yeoman's conflicter must not ask. */
const DECIDED = new Set<FilePlan['action']>(['update', 'keep', 'merge', 'conflict']);

/**
 * Queues a generation's files in Yeoman's file system, merged with the user's edits: each
 * file is compared with the copy this tool wrote last time (.openedx-ida/pristine), so an
 * untouched file is regenerated, an edited one keeps the edits, and a clash gets conflict
 * markers. A hand-written file goes to Yeoman's conflicter (asked in a terminal); its
 * pristine copy follows only if it is overwritten. A file with unresolved markers is left
 * alone. With --force every file takes the generated version. The decisions go to
 * .yo-rc.json and the facts to .openedx-ida/facts.json. The commit (safe-commit.ts) writes.
 */
export function queueGeneration(generator: Generator, reader: RepoReader, generation: Generation): FilePlan[] {
  const force = (generator.options as { force?: boolean }).force === true;
  const root = generator.destinationRoot();
  // Checked before anything is queued: the run fails with nothing written.
  for (const file of [...generation.files.keys()].flatMap((file) => [file, pristinePath(file)]))
    assertSafeWrite(root, file);
  for (const file of [YO_RC, ...(generation.snapshot ? [FACTS_SNAPSHOT] : [])]) assertSafeWrite(root, file);
  const plans = planFiles(reader, generation.files);
  for (const plan of plans) {
    const target = generator.destinationPath(plan.file);
    const pristine = () => generator.fs.write(generator.destinationPath(pristinePath(plan.file)), plan.next);
    if (force) {
      generator.fs.write(target, plan.next);
      pristine();
    } else if (plan.action === 'ask') {
      generator.fs.write(target, plan.next);
      deferPristine(generator, target, pristinePath(plan.file), plan.next);
    } else if (plan.action !== 'unresolved') {
      generator.fs.write(target, plan.content);
      // New and unchanged files go through the conflicter, which reports them as create or identical.
      if (DECIDED.has(plan.action) && plan.content !== plan.disk)
        (generator.fs.store.get(target) as { conflicter?: string }).conflicter = 'force';
      pristine();
    }
  }
  if (generation.snapshot) generator.fs.writeJSON(generator.destinationPath(FACTS_SNAPSHOT), generation.snapshot);
  generator.config.set(generation.decisions);
  return plans;
}
