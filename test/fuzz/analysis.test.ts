/**
 * Property-based tests: analysis reads arbitrary repos, so it must never crash on what it
 * finds. Random IDA-like trees (fixture repos mutated with binary, unparseable, empty and
 * huge files, deep and unicode paths, symlink loops and links out of the repo) must give
 * facts or a typed IdaError, in bounded time; whatever is generated must lint clean and
 * parse; and nothing may be written outside the repo. FUZZ_RUNS scales the run counts.
 */
import fc from 'fast-check';
import fs from 'fs-extra';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { IdaError } from '../../src/errors.js';
import { atOrAbove, lintDockerfile } from '../../src/lint/lint.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';
import { regenerateRepo } from '../../src/regen/regenerate.js';
import { renderAppFiles } from '../../src/render/render.js';
import { copyFixtureRepo, fixtureNames, fixtureRepo, listFiles } from '../support/fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const WORK = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-fuzz-'));
afterAll(() => fs.removeSync(WORK));

const FIXTURES = fixtureNames().filter((name) => name !== 'operator');

/** Files of a fixture repo, for the in-memory property. */
const fixtureFiles = new Map(
  FIXTURES.map((name) => {
    const root = fixtureRepo(name);
    return [name, Object.fromEntries(listFiles(root).map((file) => [file, fs.readFileSync(join(root, file), 'utf8')]))];
  }),
);

const segment = fc.oneof(
  fc.constantFrom(
    'settings',
    'requirements',
    'manage.py',
    'production.py',
    'base.py',
    '__init__.py',
    'wsgi.py',
    'urls.py',
    'tox.ini',
    'setup.cfg',
    'pyproject.toml',
    'package.json',
    '.python-version',
    'docker-compose.yml',
    'Makefile',
    '.github',
    'workflows',
    'ci.yml',
    'production.txt',
    'base.txt',
    'pip.txt',
  ),
  fc
    .string({ minLength: 1, maxLength: 12, unit: 'grapheme' })
    .map((name) => name.replace(/[/\0]/g, '_'))
    .filter((name) => name !== '.' && name !== '..'),
  fc.constantFrom('with space', 'ünïcödé', '日本語', 'emoji😀', '-dash', '.hidden'),
);
const path = fc.array(segment, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('/'));

const content = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ maxLength: 300, unit: 'binary' }),
  fc.constantFrom(
    '',
    'def broken(:\n',
    'import yaml\nwith open(os.environ[',
    '[tox\nenvlist = py{3',
    '{"scripts": ',
    '[project]\nrequires-python = ">=3.',
    'bind = "0.0.0.0:99999"\n',
    'jobs: {x: [',
    '-r ../../../../etc/passwd\n',
    '-r production.txt\n',
    'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "../../x")\n',
    "DICT_UPDATE_KEYS = ('A', None, 3)\n",
    'x = ' + '['.repeat(500),
  ),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

/** A mutation of a repo on disk. */
type Op =
  | { kind: 'write'; path: string; content: string }
  | { kind: 'binary'; path: string; bytes: Uint8Array }
  | { kind: 'huge'; path: string }
  | { kind: 'link-loop'; path: string }
  | { kind: 'link-out'; path: string }
  | { kind: 'remove'; path: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), path, content }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('binary' as const),
      path,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 100 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), path }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('link-loop' as const), path }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('link-out' as const),
      path: fc.oneof(
        path,
        fc.constantFrom(
          'manage.py',
          'Dockerfile',
          'requirements',
          'requirements/base.txt',
          '.yo-rc.json',
          '.openedx-ida',
        ),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('remove' as const),
      path: fc.oneof(path, fc.constantFrom('manage.py', 'requirements')),
    }),
  },
);

