import { DerivativeGenerator, type DerivativeOptions } from '../derivative.js';

/** `openedx-ida compose [REPO]`: compose.yaml and the YAML filled for it, to run the service locally. */
export default class ComposeGenerator extends DerivativeGenerator {
  constructor(args?: string[], options?: DerivativeOptions) {
    super(args, options, 'compose');
  }
}
