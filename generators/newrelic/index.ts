import { join } from 'node:path';
import { type NewrelicConfig, resolveNewrelicConfig, toNewrelicModel } from '../../src/model/derivatives.js';
import { renderTemplate } from '../../src/render/render.js';
import { TEMPLATES_DIR } from '../../src/package-info.js';
import { writeGenerated } from '../write-generated.js';
import { DerivativeGenerator, type DerivativeOptions } from '../derivative.js';
import { yeomanOptions } from '../../src/model/options.js';

/** `openedx-ida newrelic [REPO]`: a Dockerfile FROM the public image that runs it under the New Relic agent. */
export default class NewrelicGenerator extends DerivativeGenerator {
  protected readonly variant = 'newrelic';

  constructor(args: string[], options: DerivativeOptions) {
    super(args, options);
    for (const [name, spec] of yeomanOptions('newrelic')) this.option(name, spec);
    this.sourceRoot(join(TEMPLATES_DIR, 'newrelic'));
  }

  writing() {
    const config = resolveNewrelicConfig(this.options, this.config.get('newrelic') as Partial<NewrelicConfig> | undefined);
    this.config.set('newrelic', config);
    this.report = writeGenerated(this, new Map([[config.file, renderTemplate('newrelic/Dockerfile.ejs', toNewrelicModel(this.image, config))]]));
  }
}
