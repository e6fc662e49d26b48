#!/usr/bin/env node
// bench/image: our generated Dockerfile against a 2024-style IDA Dockerfile, side by side in
// one run, on the same base image. With the legacy builder: cold build time (--no-cache),
// rebuild time after a one-line .py change, and runtime image size above the base image.
// With buildah (--layers --no-cache): cold build time. Each cold build's log is timed step by
// step (a step's time includes its layer commit), and the report splits the cold builds into
// apt-get, venv + pip, manage.py + compileall, copies into the final stage and the rest, with
// the 1-minute load average at the end of each build (the machine is shared: times follow it).
// With buildah (--layers): rebuild time after a requirements change, ours generated with
// --cache-mounts (pip's cache survives the invalidated layer), the baseline as it is (its pip
// cache lives in the layer that the change invalidates). Each run alternates which side goes
// first; the table shows medians and our-to-baseline ratios (lower is better for all).
// Not a test: nothing is asserted. Usage: npm run bench:image [-- --runs N] [-- --no-buildah]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const withBuildah = !process.argv.includes('--no-buildah');
const base = 'python:3.11-slim-bookworm';
const CODE_FILE = 'minicreds/apps/core/views.py';
const REQUIREMENTS_FILE = 'requirements/production.txt';

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

// A build with each step's start time taken from its log line ("Step 3/20 : RUN ..." from the
// legacy builder, "[2/4] STEP 3/9: RUN ..." from buildah). Resolves to the total, the steps
// (instruction, seconds until the next step starts or the build ends) and the standard output.
const STEP_LINE = /^(?:\[\d+\/\d+\] )?(?:Step|STEP) \d+\/\d+ ?: (.*)$/;
function steppedBuild(command, args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const at = () => Number(process.hrtime.bigint() - started) / 1e9;
    const child = spawn(command, args);
    const marks = [];
    const buffers = { stdout: '', stderr: '' };
    let stdout = '';
    const reader = (name) => (chunk) => {
      const text = chunk.toString();
      if (name === 'stdout') stdout += text;
      buffers[name] += text;
      let end;
      while ((end = buffers[name].indexOf('\n')) >= 0) {
        const step = STEP_LINE.exec(buffers[name].slice(0, end));
        buffers[name] = buffers[name].slice(end + 1);
        if (step) marks.push({ at: at(), instruction: step[1] });
      }
    };
    child.stdout.on('data', reader('stdout'));
    child.stderr.on('data', reader('stderr'));
    child.on('error', reject);
    child.on('close', (code) => {
      const total = at();
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} failed:\n${stdout}\n${buffers.stderr}`));
      const steps = marks.map((mark, k) => ({
        instruction: mark.instruction,
        seconds: (marks[k + 1]?.at ?? total) - mark.at,
      }));
      resolve({ total, steps, stdout, load: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]) });
    });
  });
}

// Where a cold build's time goes: the first category whose pattern the instruction matches (the
// copy of the venv into the final stage counts as a copy, not as venv work).
const CATEGORIES = [
  ['copies into the final stage', /^COPY --from=/],
  ['apt-get (update, install)', /apt-get/],
  ['venv + pip install', /\bpip\b|\bvenv\b|\buv\b/],
  ['manage.py + compileall', /manage\.py|compileall/],
];
const OTHER = 'other steps (and their commits)';
function breakdown(steps) {
  const sums = Object.fromEntries([...CATEGORIES.map(([name]) => name), OTHER].map((name) => [name, 0]));
  for (const { instruction, seconds } of steps) {
    const category = CATEGORIES.find(([, pattern]) => pattern.test(instruction));
    sums[category ? category[0] : OTHER] += seconds;
  }
  return sums;
}

const imageSize = (image) => Number(sh('docker', ['image', 'inspect', '-f', '{{.Size}}', image]).trim());
// With an even count, the mean of the middle two (with two runs, not the larger one).
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function prepare(kind, flags = []) {
  const dir = mkdtempSync(join(tmpdir(), `bench-image-${kind}-`));
  cpSync(join(root, 'examples/minicreds'), dir, { recursive: true });
  for (const generated of ['Dockerfile', '.dockerignore', '.yo-rc.json', 'minicreds.example.yml'])
    rmSync(join(dir, generated), { force: true });
  if (kind === 'ours') sh(process.execPath, [join(root, 'bin/openedx-ida.js'), dir, '--yes', ...flags]);
  else copyFileSync(join(here, 'baseline.Dockerfile'), join(dir, 'Dockerfile'));
  return dir;
}

const KINDS = ['ours', 'baseline'];
const legacy = { ours: prepare('ours'), baseline: prepare('baseline') };
const buildah = withBuildah ? { ours: prepare('ours', ['--cache-mounts']), baseline: prepare('baseline') } : null;
const results = Object.fromEntries(
  KINDS.map((kind) => [
    kind,
    {
      cold: [],
      rebuild: [],
      requirements: [],
      size: 0,
      buildahCold: [],
      steps: { legacy: [], buildah: [] },
      load: { legacy: [], buildah: [] },
    },
  ]),
);
const dockerArgs = (dir, tag, extra = []) => ['build', '--network', 'host', ...extra, '-t', tag, dir];
const buildahArgs = (dir, tag, extra = []) => [
  'bud',
  '--format',
  'docker',
  '--network',
  'host',
  '--layers',
  ...extra,
  '-t',
  tag,
  dir,
];
const dockerBuild = (dir, tag, extra = []) => sh('docker', dockerArgs(dir, tag, extra));
const buildahBuild = (dir, tag, extra = []) => sh('buildah', buildahArgs(dir, tag, extra));
// The legacy builder keeps a build stage's layers as dangling images, which a `docker image prune`
// elsewhere on the machine deletes: each stage's last image from the cold build gets a tag. The
// rebuild then takes its cache from these images only (--cache-from), not from same-looking layers
// of other builds on the machine (another builder stage has other bytes in its venv, so the venv
// copy would miss). Returns the --cache-from arguments.
function keepStages(coldOutput, tag) {
  const kept = [tag];
  let stage = null;
  let image = null;
  const keep = () => {
    if (stage === null || image === null) return;
    sh('docker', ['tag', image, `${tag}-${stage}`]);
    kept.push(`${tag}-${stage}`);
  };
  for (const line of coldOutput.split('\n')) {
    const from = /^Step \d+\/\d+ : FROM \S+ AS (\S+)$/.exec(line);
    if (from) {
      keep();
      [stage, image] = [from[1], null];
    }
    const id = /^ ---> ([0-9a-f]{12})$/.exec(line);
    if (id) image = id[1];
  }
  return kept.flatMap((name) => ['--cache-from', name]);
}

for (let run = 0; run < runs; run++) {
  const order = run % 2 === 0 ? KINDS : [...KINDS].reverse();
  for (const kind of order) {
    const tag = `openedx-ida-bench/${kind}`;
    const cold = await steppedBuild('docker', dockerArgs(legacy[kind], tag, ['--no-cache']));
    results[kind].cold.push(cold.total);
    results[kind].steps.legacy.push(breakdown(cold.steps));
    results[kind].load.legacy.push(cold.load);
    const cacheFrom = keepStages(cold.stdout, tag);
    appendFileSync(join(legacy[kind], CODE_FILE), `\n# bench change ${run}\n`);
    results[kind].rebuild.push(timed(() => dockerBuild(legacy[kind], tag, cacheFrom)));
    results[kind].size = imageSize(tag) - imageSize(base);
    process.stderr.write(
      `run ${run + 1}/${runs} ${kind}, legacy: cold ${results[kind].cold.at(-1).toFixed(1)} s (load ${cold.load}), ` +
        `.py rebuild ${results[kind].rebuild.at(-1).toFixed(1)} s\n`,
    );
  }
  if (!buildah) continue;
  // buildah's cold build, from the same context as the legacy builder's (no cache mounts: the
  // cache mount of ours would outlive --no-cache and make it warm).
  for (const kind of order) {
    const cold = await steppedBuild(
      'buildah',
      buildahArgs(legacy[kind], `localhost/openedx-ida-bench/${kind}-cold`, ['--no-cache']),
    );
    results[kind].buildahCold.push(cold.total);
    results[kind].steps.buildah.push(breakdown(cold.steps));
    results[kind].load.buildah.push(cold.load);
    process.stderr.write(
      `run ${run + 1}/${runs} ${kind}, buildah: cold ${cold.total.toFixed(1)} s (load ${cold.load})\n`,
    );
  }
  for (const kind of order) {
    const tag = `localhost/openedx-ida-bench/${kind}-buildah`;
    // The first build fills the layer cache (and, for ours, pip's cache mount).
    buildahBuild(buildah[kind], tag);
    appendFileSync(join(buildah[kind], REQUIREMENTS_FILE), `# bench change ${run}\n`);
    results[kind].requirements.push(timed(() => buildahBuild(buildah[kind], tag)));
    process.stderr.write(
      `run ${run + 1}/${runs} ${kind}, buildah: requirements rebuild ${results[kind].requirements.at(-1).toFixed(1)} s\n`,
    );
  }
}

