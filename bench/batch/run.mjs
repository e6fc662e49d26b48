#!/usr/bin/env node
// bench/batch: regenerate and then check fifty fixture repos in one process (the batch
// runner, worker threads included), against fifty separate single-repo CLI runs of each,
// side by side in one run. Prints total and per-repo time, the batch's peak memory (max
// RSS of this process, workers included), and the batch-to-separate ratios.
// Not a test: nothing is asserted. Usage: npm run bench:batch [-- --repos N]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const count = Number(process.argv[process.argv.indexOf('--repos') + 1]) || 50;
const { runBatch, DEFAULT_CONCURRENCY } = await import(join(root, 'lib/src/batch/run-batch.js'));

const fixtures = readdirSync(join(root, 'test/fixtures'))
  .filter((name) => existsSync(join(root, 'test/fixtures', name, 'expected', 'Dockerfile')))
  .sort();
const generated = (file) =>
  ['Dockerfile', '.dockerignore', '.yo-rc.json', '.openedx-ida'].includes(file) || file.endsWith('.example.yml');

function copies(label) {
  const dir = mkdtempSync(join(tmpdir(), `bench-batch-${label}-`));
  const repos = [];
  for (let i = 0; i < count; i++) {
    const repo = join(dir, `repo-${String(i).padStart(2, '0')}`);
    const source = join(root, 'test/fixtures', fixtures[i % fixtures.length], 'repo');
    cpSync(source, repo, {
      recursive: true,
      dereference: true,
      filter: (path) => !generated(path.slice(source.length + 1)),
    });
    repos.push(repo);
  }
  return { dir, repos };
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

// One process: the batch runner.
const batch = copies('one-process');
let start = process.hrtime.bigint();
const generatedResults = await runBatch(batch.repos, {
  mode: 'generate',
  force: false,
  concurrency: DEFAULT_CONCURRENCY,
});
const batchGenerate = seconds(start);
start = process.hrtime.bigint();
const checkedResults = await runBatch(batch.repos, { mode: 'check', force: false, concurrency: DEFAULT_CONCURRENCY });
const batchCheck = seconds(start);
const peakMb = process.resourceUsage().maxRSS / 1024;
const errors = [...generatedResults, ...checkedResults].filter((result) => result.error).length;

// Separate processes: the CLI once per repo.
const separate = copies('separate');
const cli = (args) => {
  const result = spawnSync(process.execPath, [join(root, 'bin/openedx-ida.js'), ...args], {
    input: '',
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`openedx-ida ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
};
start = process.hrtime.bigint();
for (const repo of separate.repos) cli([repo, '--yes']);
const separateGenerate = seconds(start);
start = process.hrtime.bigint();
for (const repo of separate.repos) cli(['check', repo]);
const separateCheck = seconds(start);

const row = (name, batchSeconds, separateSeconds) =>
  `${name.padEnd(12)}${`${batchSeconds.toFixed(2)} s`.padStart(12)}${`${((batchSeconds / count) * 1000).toFixed(0)} ms`.padStart(12)}${`${separateSeconds.toFixed(2)} s`.padStart(14)}${`${((separateSeconds / count) * 1000).toFixed(0)} ms`.padStart(12)}${(batchSeconds / separateSeconds).toFixed(3).padStart(18)}`;
console.log(
  `bench/batch: ${count} repos (${fixtures.length} fixtures), batch concurrency ${DEFAULT_CONCURRENCY}, ${errors} errors`,
);
console.log(
  `${'mode'.padEnd(12)}${'batch'.padStart(12)}${'per repo'.padStart(12)}${'separate'.padStart(14)}${'per repo'.padStart(12)}${'batch/separate'.padStart(18)}`,
);
console.log(row('generate', batchGenerate, separateGenerate));
console.log(row('check', batchCheck, separateCheck));
console.log(`batch peak memory (max RSS, workers included): ${peakMb.toFixed(0)} MB`);
for (const dir of [batch.dir, separate.dir]) rmSync(dir, { recursive: true, force: true });
