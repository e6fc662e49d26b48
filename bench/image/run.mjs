#!/usr/bin/env node
// bench/image: our generated Dockerfile against a 2024-style IDA Dockerfile, side by side in
// one run, on the same base image, with the legacy builder. For each: cold build time
// (--no-cache), rebuild time after a one-line .py change, and runtime image size above the
// base image. Prints medians and our-to-baseline ratios (lower is better for all three).
// Not a test: nothing is asserted. Usage: npm run bench:image [-- --runs N]
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const base = 'python:3.11-slim-bookworm';

execFileSync('bash', [join(root, 'test/e2e/prepare-engines.sh')], { stdio: 'inherit' });

function sh(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function timed(fn) {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const imageSize = (image) => Number(sh('docker', ['image', 'inspect', '-f', '{{.Size}}', image]).trim());
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function prepare(kind) {
  const dir = mkdtempSync(join(tmpdir(), `bench-image-${kind}-`));
  cpSync(join(root, 'examples/minicreds'), dir, { recursive: true });
  for (const generated of ['Dockerfile', '.dockerignore', '.yo-rc.json', 'minicreds.example.yml'])
    rmSync(join(dir, generated), { force: true });
  if (kind === 'ours') sh(process.execPath, [join(root, 'bin/openedx-ida.js'), dir, '--yes']);
  else copyFileSync(join(here, 'baseline.Dockerfile'), join(dir, 'Dockerfile'));
  return dir;
}

const subjects = { ours: prepare('ours'), baseline: prepare('baseline') };
const results = { ours: { cold: [], rebuild: [], size: 0 }, baseline: { cold: [], rebuild: [], size: 0 } };
const build = (dir, tag, extra = []) => sh('docker', ['build', '--network', 'host', ...extra, '-t', tag, dir]);

for (let run = 0; run < runs; run++) {
  // Alternate the order so neither side always runs on a warmer machine.
  const order = run % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
  for (const kind of order) {
    const tag = `openedx-ida-bench/${kind}`;
    results[kind].cold.push(timed(() => build(subjects[kind], tag, ['--no-cache'])));
    appendFileSync(join(subjects[kind], 'minicreds/apps/core/views.py'), `\n# bench change ${run}\n`);
    results[kind].rebuild.push(timed(() => build(subjects[kind], tag)));
    results[kind].size = imageSize(tag) - imageSize(base);
    process.stderr.write(
      `run ${run + 1}/${runs} ${kind}: cold ${results[kind].cold.at(-1).toFixed(1)} s, rebuild ${results[kind].rebuild.at(-1).toFixed(1)} s\n`,
    );
  }
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const rows = [
  ['cold build (median)', median(results.ours.cold), median(results.baseline.cold), (v) => `${v.toFixed(1)} s`],
  [
    'rebuild after .py change (median)',
    median(results.ours.rebuild),
    median(results.baseline.rebuild),
    (v) => `${v.toFixed(1)} s`,
  ],
  ['image size above the base', results.ours.size, results.baseline.size, mb],
];
console.log(
  `\nbench/image: examples/minicreds, legacy builder, ${runs} runs each, base ${base} (${mb(imageSize(base))})`,
);
console.log(`${'measure'.padEnd(36)}${'ours'.padStart(12)}${'baseline'.padStart(12)}${'ours/baseline'.padStart(16)}`);
for (const [name, ours, baseline, format] of rows) {
  console.log(
    `${name.padEnd(36)}${format(ours).padStart(12)}${format(baseline).padStart(12)}${(ours / baseline).toFixed(2).padStart(16)}`,
  );
}
for (const dir of Object.values(subjects)) rmSync(dir, { recursive: true, force: true });
