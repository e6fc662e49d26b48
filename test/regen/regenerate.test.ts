import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regenerateRepo } from '../../src/regen/regenerate.js';
import { copyFixtureRepo, listFiles } from '../support/fixtures.js';

function fixtureCopy(): string {
  const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-regen-'));
  copyFixtureRepo('standard', dir);
  return dir;
}

describe('regenerateRepo (batch)', () => {
  it.each([
    ['.yo-rc.json', 'existing'],
    ['.yo-rc.json', 'dangling'],
    ['.openedx-ida/facts.json', 'existing'],
    ['.openedx-ida/facts.json', 'dangling'],
  ])('refuses a %s symlink to an %s file outside the repo, writing nothing', (file, kind) => {
    const repo = fixtureCopy();
    const outside = join(fs.mkdtempSync(join(tmpdir(), 'openedx-ida-outside-')), 'target');
    if (kind === 'existing') fs.writeFileSync(outside, 'theirs\n');
    fs.ensureDirSync(join(repo, '.openedx-ida'));
    fs.symlinkSync(outside, join(repo, file));
    const before = listFiles(repo);
    expect(regenerateRepo(repo).error).toMatch(
      new RegExp(`^refusing to write ${file.replace('.', '\\.')}: it is a symlink`),
    );
    expect(kind === 'existing' ? fs.readFileSync(outside, 'utf8') : fs.existsSync(outside)).toBe(
      kind === 'existing' ? 'theirs\n' : false,
    );
    expect(listFiles(repo)).toEqual(before);
  });

  it('leaves a hand-written file and adopts nothing, run after run', () => {
    const repo = fixtureCopy();
    fs.writeFileSync(join(repo, 'Dockerfile'), 'FROM mine\n');
    for (let run = 0; run < 2; run++) expect(regenerateRepo(repo).conflicts).toEqual(['Dockerfile']);
    expect(fs.existsSync(join(repo, '.openedx-ida/pristine/Dockerfile'))).toBe(false);
    expect(fs.readFileSync(join(repo, 'Dockerfile'), 'utf8')).toBe('FROM mine\n');
  });

  it('names a broken .yo-rc.json', () => {
    const repo = fixtureCopy();
    fs.writeFileSync(join(repo, '.yo-rc.json'), '{ not json');
    expect(regenerateRepo(repo).error).toMatch(/^\.yo-rc\.json is not valid JSON \(.*\); fix or remove \.yo-rc\.json/);
  });
});
