import { generate } from '../core/generate.js';
import { readStoredDecisions } from '../core/state.js';
import type { RepoReader } from '../reader/reader.js';

/** What a smoke run needs to know about the service, read from its repo. */
export interface SmokeTarget {
  service: string;
  /** The YAML's variable and mount path; configVar '' when the service reads no YAML. */
  configVar: string;
  configPath: string;
  /** The example YAML as the stored decisions generate it (null when the service reads no YAML). */
  exampleFile: string | null;
  exampleYaml: string | null;
  port: number;
  uid: number;
  /** The health URL path the repo routes (`/health/`), or null when none was found. */
  healthPath: string | null;
}

/**
 * Generates the app in memory with the repo's stored decisions, as `check` does, and keeps what
 * a smoke run uses: the example YAML as generated (not the copy on disk, which may be edited),
 * the config variable and path, the port, the uid and the health path. Throws the analysis's
 * errors (NotADjangoServiceError for a repo that is not an IDA).
 */
export function smokeTarget(reader: RepoReader): SmokeTarget {
  const generation = generate(reader, readStoredDecisions(reader), { targets: ['app'] });
  const config = generation.config!;
  const facts = generation.facts!;
  const hasConfig = config.configVar !== '';
  return {
    service: config.service,
    configVar: config.configVar,
    configPath: config.configPath,
    exampleFile: hasConfig ? config.exampleConfig : null,
    exampleYaml: hasConfig ? (generation.files.get(config.exampleConfig) ?? null) : null,
    port: config.port,
    uid: config.uid,
    healthPath: facts.healthPath.value,
  };
}
