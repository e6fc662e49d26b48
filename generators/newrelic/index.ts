import { DerivativeGenerator, type DerivativeOptions } from '../derivative.js';

/** `openedx-ida newrelic [REPO]`: a Dockerfile FROM the public image that runs it under the New Relic agent. */
export default class NewrelicGenerator extends DerivativeGenerator {
  constructor(args?: string[], options?: DerivativeOptions) {
    super(args, options, 'newrelic');
  }
}
