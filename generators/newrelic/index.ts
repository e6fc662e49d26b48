import { join } from 'node:path';
import { DEFAULT_NEWRELIC_VERSION, type NewrelicConfig, resolveNewrelicConfig, toNewrelicModel } from '../../src/model/derivatives.js';
import { renderTemplate } from '../../src/render/render.js';
import { TEMPLATES_DIR } from '../../src/package-info.js';
import { writeGenerated } from '../write-generated.js';
import { DerivativeGenerator, type DerivativeOptions, type OptionDeclaration } from '../derivative.js';

/** The variant's own flags (also accepted by `app --newrelic`). */
export const NEWRELIC_OPTIONS: OptionDeclaration[] = [
  ['newrelic-version', { type: String, description: `newrelic version to install when the requirements do not pin it (default ${DEFAULT_NEWRELIC_VERSION})` }],
  ['newrelic-file', { type: String, description: 'Where to write it (default Dockerfile.newrelic)' }],
];

/** `openedx-ida newrelic [REPO]`: a Dockerfile FROM the public image that runs it under the New Relic agent. */
export default class NewrelicGenerator extends DerivativeGenerator {
  protected readonly variant = 'newrelic';

  constructor(args: string[], options: DerivativeOptions) {
    super(args, options);
    for (const [name, spec] of NEWRELIC_OPTIONS) this.option(name, spec);
    this.sourceRoot(join(TEMPLATES_DIR, 'newrelic'));
  }

  writing() {
    const config = resolveNewrelicConfig(this.options, this.config.get('newrelic') as Partial<NewrelicConfig> | undefined);
    this.config.set('newrelic', config);
    this.report = writeGenerated(this, new Map([[config.file, renderTemplate('newrelic/Dockerfile.ejs', toNewrelicModel(this.image, config))]]));
  }
}
