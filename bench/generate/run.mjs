#!/usr/bin/env node
// bench/generate: cold-process costs, side by side in one run (interleaved, medians of N):
//   node -e ''                         the floor: starting Node
//   Yeoman floor (yeoman-floor.mjs)     starting yeoman-environment and one trivial generator, no yo
//   openedx-ida detect --json           analysis only (no Yeoman)
//   openedx-ida --yes                   the full app generation: the fast path (no Yeoman loaded)
//   openedx-ida --yes via Yeoman        the same run forced through Yeoman (--whitespace is Yeoman-only)
// on examples/minicreds, and `detect --json` on a synthetic 20,000-file repo (time and peak
// memory). Prints ratios to the floors. Not a test. Usage: npm run bench:generate [-- --runs N]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 9;
const bin = join(root, 'bin/openedx-ida.js');
const work = mkdtempSync(join(tmpdir(), 'bench-generate-'));
const generated = (path) =>
  /(^|\/)(Dockerfile|\.dockerignore|\.yo-rc\.json|\.openedx-ida|[^/]+\.example\.yml)$/.test(path);
const fresh = (name) => {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'examples/minicreds'), dir, { recursive: true, filter: (path) => !generated(path) });
  return dir;
};

const gnuTime = existsSync('/usr/bin/time');
if (!gnuTime)
  console.error('bench/generate: /usr/bin/time is missing (apt-get install time): peak memory is not measured');

/** Wall time (ms) and peak RSS (MB, from GNU time when present) of one process. */
function measure(args) {
  const started = process.hrtime.bigint();
  const result = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', input: '' })
    : spawnSync(process.execPath, args, { encoding: 'utf8', input: '' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error || result.status !== 0) throw new Error(`${args.join(' ')}: ${result.error ?? result.stderr}`);
  const kb = gnuTime ? Number(result.stderr.trim().split('\n').at(-1)) : NaN;
  return { ms, mb: Number.isFinite(kb) ? kb / 1024 : NaN };
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// A synthetic 20,000-file repo: the example plus 200 directories of 100 files.
const big = fresh('big');
for (let d = 0; d < 200; d++) {
  const dir = join(big, `module_${d}`, 'sub');
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < 100; f++) writeFileSync(join(dir, `file_${f}.py`), `VALUE_${f} = ${f}\n`);
}

const cases = {
  'node -e ""': () => ['-e', ''],
  'Yeoman floor (no yo)': () => [join(here, 'yeoman-floor.mjs')],
  'detect --json': () => [bin, 'detect', join(root, 'examples/minicreds'), '--json'],
  'openedx-ida --yes': () => [bin, fresh('app'), '--yes'],
  'openedx-ida --yes via Yeoman': () => [bin, fresh('app-yeoman'), '--yes', '--whitespace'],
  'detect --json, 20,000 files': () => [bin, 'detect', big, '--json'],
};
const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let run = 0; run < runs; run++)
  for (const [name, args] of Object.entries(cases)) samples[name].push(measure(args()));

const floor = median(samples['node -e ""'].map((s) => s.ms));
const yeoman = median(samples['Yeoman floor (no yo)'].map((s) => s.ms));
console.log(`bench/generate: ${runs} runs each, interleaved, medians; examples/minicreds`);
console.log(
  `${'case'.padEnd(30)}${'time'.padStart(10)}${'peak RSS'.padStart(11)}${'/ node'.padStart(9)}${'/ Yeoman'.padStart(10)}`,
);
for (const [name, list] of Object.entries(samples)) {
  const ms = median(list.map((s) => s.ms));
  const mb = median(list.map((s) => s.mb));
  console.log(
    `${name.padEnd(30)}${`${ms.toFixed(0)} ms`.padStart(10)}${`${mb.toFixed(0)} MB`.padStart(11)}${(ms / floor).toFixed(1).padStart(9)}${(ms / yeoman).toFixed(2).padStart(10)}`,
  );
}
const fast = median(samples['openedx-ida --yes'].map((s) => s.ms));
console.log(`fast path: openedx-ida --yes at ${(fast / yeoman).toFixed(2)}x the Yeoman floor (goal: at most 0.4x)`);
rmSync(work, { recursive: true, force: true });
