import { type CiConfig, type CiInputs, toCiModel } from '../model/ci.js';
import { renderTemplate } from './render.js';

/** The GitHub Actions workflow that builds, smoke-tests and publishes the service's image. */
export function renderCiFile(config: CiConfig, inputs: CiInputs): string {
  return renderTemplate('ci/workflow.yml.ejs', toCiModel(config, inputs));
}