function apply(root: string, outside: string, mutation: Op): void {
  const target = join(root, mutation.path);
  try {
    if (mutation.kind === 'remove') fs.removeSync(target);
    else if (mutation.kind === 'write') fs.outputFileSync(target, mutation.content);
    else if (mutation.kind === 'binary') fs.outputFileSync(target, Buffer.from(mutation.bytes));
    else if (mutation.kind === 'huge') fs.outputFileSync(target, Buffer.alloc(3 * 1024 * 1024, 'x'));
    else {
      fs.removeSync(target);
      fs.ensureDirSync(join(target, '..'));
      if (mutation.kind === 'link-loop') fs.symlinkSync(mutation.path.includes('/') ? '..' : target, target);
      else fs.symlinkSync(outside, target);
    }
  } catch {
    // a mutation the file system refuses (a path through a file, say) is just skipped
  }
}

/** A digest of a directory tree (names, file contents, link targets), to see that nothing changed. */
function digest(dir: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(dir)) {
    const path = join(dir, file);
    hash
      .update(file)
      .update(fs.lstatSync(path).isSymbolicLink() ? `-> ${fs.readlinkSync(path)}` : fs.readFileSync(path));
  }
  return hash.digest('hex');
}

/** What is generated from facts must be valid: the Dockerfile lints clean, the YAML parses. */
function expectValidOutput(files: Map<string, string>) {
  const findings = lintDockerfile(files.get('Dockerfile')!, 'Dockerfile').filter((finding) =>
    atOrAbove(finding.level, 'warning'),
  );
  expect(findings).toEqual([]);
  for (const [file, text] of files) if (file.endsWith('.yml')) expect(() => parse(text)).not.toThrow();
}

describe('fuzzed analysis', () => {
  it(
    'on in-memory trees: facts or a typed error; the output lints clean and parses',
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...FIXTURES),
          fc.array(fc.tuple(path, content), { maxLength: 12 }),
          fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 4 }),
          (fixture, additions, removals) => {
            const files: Record<string, string> = { ...fixtureFiles.get(fixture) };
            const names = Object.keys(files);
            for (const index of removals) delete files[names[index % names.length]];
            for (const [file, text] of additions) files[file] = text;
            let facts;
            try {
              facts = analyzeRepo(new MemoryReader(files, fixture));
            } catch (error) {
              expect(error).toBeInstanceOf(IdaError);
              return;
            }
            let config;
            try {
              config = resolveConfig(facts, {});
            } catch (error) {
              expect(error).toBeInstanceOf(IdaError);
              return;
            }
            expectValidOutput(renderAppFiles(facts, config));
          },
        ),
        { numRuns: 1500 * RUNS },
      );
    },
    120_000 * RUNS,
  );

  it(
    'on disk trees with binary, huge, unicode and symlinked files: typed errors, bounded time, no write outside the repo',
    () => {
      let count = 0;
      fc.assert(
        fc.property(fc.constantFrom(...FIXTURES), fc.array(op, { minLength: 1, maxLength: 6 }), (fixture, ops) => {
          const caseDir = join(WORK, `case-${count++}`);
          const root = join(caseDir, 'repo');
          const outside = join(caseDir, 'outside');
          fs.outputFileSync(join(outside, 'keep.txt'), 'outside the repo\n');
          copyFixtureRepo(fixture, root);
          for (const mutation of ops) apply(root, outside, mutation);
          const before = digest(outside);
          const started = Date.now();
          try {
            try {
              const facts = analyzeRepo(new DiskReader(root));
              expectValidOutput(renderAppFiles(facts, resolveConfig(facts, {})));
            } catch (error) {
              expect(error).toBeInstanceOf(IdaError);
            }
            const result = regenerateRepo(root);
            expect(result.error === null || !result.error.startsWith('unexpected error'), result.error ?? '').toBe(
              true,
            );
            expect(digest(outside)).toBe(before);
            expect(Date.now() - started, 'a hang guard, not a speed claim').toBeLessThan(20_000);
          } finally {
            fs.removeSync(caseDir);
          }
        }),
        { numRuns: 1000 * RUNS },
      );
    },
    300_000 * RUNS,
  );
});
