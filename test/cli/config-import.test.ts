/** `openedx-ida config import --from-ansible` as an operator runs it: files, modes, exit codes, logs without secrets. */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../e2e/engines.js';
import { FIXTURES_DIR } from '../support/fixtures.js';

const CHECKOUT = join(FIXTURES_DIR, 'ansible-configuration');
const VARS = join(FIXTURES_DIR, 'ansible-vars');

function emptyRepo(): string {
  return fs.mkdtempSync(join(tmpdir(), 'openedx-ida-config-import-'));
}

describe('openedx-ida config import --from-ansible', () => {
  it('writes <service>.yml readable by its owner only, and never prints a secret', () => {
    const repo = emptyRepo();
    const vars = [join(VARS, 'base.yml'), join(VARS, 'override.yml')];
    const run = cli([
      'config',
      'import',
      repo,
      '--from-ansible',
      CHECKOUT,
      '--service',
      'minicreds',
      '--vars',
      ...vars,
    ]);
    // EDXAPP_LMS_ROOT_URL stays unresolved: exit 1, the file is written all the same.
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/unresolved: EDXAPP_LMS_ROOT_URL \(defined in playbooks\/roles\/edxapp/);
    const file = join(repo, 'minicreds.yml');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toContain('operator-db-password-2');
    for (const secret of ['operator-db-password', 'operator-secret-key', 'SET-ME-PLEASE'])
      expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('refuses to overwrite without --force (exit 1), and overwrites with it', () => {
    const repo = emptyRepo();
    const args = ['config', 'import', repo, '--from-ansible', CHECKOUT, '--service', 'worker'];
    expect(cli(args).status).toBe(0);
    fs.writeFileSync(join(repo, 'worker.yml'), 'mine: true\n');
    const again = cli(args);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/worker\.yml exists; pass --force/);
    expect(fs.readFileSync(join(repo, 'worker.yml'), 'utf8')).toBe('mine: true\n');
    expect(cli([...args, '--force']).status).toBe(0);
    expect(fs.readFileSync(join(repo, 'worker.yml'), 'utf8')).toContain('MAX_RETRIES: 11');
  });

  it('writes to --output and takes the service from the repo directory name', () => {
    const parent = emptyRepo();
    const repo = join(parent, 'worker');
    fs.mkdirSync(repo);
    const run = cli(['config', 'import', repo, '--from-ansible', CHECKOUT, '--output', 'etc/out.yml']);
    expect(run.status, run.stderr).toBe(0);
    expect(fs.readFileSync(join(repo, 'etc', 'out.yml'), 'utf8')).toContain('BROKER_URL:');
  });

  it.each([
    [
      ['--from-ansible', '/nonexistent-checkout', '--service', 'worker'],
      /is not a checkout of the Ansible configuration/,
    ],
    [['--from-ansible', CHECKOUT, '--service', 'wroker'], /no role for the service "wroker".*nearest are worker/],
    [
      ['--from-ansible', CHECKOUT, '--service', 'minicreds', '--vars', join(VARS, 'broken.yml')],
      /broken\.yml:4: not valid YAML/,
    ],
    [
      ['--from-ansible', CHECKOUT, '--service', 'brokenjinja'],
      /Jinja error at playbooks\/roles\/brokenjinja\/defaults\/main\.yml:4/,
    ],
  ])('exits 2 with one line: %j', (args, message) => {
    const run = cli(['config', 'import', emptyRepo(), ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
