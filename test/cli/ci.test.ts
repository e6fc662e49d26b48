/** `openedx-ida ci`: the workflow it writes, its decisions, regeneration and check, and refusals. */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTIONS } from '../../src/model/ci-actions.js';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo, listFiles } from '../support/fixtures.js';

const WORKFLOW = '.github/workflows/minicreds-image.yml';

function fixtureCopy(name: string): string {
  const dir = fs.mkdtempSync(join(tmpdir(), `openedx-ida-ci-${name}-`));
  copyFixtureRepo(name, dir);
  return dir;
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((file) => [file, fs.readFileSync(join(dir, file), 'utf8')]));
}

type Step = { uses?: string; with?: Record<string, unknown>; run?: string; env?: Record<string, string> };
type Job = { permissions?: Record<string, string>; steps: Step[]; needs?: string; if?: string; services?: object };

beforeAll(() => {
  expect(fs.existsSync(join(__dirname, '..', '..', 'lib', 'src', 'cli', 'main.js')), 'run `npm run build` first').toBe(
    true,
  );
});

describe('openedx-ida ci', () => {
  it('writes the workflow and stores its decisions; a second run is identical; check covers it', () => {
    const repo = fixtureCopy('standard');
    expect(cli([repo, '--yes']).status).toBe(0);
    const first = cli(['ci', repo, '--yes']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/create .*minicreds-image\.yml/);
    const stored = fs.readJsonSync(join(repo, '.yo-rc.json'))['generator-openedx-ida'].ci;
    // The registry and image path follow the public image (--base-image): not stored.
    expect(stored).toEqual({
      file: WORKFLOW,
      platforms: ['linux/amd64', 'linux/arm64'],
      branches: ['main', 'master'],
    });
    const before = snapshot(repo);
    const second = cli(['ci', repo, '--yes']);
    expect(second.status, second.stderr).toBe(0);
    expect(snapshot(repo)).toEqual(before);
    // An app run regenerates the stored workflow too (a 'stored' target), and check sees its drift.
    expect(cli(['check', repo]).status).toBe(0);
    expect(cli(['batch', '--check', repo]).status).toBe(0);
    const rc = fs.readJsonSync(join(repo, '.yo-rc.json'));
    rc['generator-openedx-ida'].ci.registry = 'registry.example.com';
    fs.writeJsonSync(join(repo, '.yo-rc.json'), rc);
    const drift = cli(['check', repo]);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain('+          registry: "registry.example.com"');
    expect(cli(['batch', '--check', repo]).status).toBe(1);
    // Regeneration (batch, as for every stored output) takes the stored change into the workflow.
    expect(cli(['batch', repo]).status).toBe(0);
    expect(fs.readFileSync(join(repo, WORKFLOW), 'utf8')).toContain('registry: "registry.example.com"');
    expect(cli(['check', repo]).status).toBe(0);
  });

  it('pins every action to the table SHA with its tag, grants each job only what it needs, never keeps credentials', () => {
    const repo = fixtureCopy('standard');
    expect(cli([repo, '--yes', '--newrelic', '--private']).status).toBe(0);
    // GHCR: the job's own token pushes (packages: write).
    expect(cli(['ci', repo, '--yes', '--base-image', 'ghcr.io/openedx/minicreds:main']).status).toBe(0);
    const text = fs.readFileSync(join(repo, WORKFLOW), 'utf8');
    const workflow = parse(text) as { on: Record<string, unknown>; permissions: object; jobs: Record<string, Job> };
    expect(Object.keys(workflow.on)).toEqual(['pull_request', 'push']);
    expect(text).not.toContain('pull_request_target');
    expect(workflow.permissions).toEqual({});
    const pins = new Map<string, { sha: string; tag: string }>(
      Object.values(ACTIONS).map((action) => [action.repo, action]),
    );
    for (const line of text.split('\n').filter((l) => /^\s+(- )?uses:/.test(l))) {
      const [, repoName, sha, tag] = /uses: ([\w-]+\/[\w-]+)@([0-9a-f]{40}) # (v[\d.]+)$/.exec(line) ?? [];
      expect(pins.get(repoName), line).toMatchObject({ sha, tag });
    }
    expect(Object.keys(workflow.jobs)).toEqual(['pull-request', 'publish', 'newrelic', 'private']);
    expect(workflow.jobs['pull-request'].permissions).toEqual({ contents: 'read' });
    for (const id of ['publish', 'newrelic', 'private'])
      expect(workflow.jobs[id].permissions).toEqual({ contents: 'read', packages: 'write' });
    for (const job of Object.values(workflow.jobs))
      for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout@')))
        expect(step.with?.['persist-credentials']).toBe(false);
    // Derivatives FROM the pushed image by digest; the private index URL only as a BuildKit secret.
    const build = (id: string) => workflow.jobs[id].steps.find((s) => s.uses?.startsWith('docker/build-push-action@'))!;
    expect(workflow.jobs.private.needs).toBe('publish');
    expect(build('newrelic').with?.file).toBe('Dockerfile.newrelic');
    expect(build('private').with?.['build-args']).toContain(
      'BASE_IMAGE=${{ needs.publish.outputs.image }}@${{ needs.publish.outputs.digest }}',
    );
    expect(build('private').with?.secrets).toBe('pip_index_url=${{ secrets.PRIVATE_INDEX_URL }}\n');
    expect(build('publish').with).toMatchObject({ push: true, sbom: true, provenance: 'mode=max' });
    // Secrets reach actions only through `with:`, never a shell line.
    for (const job of Object.values(workflow.jobs))
      for (const step of job.steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('smoke-tests the pull request against the databases the example YAML names, with the command users run', () => {
    const repo = fixtureCopy('standard');
    expect(cli(['ci', repo, '--yes']).status).toBe(0);
    const workflow = parse(fs.readFileSync(join(repo, WORKFLOW), 'utf8')) as { jobs: Record<string, Job> };
    const job = workflow.jobs['pull-request'];
    expect(job.services).toMatchObject({
      mysql: { image: 'mysql:8.0', env: { MYSQL_DATABASE: 'minicreds', MYSQL_USER: 'minicreds001' } },
      memcached: { ports: ['11211:11211'] },
    });
    const smoke = job.steps.find((step) => step.run?.includes('openedx-ida smoke'))!;
    expect(smoke.env?.OPENEDX_IDA_SMOKE_DB_PASSWORD).toBe(
      (job.services as { mysql: { env: Record<string, string> } }).mysql.env.MYSQL_PASSWORD,
    );
    expect(job.steps.map((step) => step.run ?? step.uses?.split('@')[0])).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'npx --yes -p "$TOOL" openedx-ida check',
      'npx --yes -p "$TOOL" openedx-ida lint $DOCKERFILES',
      'pipx run --spec "$HADOLINT" hadolint $DOCKERFILES',
      'docker/setup-buildx-action',
      'docker/build-push-action',
      'npx --yes -p "$TOOL" openedx-ida smoke "$IMAGE" .',
    ]);
  });

  it("passes the operator's smoke YAML (--smoke-config, stored) to smoke --config, and the run line works as written", () => {
    const repo = fixtureCopy('standard');
    fs.outputFileSync(join(repo, 'ci/smoke.yml'), 'SECRET_KEY: ci-only\n');
    const run = cli(['ci', repo, '--yes', '--smoke-config', 'ci/smoke.yml']);
    expect(run.status, run.stderr).toBe(0);
    expect(fs.readJsonSync(join(repo, '.yo-rc.json'))['generator-openedx-ida'].ci.smokeConfig).toBe('ci/smoke.yml');
    const workflow = parse(fs.readFileSync(join(repo, WORKFLOW), 'utf8')) as { jobs: Record<string, Job> };
    const smoke = workflow.jobs['pull-request'].steps.find((step) => step.run?.includes('openedx-ida smoke'))!;
    expect(smoke.run).toBe('npx --yes -p "$TOOL" openedx-ida smoke "$IMAGE" . --config "$SMOKE_CONFIG"');
    expect(smoke.env?.SMOKE_CONFIG).toBe('ci/smoke.yml');
    expect(smoke.env?.OPENEDX_IDA_SMOKE_DB_PASSWORD).toBeUndefined();
    // The command as the workflow runs it reads that file (here it does not parse: exit 2 naming it).
    fs.outputFileSync(join(repo, 'ci/smoke.yml'), 'A: [\n');
    const smokeRun = cli(['smoke', 'no-such-image', repo, '--config', join(repo, smoke.env!.SMOKE_CONFIG)]);
    expect(smokeRun.status).toBe(2);
    expect(smokeRun.stderr).toMatch(/ci\/smoke\.yml: not YAML/);
    expect(cli(['ci', repo, '--yes', '--smoke-config', '../out.yml']).status).toBe(2);
  });

  // Else the workflow is written and fails only in a pull request's smoke job.
  it.each([
    ['a missing file', () => undefined, /--smoke-config ci\/smoke\.yml: there is no such file in the repo/],
    ['a symlink out of the repo', (file: string) => fs.symlinkSync('/etc/hosts', file), /leads out of the repo/],
    ['a directory', (file: string) => fs.mkdirSync(file), /--smoke-config ci\/smoke\.yml: it is a directory/],
    ['a file that is not YAML', (file: string) => fs.writeFileSync(file, 'A: [\n'), /smoke\.yml: not YAML \(line \d\)/],
    ['a YAML list', (file: string) => fs.writeFileSync(file, '- a\n'), /smoke\.yml: not a YAML mapping/],
  ])('refuses --smoke-config naming %s with one line, writing nothing', (_, make, message) => {
    const repo = fixtureCopy('standard');
    fs.mkdirSync(join(repo, 'ci'));
    make(join(repo, 'ci/smoke.yml'));
    const before = listFiles(repo);
    const result = cli(['ci', repo, '--yes', '--smoke-config', 'ci/smoke.yml']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(listFiles(repo)).toEqual(before);
  });

  it('takes another registry, image, platforms and branches; another registry logs in with its own secrets', () => {
    const repo = fixtureCopy('standard');
    const result = cli([
      'ci',
      repo,
      '--yes',
      '--registry',
      'registry.example.com:5000',
      '--image-name',
      'myorg/minicreds',
      '--platforms',
      'linux/amd64',
      '--branches',
      'release/*,main',
    ]);
    expect(result.status, result.stderr).toBe(0);
    const text = fs.readFileSync(join(repo, WORKFLOW), 'utf8');
    const workflow = parse(text) as { on: { push: { branches: string[] } }; jobs: Record<string, Job> };
    expect(workflow.on.push.branches).toEqual(['release/*', 'main']);
    expect(text).toContain('images: "registry.example.com:5000/myorg/minicreds"');
    expect(text).toContain('password: ${{ secrets.REGISTRY_PASSWORD }}');
    expect(text).not.toContain('setup-qemu-action');
    expect(workflow.jobs.publish.permissions).toEqual({ contents: 'read' });
    // Stored: a rerun without flags writes the same file.
    const before = fs.readFileSync(join(repo, WORKFLOW), 'utf8');
    expect(cli(['ci', repo, '--yes']).status).toBe(0);
    expect(fs.readFileSync(join(repo, WORKFLOW), 'utf8')).toBe(before);
  });

  it('writes the same file through Yeoman (yo openedx-ida:ci), without a public image line', () => {
    const repo = fixtureCopy('standard');
    expect(cli(['ci', repo, '--yes']).status).toBe(0);
    const before = snapshot(repo);
    const yeoman = cli(['ci', repo, '--yes', '--bail']); // --bail sends the run through Yeoman
    expect(yeoman.status, yeoman.stderr).toBe(0);
    expect(yeoman.stdout + yeoman.stderr).toMatch(/identical .*minicreds-image\.yml/);
    expect(yeoman.stdout + yeoman.stderr).not.toMatch(/FROM/);
    expect(snapshot(repo)).toEqual(before);
  });

  it.each([
    [['--registry', 'https://ghcr.io'], /--registry "https:\/\/ghcr\.io" is not valid \(use a registry host name/],
    [['--registry', 'ghcr'], /--registry "ghcr" is not valid/],
    [
      ['--platforms', 'linux/amd64,windows/amd64'],
      /--platforms "windows\/amd64" is not valid \(use one of linux\/amd64/,
    ],
    [['--image-name', 'MyOrg/Thing'], /--image-name "MyOrg\/Thing" is not valid/],
    [['--branches', 'main;rm'], /--branches "main;rm" is not valid/],
    [['--ci-file', 'ci.yml'], /--ci-file "ci\.yml" is not valid \(use a file in \.github\/workflows\//],
  ])('refuses %j in one line and writes nothing', (flags, message) => {
    const repo = fixtureCopy('standard');
    const before = snapshot(repo);
    const result = cli(['ci', repo, '--yes', ...flags]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses a bad stored decision, naming .yo-rc.json and the key', () => {
    const repo = fixtureCopy('standard');
    fs.writeJsonSync(join(repo, '.yo-rc.json'), { 'generator-openedx-ida': { ci: { platforms: ['linux/mips'] } } });
    const before = snapshot(repo);
    const result = cli(['ci', repo, '--yes']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/ci\.platforms in \.yo-rc\.json \(--platforms\) is "linux\/mips": not valid/);
    expect(snapshot(repo)).toEqual(before);
  });
});
