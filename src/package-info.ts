import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, found from this file in the sources (tests) and in lib/ (installed). */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === 'generator-openedx-ida') return dir;
    } catch {
      // keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('generator-openedx-ida: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();

/** This generator's version, recorded in every generated file's header. */
export const GENERATOR_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/** Where the EJS templates live (a top-level folder, so resolved from the package root). */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
