import { DerivativeGenerator, type DerivativeOptions } from '../derivative.js';

/**
 * `openedx-ida private [REPO]`: a Dockerfile FROM the public image for operators: private
 * requirements and plugins from a private index (a BuildKit secret), apt packages, themes.
 */
export default class PrivateGenerator extends DerivativeGenerator {
  constructor(args?: string[], options?: DerivativeOptions) {
    super(args, options, 'private');
  }
}