// The raw numbers first, so that a long run's measurements survive a failing report.
process.stderr.write(`${JSON.stringify(results)}\n`);
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const seconds = (v) => `${v.toFixed(1)} s`;
const rows = [
  ['cold build (median)', median(results.ours.cold), median(results.baseline.cold), seconds],
  ['rebuild after .py change (median)', median(results.ours.rebuild), median(results.baseline.rebuild), seconds],
  ['image size above the base', results.ours.size, results.baseline.size, mb],
  ...(buildah
    ? [
        [
          'buildah: cold build (median)',
          median(results.ours.buildahCold),
          median(results.baseline.buildahCold),
          seconds,
        ],
        [
          'buildah: requirements change (median)',
          median(results.ours.requirements),
          median(results.baseline.requirements),
          seconds,
        ],
      ]
    : []),
];
console.log(`\nbench/image: examples/minicreds, ${runs} runs each, base ${base} (${mb(imageSize(base))})`);
console.log('legacy builder for the first three rows; ours with --cache-mounts for the buildah row');
console.log(`${'measure'.padEnd(40)}${'ours'.padStart(12)}${'baseline'.padStart(12)}${'ours/baseline'.padStart(16)}`);
for (const [name, ours, baseline, format] of rows) {
  console.log(
    `${name.padEnd(40)}${format(ours).padStart(12)}${format(baseline).padStart(12)}${(ours / baseline).toFixed(2).padStart(16)}`,
  );
}
const engines = buildah ? ['legacy', 'buildah'] : ['legacy'];
for (const engine of engines) {
  console.log(
    `\nwhere a ${engine} cold build's time goes (medians of each part; load averages ${KINDS.map(
      (kind) => `${kind} ${results[kind].load[engine].join(', ')}`,
    ).join('; ')})`,
  );
  for (const name of [...CATEGORIES.map(([category]) => category), OTHER]) {
    const ours = median(results.ours.steps[engine].map((sums) => sums[name]));
    const baseline = median(results.baseline.steps[engine].map((sums) => sums[name]));
    console.log(`${name.padEnd(40)}${seconds(ours).padStart(12)}${seconds(baseline).padStart(12)}`);
  }
}
for (const dir of [...Object.values(legacy), ...Object.values(buildah ?? {})])
  rmSync(dir, { recursive: true, force: true });
