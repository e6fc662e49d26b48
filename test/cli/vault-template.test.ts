/** `--vault-template` through the CLI: written, stored, regenerated identically, drift seen by check. */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo } from '../support/fixtures.js';

function standardCopy(): string {
  const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-vault-'));
  copyFixtureRepo('standard', dir);
  return dir;
}

describe('openedx-ida --vault-template', () => {
  it('writes minicreds.yml.ctmpl, stores the decision, regenerates it identically, and check sees drift', () => {
    const repo = standardCopy();
    const first = cli([repo, '--yes', '--vault-template', '--vault-path', 'kv/data/edx/minicreds']);
    expect(first.status, first.stderr).toBe(0);
    const ctmpl = fs.readFileSync(join(repo, 'minicreds.yml.ctmpl'), 'utf8');
    expect(ctmpl).toContain('{{ with secret "kv/data/edx/minicreds" }}{{ .Data.data.SECRET_KEY | toJSON }}{{ end }}');
    expect(fs.readJsonSync(join(repo, '.yo-rc.json'))['generator-openedx-ida'].vault).toEqual({
      template: true,
      path: 'kv/data/edx/minicreds',
    });
    // A rerun without flags follows the stored decision.
    const second = cli([repo, '--yes']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/identical .*minicreds\.yml\.ctmpl/);
    expect(cli(['check', repo]).status).toBe(0);
    // A changed stored decision is drift in the .ctmpl (a hand edit alone is the user's, as for every file).
    const yoRc = fs.readJsonSync(join(repo, '.yo-rc.json'));
    yoRc['generator-openedx-ida'].vault.path = 'kv/data/other';
    fs.writeJsonSync(join(repo, '.yo-rc.json'), yoRc);
    const check = cli(['check', repo]);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/minicreds\.yml\.ctmpl[\s\S]*kv\/data\/other/);
    expect(cli(['batch', '--check', repo]).status).toBe(1);
    // batch regenerates it from the stored decision.
    expect(cli(['batch', repo]).status).toBe(0);
    expect(fs.readFileSync(join(repo, 'minicreds.yml.ctmpl'), 'utf8')).toContain('"kv/data/other"');
  });

  it('refuses a path that is not KV v2 in one line and writes nothing', () => {
    const repo = standardCopy();
    const run = cli([repo, '--yes', '--vault-template', '--vault-path', 'secret/minicreds']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--vault-path "secret\/minicreds" is not valid \(use a KV v2 path/);
    expect(fs.existsSync(join(repo, 'Dockerfile'))).toBe(false);
  });
});
