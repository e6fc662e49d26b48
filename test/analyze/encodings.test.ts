import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { renderAppFiles } from '../../src/render/render.js';
import { copyFixtureRepo } from '../support/fixtures.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function standardCopy(): string {
  const repo = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-encoding-'));
  copyFixtureRepo('standard', repo);
  return repo;
}

describe('file encodings', () => {
  it.each([
    ['a Python settings file', 'minicreds/settings/production.py'],
    ['setup.py', 'setup.py'],
  ])('a UTF-8 BOM in %s gives no parse warning and the same facts', (_what, file) => {
    const repo = standardCopy();
    const before = analyzeRepo(new DiskReader(repo));
    fs.writeFileSync(join(repo, file), Buffer.concat([BOM, fs.readFileSync(join(repo, file))]));
    const after = analyzeRepo(new DiskReader(repo));
    expect(after.warnings).toEqual(before.warnings);
    expect(after.settingsModule).toEqual(before.settingsModule);
    expect(after.sourceUrl).toEqual(before.sourceUrl);
  });

  it.each([
    ['setup.cfg', '[metadata]\nurl = https://github.com/example/minicreds\n'],
    [
      'pyproject.toml',
      '[project]\nname = "minicreds"\n[project.urls]\nSource = "https://github.com/example/minicreds"\n',
    ],
  ])('a UTF-8 BOM in %s still gives its first section', (file, text) => {
    const repo = standardCopy();
    fs.removeSync(join(repo, 'setup.py'));
    fs.writeFileSync(join(repo, file), Buffer.concat([BOM, Buffer.from(text)]));
    const facts = analyzeRepo(new DiskReader(repo));
    expect(facts.sourceUrl).toMatchObject({
      value: 'https://github.com/example/minicreds',
      source: expect.stringContaining(file),
    });
    expect(facts.warnings.map((warning) => warning.message).join('\n')).not.toContain(file);
  });

  it('a Latin-1 settings file is read as Latin-1 with a warning naming it: no U+FFFD in the YAML', () => {
    const repo = standardCopy();
    const base = join(repo, 'minicreds/settings/base.py');
    fs.writeFileSync(
      base,
      Buffer.concat([fs.readFileSync(base), Buffer.from("PLATFORM_NAME = 'Montréal'\n", 'latin1')]),
    );
    const facts = analyzeRepo(new DiskReader(repo));
    expect(facts.warnings.map((warning) => warning.message)).toContain(
      'minicreds/settings/base.py is not UTF-8: read as Latin-1; check the values taken from it (save it as UTF-8)',
    );
    const files = renderAppFiles(facts, resolveConfig(facts, {}));
    const yaml = files.get('minicreds.example.yml')!;
    expect(yaml).not.toContain('\uFFFD');
    expect(yaml).toContain('Montréal');
  });
});
