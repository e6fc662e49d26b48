import fs from 'fs-extra';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factsToJson } from '../../src/cli/detect.js';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import {
  UPDATE_GOLDEN,
  expectedDir,
  fixtureNames,
  fixtureRepo,
  isGenerated,
  listFiles,
  runApp,
} from '../support/fixtures.js';

/** Generated files are the product: each fixture's output is compared with files a reviewer reads. */
const generating = fixtureNames().filter((name) => !['not-django', 'operator'].includes(name));

/** Compares `actual` with the recorded file, or records it under UPDATE_GOLDEN=1. */
function expectGolden(name: string, file: string, actual: string) {
  const path = join(expectedDir(name), file);
  if (UPDATE_GOLDEN) {
    fs.outputFileSync(path, actual);
    return;
  }
  expect(fs.existsSync(path), `${path} is missing: run UPDATE_GOLDEN=1 npm test`).toBe(true);
  expect(actual).toBe(fs.readFileSync(path, 'utf8'));
}

describe.each(generating)('fixture %s', (name) => {
  it('writes the recorded Dockerfile, .dockerignore and example YAML', async () => {
    const result = await runApp(name);
    const before = new Set(listFiles(fixtureRepo(name)).filter((file) => !isGenerated(file)));
    // .yo-rc.json and .openedx-ida/ are the generator's state, not its product.
    const written = listFiles(result.cwd).filter(
      (file) => !before.has(file) && file !== '.yo-rc.json' && !file.startsWith('.openedx-ida/'),
    );
    const recorded = UPDATE_GOLDEN ? written : listFiles(expectedDir(name)).filter((file) => file !== 'detect.json');
    expect(written).toEqual(recorded);
    for (const file of written) expectGolden(name, file, fs.readFileSync(join(result.cwd, file), 'utf8'));
  });

  it('prints the recorded detect --json facts', () => {
    const facts = factsToJson(analyzeRepo(new DiskReader(fixtureRepo(name))));
    expectGolden(name, 'detect.json', `${JSON.stringify(facts, null, 2)}\n`);
  });
});
