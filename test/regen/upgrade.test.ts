/** Regenerating a repo the previous version (d3884da) generated: nothing moves silently, nothing stops. */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { cli } from '../e2e/engines.js';

const OLD = join(dirname(fileURLToPath(import.meta.url)), '..', 'upgrade', 'd3884da-license_manager');
const WORKFLOW = '.github/workflows/license_manager-image.yml';
const OLD_PACKAGE = 'tutor-contrib-license_manager/tutorlicensemanager';

/** A writable copy of the old tool's output. */
function oldRepo(): string {
  const repo = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-upgrade-'));
  fs.copySync(OLD, repo);
  return repo;
}

const stored = (repo: string) => fs.readJsonSync(join(repo, '.yo-rc.json'))['generator-openedx-ida'];

describe('a Tutor plugin name an earlier version stored, which this one refuses for a new name', () => {
  it('check and batch keep it with one warning naming the collision and the rename', () => {
    const repo = oldRepo();
    const check = cli(['check', repo]);
    expect(check.status, check.stdout + check.stderr).toBe(1);
    const warnings = check.stdout.split('\n').filter((line) => line.includes('warning: tutor.plugin'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("Tutor's official license plugin");
    expect(warnings[0]).toContain('openedx-ida tutor --yes --tutor-plugin ida_license_manager');
    const batch = cli(['batch', repo]);
    expect(batch.status, batch.stdout + batch.stderr).toBe(0);
    expect(batch.stdout).toContain('warning: tutor.plugin "license_manager"');
    expect(stored(repo).tutor.plugin).toBe('license_manager');
    expect(fs.readFileSync(join(repo, `${OLD_PACKAGE}/plugin.py`), 'utf8')).toContain('LICENSE_MANAGER_');
    const again = cli(['check', repo]);
    expect(again.status, again.stdout).toBe(0);
  });

  it('a new flag naming a colliding plugin is still refused', () => {
    const run = cli(['tutor', oldRepo(), '--yes', '--tutor-plugin', 'license_x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Tutor's official license plugin");
  });

  it('a rename leaves the old package to the user, and check reports it until it is removed', () => {
    const repo = oldRepo();
    expect(cli(['batch', repo]).status).toBe(0);
    const rename = cli(['tutor', repo, '--yes', '--tutor-plugin', 'ida_license_manager']);
    expect(rename.status, rename.stderr).toBe(0);
    expect(rename.stderr + rename.stdout).toContain('renamed license_manager -> ida_license_manager');
    expect(fs.existsSync(join(repo, `${OLD_PACKAGE}/plugin.py`))).toBe(true);
    const check = cli(['check', repo]);
    expect(check.status, check.stdout).toBe(1);
    expect(check.stdout).toContain(`${OLD_PACKAGE}/plugin.py: no longer generated`);
    expect(check.stdout).toContain(`.openedx-ida/pristine/${OLD_PACKAGE}/plugin.py`);
    const batchCheck = cli(['batch', '--check', repo]);
    expect(batchCheck.status, batchCheck.stdout).toBe(1);
    fs.removeSync(join(repo, OLD_PACKAGE));
    fs.removeSync(join(repo, '.openedx-ida/pristine', OLD_PACKAGE));
    const clean = cli(['check', repo]);
    expect(clean.status, clean.stdout).toBe(0);
  });
});

/** The image the workflow's publish job pushes (metadata-action's `images:`). */
function pushed(repo: string): string {
  const workflow = parse(fs.readFileSync(join(repo, WORKFLOW), 'utf8'));
  return workflow.jobs.publish.steps.find((step: { id?: string }) => step.id === 'meta').with.images;
}

describe('a CI registry the previous version stored by default (no baseImage)', () => {
  it('keeps what CI pushed, and says once how to make the others the same image', () => {
    const repo = oldRepo();
    const before = pushed(repo);
    expect(before).toBe('ghcr.io/${{ github.repository_owner }}/license_manager');
    const batch = cli(['batch', repo]);
    expect(batch.status, batch.stdout + batch.stderr).toBe(0);
    expect(pushed(repo)).toBe(before);
    const notes = batch.stdout.split('\n').filter((line) => line.includes('warning: ci.registry'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('run docker.io/openedx/license_manager:main');
    expect(notes[0]).toContain('--base-image ghcr.io/<owner>/license_manager:main');
    expect(stored(repo).ci.registry).toBe('ghcr.io');
    expect(stored(repo).ci.image).toBeUndefined();
    expect(cli(['check', repo]).status).toBe(0);
  });

  it('following the note moves CI, Kubernetes and Tutor to one image', () => {
    const repo = oldRepo();
    const align = cli(['ci', repo, '--yes', '--base-image', 'ghcr.io/acme/license_manager:main']);
    expect(align.status, align.stderr).toBe(0);
    expect(cli(['batch', repo]).status).toBe(0);
    expect(pushed(repo)).toBe('ghcr.io/acme/license_manager');
    const deployment = parseAllDocuments(fs.readFileSync(join(repo, 'deploy/kubernetes/base/deployment.yaml'), 'utf8'));
    expect(deployment[0].toJS().spec.template.spec.containers[0].image).toBe('ghcr.io/acme/license_manager:main');
    const plugin = fs.readFileSync(join(repo, `${OLD_PACKAGE}/plugin.py`), 'utf8');
    expect(plugin).toContain('"DOCKER_IMAGE": "ghcr.io/acme/license_manager:{{ LICENSE_MANAGER_VERSION }}"');
    const again = cli(['batch', repo]);
    expect(again.stdout).not.toContain('warning: ci.registry');
  });

  it('a repo set up by this version with --registry keeps its meaning (no owner path)', () => {
    const repo = oldRepo();
    fs.removeSync(join(repo, '.openedx-ida/pristine', WORKFLOW));
    fs.removeSync(join(repo, WORKFLOW));
    expect(cli(['ci', repo, '--yes', '--registry', 'ghcr.io']).status).toBe(0);
    expect(pushed(repo)).toBe('ghcr.io/openedx/license_manager');
  });
});
