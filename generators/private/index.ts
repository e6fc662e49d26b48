import { join } from 'node:path';
import { type PrivateConfig, resolvePrivateConfig, toPrivateModel } from '../../src/model/derivatives.js';
import { renderTemplate } from '../../src/render/render.js';
import { TEMPLATES_DIR } from '../../src/package-info.js';
import { writeGenerated } from '../write-generated.js';
import { DerivativeGenerator, type DerivativeOptions } from '../derivative.js';
import { yeomanOptions } from '../../src/model/options.js';

/**
 * `openedx-ida private [REPO]`: a Dockerfile FROM the public image for operators: private
 * requirements and plugins from a private index (a BuildKit secret), apt packages, themes.
 */
export default class PrivateGenerator extends DerivativeGenerator {
  protected readonly variant = 'private';

  constructor(args: string[], options: DerivativeOptions) {
    super(args, options);
    for (const [name, spec] of yeomanOptions('private')) this.option(name, spec);
    this.sourceRoot(join(TEMPLATES_DIR, 'private'));
  }

  writing() {
    const config = resolvePrivateConfig(this.options, this.config.get('private') as Partial<PrivateConfig> | undefined, this.fs.exists(this.destinationPath('requirements/private.txt')));
    const model = toPrivateModel(this.image, config);
    this.config.set('private', config);
    this.report = writeGenerated(this, new Map([[config.file, renderTemplate('private/Dockerfile.ejs', model)]]));
  }
}
