import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regenerateRepo } from '../../src/regen/regenerate.js';
import { copyFixtureRepo, copyRepo, listFiles } from './fixtures.js';

describe('fixture copies', () => {
  it('start clean after the tool ran in the fixture (README command 1 on examples/minicreds)', () => {
    const ran = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-ran-'));
    copyFixtureRepo('standard', ran);
    const source = listFiles(ran);
    fs.writeJsonSync(join(ran, '.yo-rc.json'), {
      'generator-openedx-ida': { newrelic: { file: 'Dockerfile.newrelic', newrelicVersion: '9.13.0' } },
    });
    expect(regenerateRepo(ran).error).toBeNull();
    expect(listFiles(ran)).toEqual(
      expect.arrayContaining(['.openedx-ida/facts.json', '.openedx-ida/pristine/Dockerfile', 'Dockerfile.newrelic']),
    );
    const copy = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-copy-'));
    copyRepo(ran, copy);
    expect(listFiles(copy)).toEqual(source);
  });
});
