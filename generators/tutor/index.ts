import { DerivativeGenerator, type DerivativeOptions } from '../derivative.js';

/** `openedx-ida tutor [REPO]`: tutor-contrib-<service>/, a Tutor plugin that runs the service's image with its YAML. */
export default class TutorGenerator extends DerivativeGenerator {
  constructor(args?: string[], options?: DerivativeOptions) {
    super(args, options, 'tutor');
  }
}
