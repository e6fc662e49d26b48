/** Regenerating a repo the previous version (d3884da) generated: nothing moves silently, nothing stops. */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../e2e/engines.js';

const OLD = join(dirname(fileURLToPath(import.meta.url)), '..', 'upgrade', 'd3884da-license_manager');
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
