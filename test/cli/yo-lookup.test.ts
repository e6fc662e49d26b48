import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEnv } from 'yeoman-environment';
import { ROOT } from '../e2e/engines.js';

describe('yo openedx-ida', () => {
  it('finds every generator under their namespaces when installed as generator-openedx-ida', async () => {
    expect(fs.existsSync(join(ROOT, 'lib', 'generators', 'app', 'index.js')), 'run `npm run build` first').toBe(true);
    const modules = join(fs.mkdtempSync(join(tmpdir(), 'openedx-ida-yo-')), 'node_modules');
    fs.ensureDirSync(modules);
    fs.symlinkSync(ROOT, join(modules, 'generator-openedx-ida'));
    const found = await createEnv().lookup({ packagePaths: [join(modules, 'generator-openedx-ida')] });
    const compiled = found.filter((meta) =>
      (meta as { filePath?: string; resolved?: string }).resolved?.endsWith('.js'),
    );
    expect(compiled.map((meta) => meta.namespace).sort()).toEqual([
      'openedx-ida:app',
      'openedx-ida:ci',
      'openedx-ida:compose',
      'openedx-ida:kubernetes',
      'openedx-ida:newrelic',
      'openedx-ida:private',
      'openedx-ida:tutor',
    ]);
  });
});
