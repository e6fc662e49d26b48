import { DerivativeGenerator, type DerivativeOptions } from '../derivative.js';

/** `openedx-ida kubernetes [REPO]`: a kustomize base and overlays that deploy the image on Kubernetes. */
export default class KubernetesGenerator extends DerivativeGenerator {
  constructor(args?: string[], options?: DerivativeOptions) {
    super(args, options, 'kubernetes');
  }
}
