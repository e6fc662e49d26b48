import { DerivativeGenerator, type DerivativeOptions } from '../derivative.js';

/** `openedx-ida ci [REPO]`: the GitHub Actions workflow that builds, smoke-tests and publishes the image. */
export default class CiGenerator extends DerivativeGenerator {
  constructor(args?: string[], options?: DerivativeOptions) {
    super(args, options, 'ci');
  }
}
