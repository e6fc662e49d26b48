/** `config validate`: the checks on in-memory schemas, then the built command on a fixture copy. */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { fillExampleConfig } from '../../src/config/fill.js';
import { nearestName, validateConfig } from '../../src/config/validate.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { renderExampleConfig, toExampleConfigModel } from '../../src/model/example-config.js';
import { toConfigSchema } from '../../src/model/example-schema.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo } from '../support/fixtures.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";

function service(base: string) {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py': `from .base import *\n${LOAD}`,
      'requirements/base.txt': 'django==4.2.16\nmysqlclient==2.2.4\n',
    }),
  );
  const model = toExampleConfigModel(facts, resolveConfig(facts, {}));
  return { model, schema: toConfigSchema(model, 'svc', model.schemaFile) };
}

describe('the schema', () => {
  const { schema } = service("TIME_ZONE = 'UTC'\nPAGE_SIZE = 20\nFEATURES = {'A': True}\nSTATIC_ROOT = root('x')\n");

  it('types each key from its default, describes it with its comment, requires the required part', () => {
    expect(schema.properties.TIME_ZONE).toEqual({ type: 'string', description: 'Default from svc/settings/base.py:1' });
    expect(schema.properties.PAGE_SIZE.type).toBe('integer');
    expect(schema.properties.FEATURES.type).toBe('object');
    expect(schema.properties.STATIC_ROOT).not.toHaveProperty('type');
    expect(schema.required).toEqual(['SECRET_KEY', 'ALLOWED_HOSTS', 'DATABASES', 'CACHES']);
  });
});

describe('validateConfig', () => {
  const { model, schema } = service("TIME_ZONE = 'UTC'\nPAGE_SIZE = 20\n");

  it('passes the example once its placeholders are filled', () => {
    const filled = fillExampleConfig(renderExampleConfig(model), { host: '127.0.0.1', fallback: () => 'value' });
    expect(validateConfig(filled.text, schema)).toEqual([]);
  });

  it('reports placeholders left in, with the path and line', () => {
    const findings = validateConfig(renderExampleConfig(model), schema);
    expect(findings.map((finding) => finding.key)).toEqual(['SECRET_KEY', 'DATABASES.default.PASSWORD']);
    expect(findings.every((finding) => finding.kind === 'placeholder' && finding.line !== null)).toBe(true);
  });

  it('names the nearest real key of a typo, warns of a key nothing names, reports types and missing keys', () => {
    const text =
      'SECRET_KEY: s\nALLOWED_HOST: [a]\nDATABASES: {}\nCACHES: x\nPAGE_SIZE: 2.5\nTIME_ZONE: 3\nMY_FLAG: 1\n';
    expect(validateConfig(text, schema)).toEqual([
      expect.objectContaining({
        kind: 'unknown-key',
        key: 'ALLOWED_HOST',
        line: 2,
        severity: 'error',
        message: expect.stringContaining('did you mean ALLOWED_HOSTS?'),
      }),
      expect.objectContaining({
        kind: 'wrong-type',
        key: 'CACHES',
        line: 4,
        message: 'CACHES is a string, the service expects a mapping',
      }),
      expect.objectContaining({ kind: 'wrong-type', key: 'TIME_ZONE', line: 6 }),
      expect.objectContaining({ kind: 'unknown-key', key: 'MY_FLAG', severity: 'warning' }),
      expect.objectContaining({ kind: 'missing-key', key: 'ALLOWED_HOSTS', line: null }),
    ]);
  });

  it.each([
    ['ALLOWED_HOST', 'ALLOWED_HOSTS'],
    ['time_zone', 'TIME_ZONE'],
    ['COMPLETELY_OTHER', undefined],
  ])('nearestName(%s) is %s', (key, near) => {
    expect(nearestName(key, Object.keys(schema.properties))).toBe(near);
  });
});

describe('openedx-ida config validate', () => {
  const repo = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-validate-'));
  copyFixtureRepo('standard', repo);
  const write = (name: string, text: string) => {
    fs.writeFileSync(join(repo, name), text);
    return join(repo, name);
  };

  it('exits 1 on the unfilled example with one line per finding, 0 once filled', () => {
    expect(cli([repo, '--yes']).status).toBe(0);
    const example = join(repo, 'minicreds.example.yml');
    const unfilled = cli(['config', 'validate', example, repo]);
    expect(unfilled.status).toBe(1);
    expect(unfilled.stdout).toMatch(/minicreds\.example\.yml:\d+: error: SECRET_KEY still holds CHANGE-ME-secret-key/);
    const filled = fillExampleConfig(fs.readFileSync(example, 'utf8'), { host: 'db', fallback: () => 'value' });
    const ok = cli(['config', 'validate', write('ok.yml', filled.text), repo]);
    expect(ok.status, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/valid for minicreds/);
  });

  it('prints JSON with --json', () => {
    const result = cli(['config', 'validate', write('typo.yml', 'SECRET_KY: x\n'), repo, '--json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings[0]).toMatchObject({ kind: 'unknown-key', key: 'SECRET_KY', line: 1 });
  });

  it.each([
    ['a missing file', 'missing.yml', /cannot check .*missing\.yml: no such file \(ENOENT\);/],
    ['a directory', 'a-dir', /cannot check .*a-dir: a directory, not a file \(EISDIR\);/],
    ['a file that does not parse', 'bad.yml', /cannot check .*bad\.yml: line 2: /],
    ['a list at the top', 'list.yml', /top level is not a mapping/],
  ])('exits 2 with one line for %s', (_, name, message) => {
    if (name === 'bad.yml') write(name, 'a: [\n');
    if (name === 'list.yml') write(name, '- a\n');
    if (name === 'a-dir') fs.mkdirSync(join(repo, name));
    const result = cli(['config', 'validate', join(repo, name), repo]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    ['no FILE', [], /missing required argument 'file'/],
    ['an unknown flag', ['ok.yml', '--bogus'], /unknown option '--bogus'/],
  ])('exits 2, the usage code the README gives, for %s', (_, args, message) => {
    const result = cli(['config', 'validate', ...args.map((arg) => (arg.endsWith('.yml') ? join(repo, arg) : arg))]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('the schema file in regeneration', () => {
  it('is identical on a second run, and check reports it stale when the settings gain a key', () => {
    const repo = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-schema-'));
    copyFixtureRepo('standard', repo);
    expect(cli([repo, '--yes']).status).toBe(0);
    expect(cli([repo, '--yes']).stderr).toMatch(/identical .*minicreds\.schema\.json/);
    expect(cli(['check', repo]).status).toBe(0);
    fs.appendFileSync(join(repo, 'minicreds', 'settings', 'base.py'), "\nREPORTS_BUCKET = 'reports'\n");
    const check = cli(['check', repo, '--json']);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/minicreds\.schema\.json/);
  });
});
