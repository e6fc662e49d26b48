import ejs from 'ejs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RepoFacts } from '../analyze/analyze.js';
import type { GeneratorConfig } from '../model/decisions.js';
import { type NewrelicConfig, type PrivateConfig, toNewrelicModel, toPrivateModel } from '../model/derivatives.js';
import { toDockerfileModel } from '../model/dockerfile-model.js';
import type { PublicImage } from '../model/public-image.js';
import { toDockerignoreModel } from '../model/dockerignore-model.js';
import { renderExampleConfig, toExampleConfigModel } from '../model/example-config.js';
import { renderConfigSchema, toConfigSchema } from '../model/example-schema.js';
import { TEMPLATES_DIR } from '../package-info.js';

/** Renders `templates/<name>` with the model (templates only substitute and branch on booleans). */
export function renderTemplate(name: string, model: object): string {
  const file = join(TEMPLATES_DIR, name);
  return ejs.render(readFileSync(file, 'utf8'), model as ejs.Data, { filename: file, async: false });
}

/** Every file the app generator writes, path (relative to the repo) → content (no example YAML or schema without a config variable). */
export function renderAppFiles(facts: RepoFacts, config: GeneratorConfig): Map<string, string> {
  const files = new Map([
    ['Dockerfile', renderTemplate('app/Dockerfile.ejs', toDockerfileModel(facts, config))],
    ['.dockerignore', renderTemplate('app/dockerignore.ejs', toDockerignoreModel(facts, config))],
  ]);
  // A service whose settings read no YAML gets no example of one: nothing would read it.
  if (config.configVar !== '') {
    const model = toExampleConfigModel(facts, config);
    files.set(config.exampleConfig, renderExampleConfig(model));
    // Beside the example: editors and CI validators check an operator's YAML against it.
    files.set(model.schemaFile, renderConfigSchema(toConfigSchema(model, config.service, model.schemaFile)));
  }
  return files;
}

/** The New Relic variant's Dockerfile. */
export function renderNewrelicFile(image: PublicImage, config: NewrelicConfig): string {
  return renderTemplate('newrelic/Dockerfile.ejs', toNewrelicModel(image, config));
}

/** The private variant's Dockerfile. */
export function renderPrivateFile(image: PublicImage, config: PrivateConfig): string {
  return renderTemplate('private/Dockerfile.ejs', toPrivateModel(image, config));
}
