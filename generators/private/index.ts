import { join } from 'node:path';
import { type PrivateConfig, resolvePrivateConfig, toPrivateModel } from '../../src/model/derivatives.js';
import { renderTemplate } from '../../src/render/render.js';
import { TEMPLATES_DIR } from '../../src/package-info.js';
import { writeGenerated } from '../write-generated.js';
import { DerivativeGenerator, type DerivativeOptions, type OptionDeclaration } from '../derivative.js';

/** The variant's own flags (also accepted by `app --private`). */
export const PRIVATE_OPTIONS: OptionDeclaration[] = [
  ['private-requirements', { type: String, description: 'Requirements files with private packages (comma-separated; default requirements/private.txt when present)' }],
  ['pip-packages', { type: String, description: 'Extra pip packages: plugins, XBlocks (comma- or space-separated)' }],
  ['apt-packages', { type: String, description: 'Extra Debian packages (comma- or space-separated)' }],
  ['copy', { type: String, description: 'Files to copy in, SRC:DEST (comma-separated; DEST relative to the app dir)' }],
  ['index-secret', { type: String, description: 'BuildKit secret id holding the private index URL (default pip_index_url)' }],
  ['private-file', { type: String, description: 'Where to write it (default Dockerfile.private)' }],
];

/**
 * `openedx-ida private [REPO]`: a Dockerfile FROM the public image for operators: private
 * requirements and plugins from a private index (a BuildKit secret), apt packages, themes.
 */
export default class PrivateGenerator extends DerivativeGenerator {
  protected readonly variant = 'private';

  constructor(args: string[], options: DerivativeOptions) {
    super(args, options);
    for (const [name, spec] of PRIVATE_OPTIONS) this.option(name, spec);
    this.sourceRoot(join(TEMPLATES_DIR, 'private'));
  }

  writing() {
    const config = resolvePrivateConfig(this.options, this.config.get('private') as Partial<PrivateConfig> | undefined, this.fs.exists(this.destinationPath('requirements/private.txt')));
    const model = toPrivateModel(this.image, config);
    this.config.set('private', config);
    this.report = writeGenerated(this, new Map([[config.file, renderTemplate('private/Dockerfile.ejs', model)]]));
  }
}
