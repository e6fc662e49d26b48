import { readFileSync } from 'node:fs';
import { ConfigSyntaxError, type Finding, validateConfig } from '../config/validate.js';
import { generate, openRepo } from '../core/generate.js';
import { readStoredDecisions } from '../core/state.js';
import { UnreadableConfigError } from '../errors.js';
import { toExampleConfigModel } from '../model/example-config.js';
import { toConfigSchema } from '../model/example-schema.js';

/** Options of `openedx-ida config validate`. */
export interface ValidateCliOptions {
  json?: boolean;
}

/** What a read error means, in words: the bare code (ENOENT) names no problem a user recognizes. */
const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'a directory, not a file',
  EACCES: 'not readable by this user',
};

/**
 * `openedx-ida config validate FILE [REPO] [--json]`: checks an operator's YAML against the
 * schema of the service in REPO (analyzed as the generator does, with its stored decisions).
 * Returns the exit code: 0 no errors (warnings may be printed), 1 errors found; bad input throws
 * an IdaError (exit 2).
 */
export function runConfigValidate(
  file: string,
  repo: string,
  options: ValidateCliOptions,
  write: (text: string) => void,
): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnreadableConfigError(file, code ? `${READ_ERRORS[code] ?? 'cannot read it'} (${code})` : String(error));
  }
  const reader = openRepo(repo);
  const generation = generate(reader, readStoredDecisions(reader), { targets: ['app'] });
  const model = toExampleConfigModel(generation.facts!, generation.config!);
  const schema = toConfigSchema(model, generation.config!.service, model.schemaFile);
  let findings: Finding[];
  try {
    findings = validateConfig(text, schema);
  } catch (error) {
    if (error instanceof ConfigSyntaxError) throw new UnreadableConfigError(file, error.message);
    throw error;
  }
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  if (options.json) write(JSON.stringify({ file, service: generation.config!.service, errors, findings }, null, 2));
  else {
    for (const finding of findings)
      write(`${file}${finding.line === null ? '' : `:${finding.line}`}: ${finding.severity}: ${finding.message}`);
    write(
      errors === 0
        ? `${file}: valid for ${generation.config!.service}${findings.length > 0 ? ` (${findings.length} warning(s))` : ''}`
        : `${file}: ${errors} error(s) for ${generation.config!.service}`,
    );
  }
  return errors === 0 ? 0 : 1;
}
