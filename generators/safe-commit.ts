import { createConflicterTransform, createYoResolveTransform, forceYoFiles } from '@yeoman/conflicter';
import { clearFileState, isFilePending, isFileStateModified } from 'mem-fs-editor/state';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Transform } from 'node:stream';
import type Generator from 'yeoman-generator';
import { assertSafeWrite, writeFileAtomic } from '../src/core/safe-write.js';
import { isStateFile } from '../src/core/state.js';

/*
 * Why a custom commit task: Yeoman's own commit (mem-fs-editor) writes each file with a
 * plain writeFile, which follows symlinks and truncates in place (a full disk leaves a cut
 * file). This task keeps Yeoman's pipeline (.yo-resolve, the conflicter with its prompts,
 * --force, --bail and --dry-run) and replaces only the last step: every file is checked
 * before the first write (no symlink, nothing outside the repo) and written atomically.
 * The tool's state (.yo-rc.json, .openedx-ida/) is written after the product files, only
 * when its content changes, and a pristine copy of a hand-written file only when the user
 * chose to overwrite that file: the copy records what this tool wrote, never the user's file.
 */

interface MemFile {
  path: string;
  contents: Buffer | null;
}

interface CommitEnv {
  sharedFs: {
    all(): MemFile[];
    pipeline(
      options: { filter?: (file: MemFile) => boolean; refresh?: boolean },
      ...transforms: Transform[]
    ): Promise<void>;
  };
  adapter: { log: Record<string, (message: string) => unknown> };
  conflicterOptions?: { dryRun?: boolean; cwd?: string };
}

/** Pristine copies that follow their file: written only when the conflicter lets the file be written. */
const deferredPristines = new WeakMap<object, Map<string, { file: string; content: string }>>();

/**
 * Registers the pristine copy of a hand-written file (absolute `target`): it is written
 * with the file if the user chose to overwrite it, and not at all otherwise.
 */
export function deferPristine(generator: Generator, target: string, file: string, content: string): void {
  const sharedFs = (generator.env as unknown as CommitEnv).sharedFs;
  const pending = deferredPristines.get(sharedFs) ?? new Map<string, { file: string; content: string }>();
  pending.set(target, { file, content });
  deferredPristines.set(sharedFs, pending);
}

function objectTransform(each: (file: MemFile) => void): Transform {
  return new Transform({
    objectMode: true,
    transform(file: MemFile, _encoding, callback) {
      try {
        each(file);
        callback(null, file);
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/** The commit task for a generator whose files live under its destination root. */
export function safeCommitTask(generator: Generator): () => Promise<void> {
  return async () => {
    const env = generator.env as unknown as CommitEnv;
    const root = generator.destinationRoot();
    const dryRun = env.conflicterOptions?.dryRun === true;
    const logPath = (path: string) => relative(env.conflicterOptions?.cwd ?? process.cwd(), path);
    const inRepo = (path: string) => relative(root, path);
    const deferred = deferredPristines.get(env.sharedFs) ?? new Map<string, { file: string; content: string }>();
    // Refusals first: a run that cannot write one file safely writes none.
    for (const file of env.sharedFs.all().filter(isFilePending)) assertSafeWrite(root, inRepo(file.path));
    for (const { file } of deferred.values()) assertSafeWrite(root, file);
    const writeReported = (file: string, content: string | Buffer) => {
      const existed = readDisk(root, file) !== undefined;
      writeFileAtomic(root, file, content);
      env.adapter.log[existed ? 'force' : 'create'](logPath(generator.destinationPath(file)));
    };
    const isState = (file: MemFile) => isStateFile(inRepo(file.path).split('\\').join('/'));
    const commit = objectTransform((file) => {
      if (isFileStateModified(file) && file.contents) {
        writeFileAtomic(root, inRepo(file.path), file.contents);
        const pristine = deferred.get(file.path);
        if (pristine) writeReported(pristine.file, pristine.content);
      }
      clearFileState(file as never);
    });
    await env.sharedFs.pipeline(
      { filter: (file) => (isFilePending(file) && !isState(file)) || file.path.endsWith('.yo-resolve') },
      createYoResolveTransform() as unknown as Transform,
      forceYoFiles() as unknown as Transform,
      createConflicterTransform(env.adapter as never, env.conflicterOptions as never) as unknown as Transform,
      commit,
    );
    const state = objectTransform((file) => {
      const path = inRepo(file.path);
      const disk = readDisk(root, path);
      if (file.contents && (disk === undefined || !disk.equals(file.contents))) {
        if (!dryRun) writeFileAtomic(root, path, file.contents);
        env.adapter.log[disk === undefined ? 'create' : 'force'](logPath(file.path));
      }
      clearFileState(file as never);
    });
    await env.sharedFs.pipeline({ filter: (file) => isFilePending(file) && isState(file), refresh: false }, state);
  };
}

function readDisk(root: string, file: string): Buffer | undefined {
  try {
    return readFileSync(resolve(root, file));
  } catch {
    return undefined;
  }
}
