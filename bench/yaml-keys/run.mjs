#!/usr/bin/env node
// bench/yaml-keys: how well the example YAML covers the keys operators really set.
// For each service of ../shared/data/yaml-keys-train.json (or --data FILE), generates the app in
// memory from a checkout under --repos DIR (default /work/scratch/realidas/src/<name>) and prints
//   recall    = train keys the example documents / train keys
//   precision = documented keys that are train keys / documented keys
// with the missed and the extra keys. Reads the checkouts, writes nothing. Not a test: run
// `npm run build` first. Usage: node bench/yaml-keys/run.mjs [--repos DIR] [--data FILE] [--json]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const option = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const repos = option('--repos', '/work/scratch/realidas/src');
// ../shared/data beside the main checkout, or beside the worktrees' parent (/work/wt/<name>).
const data = option(
  '--data',
  [
    join(root, '..', 'shared', 'data', 'yaml-keys-train.json'),
    join(root, '..', '..', 'shared', 'data', 'yaml-keys-train.json'),
  ].find((path) => existsSync(path)),
);
if (!data) throw new Error('bench/yaml-keys: no ../shared/data/yaml-keys-train.json; pass --data FILE');
const json = process.argv.includes('--json');
const { generate, openRepo } = await import(join(root, 'lib/src/core/generate.js'));
const { toExampleConfigModel } = await import(join(root, 'lib/src/model/example-config.js'));

/**
 * The keys the example YAML generated for the checkout at `dir` documents: its keys, and the
 * commented-out keys it names for a default computed in the settings (checked against the file).
 */
function documentedKeys(dir) {
  const generation = generate(openRepo(dir), {}, { targets: ['app'] });
  const file = [...generation.files.keys()].find((name) => name.endsWith('.example.yml'));
  if (!file) throw new Error(`${dir}: no example YAML generated`);
  const text = generation.files.get(file);
  const model = toExampleConfigModel(generation.facts, generation.config);
  const keys = [...model.required, ...model.overrides].map((entry) => entry.key);
  const inFile = new Set([
    ...Object.keys(parse(text) ?? {}),
    ...[...text.matchAll(/^# ([A-Z][A-Z0-9_]*):$/gm)].map((m) => m[1]),
  ]);
  const lost = keys.filter((key) => !inFile.has(key));
  if (lost.length > 0) throw new Error(`${dir}: the model's keys ${lost.join(', ')} are not in ${file}`);
  return keys;
}

const train = JSON.parse(readFileSync(data, 'utf8')).services;
const results = [];
for (const [repo, entry] of Object.entries(train)) {
  const name = repo.split('/').pop();
  const dir = join(repos, name);
  if (!existsSync(dir)) {
    console.error(`bench/yaml-keys: ${dir} is missing, skipping ${repo}`);
    continue;
  }
  const truth = new Set(entry.ground_truth_keys);
  const documented = documentedKeys(dir);
  const hits = documented.filter((key) => truth.has(key));
  const missed = [...truth].filter((key) => !documented.includes(key));
  const extra = documented.filter((key) => !truth.has(key));
  results.push({
    service: name,
    train: truth.size,
    documented: documented.length,
    recall: hits.length / truth.size,
    precision: documented.length === 0 ? 0 : hits.length / documented.length,
    missed,
    extra,
  });
}
if (json) console.log(JSON.stringify(results, null, 1));
else {
  for (const result of results) {
    console.log(
      `${result.service}: recall ${result.recall.toFixed(2)} (${result.train - result.missed.length}/${result.train}), ` +
        `precision ${result.precision.toFixed(2)} (${result.documented - result.extra.length}/${result.documented})`,
    );
    console.log(`  missed: ${result.missed.join(' ') || '-'}`);
    console.log(`  extra:  ${result.extra.join(' ') || '-'}`);
  }
}
