import fs from 'fs-extra';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import AppGenerator from '../../generators/app/index.js';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const GENERATOR_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'generators',
  'app',
  'index.ts',
);

/** Set UPDATE_GOLDEN=1 to re-record every expected file instead of comparing. */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** Fixture names (each `test/fixtures/<name>/repo` is an input repo). */
export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURES_DIR)
    .filter((name) => fs.existsSync(join(FIXTURES_DIR, name, 'repo')))
    .sort();
}

/** The fixture's input repo (a real path: `standard` links to examples/minicreds). */
export function fixtureRepo(name: string): string {
  return fs.realpathSync(join(FIXTURES_DIR, name, 'repo'));
}

/**
 * Files the generator writes, and its state: left out when a fixture is copied, so each run
 * starts clean even after someone ran the tool on examples/minicreds (the `standard` fixture).
 */
export function isGenerated(relativePath: string): boolean {
  return (
    ['Dockerfile', '.dockerignore', '.yo-rc.json', 'Dockerfile.newrelic', 'Dockerfile.private'].includes(
      relativePath,
    ) ||
    /^[^/]+\.example\.ya?ml$/.test(relativePath) ||
    /^[^/]+\.schema\.json$/.test(relativePath) ||
    relativePath === '.openedx-ida' ||
    relativePath.startsWith('.openedx-ida/')
  );
}

/** Copies a repo without generated files and tool state. */
export function copyRepo(source: string, into: string): void {
  fs.copySync(source, into, { filter: (path) => path === source || !isGenerated(relative(source, path)) });
}

/** Copies a fixture repo without generated files and tool state. */
export function copyFixtureRepo(name: string, into: string): void {
  copyRepo(fixtureRepo(name), into);
}

export function expectedDir(name: string): string {
  return join(FIXTURES_DIR, name, 'expected');
}

/** All files under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** Runs the app generator through yeoman-test in a temp copy of the fixture repo (or in `dir`, kept). */
export function runApp(name: string, options: Record<string, unknown> = { yes: true }, dir?: string) {
  const context = helpers.run(AppGenerator, { resolved: GENERATOR_PATH, namespace: 'openedx-ida:app' });
  return (dir ? context.cd(dir) : context.inTmpDir((tmp) => copyFixtureRepo(name, tmp))).withOptions(options as never);
}
