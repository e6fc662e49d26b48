import fs from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { IdaError, InvalidOptionError } from '../errors.js';
import { importFromAnsible } from '../config/ansible/import.js';
import { writeFileAtomic } from '../core/safe-write.js';
import { readStoredDecisions } from '../core/state.js';
import { DiskReader } from '../reader/disk-reader.js';
import { serviceName } from '../grammar.js';

/** Options of `config import`. */
export interface ConfigImportOptions {
  fromAnsible: string;
  service?: string;
  vars?: string[];
  output?: string;
  force?: boolean;
}

/** The output exists and --force was not given. */
export class OutputExistsError extends IdaError {
  constructor(file: string) {
    super(`${file} exists`, 'pass --force to overwrite it, or --output to write elsewhere', 1);
  }
}

/** The service: --service, else the one stored in the repo's .yo-rc.json, else the repo directory's name. */
function serviceFor(repo: string, flag: string | undefined): string {
  const stored = fs.existsSync(join(repo, '.yo-rc.json'))
    ? readStoredDecisions(new DiskReader(repo)).service
    : undefined;
  const service = flag ?? (typeof stored === 'string' ? stored : basename(resolve(repo)));
  const valid = serviceName(service);
  if (valid !== true)
    throw new InvalidOptionError(
      `--service ${JSON.stringify(service)} is not valid (${valid})`,
      'pass --service with the role name',
    );
  return service;
}

/**
 * `openedx-ida config import --from-ansible CHECKOUT [REPO]`: writes the operator's
 * `<service>.yml`. Exit 0 when every variable resolved, 1 when some are left (listed) or the
 * file exists without --force; errors (exit 2) are thrown. Values are never printed: the file
 * holds secrets.
 */
export function runConfigImport(repo: string, options: ConfigImportOptions, log: (line: string) => void): number {
  const service = serviceFor(repo, options.service);
  const result = importFromAnsible({ checkout: options.fromAnsible, service, varsFiles: options.vars ?? [] });
  const output = options.output ?? `${service}.yml`;
  const root = isAbsolute(output) ? dirname(output) : repo;
  const file = isAbsolute(output) ? basename(output) : output;
  if (fs.existsSync(join(root, file)) && !options.force) throw new OutputExistsError(join(root, file));
  writeFileAtomic(root, file, result.text, 0o600);
  log(`wrote ${join(root, file)}: ${Object.keys(result.config).length} keys from the role ${result.role}`);
  for (const path of result.defaultSecrets) log(`secret left at the role default: ${path} (set it in your vars file)`);
  for (const variable of result.unresolved) {
    log(`unresolved: ${variable.name} (${variable.hint}); read at ${variable.readAt[0]}`);
  }
  return result.unresolved.length > 0 ? 1 : 0;
}
