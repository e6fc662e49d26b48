import fs from 'fs-extra';
import { IdaError, InvalidOptionError } from '../errors.js';
import { atOrAbove, formatFinding, lintDockerfile } from '../lint/lint.js';
import { type Builder, BUILDERS, type Finding, type Severity, SEVERITIES } from '../lint/model.js';

export interface LintCliOptions {
  format?: string;
  failureThreshold?: string;
  builder?: string[];
}

/** `openedx-ida lint [DOCKERFILE...]`: exit 1 when a finding is at or above the threshold, 2 on unreadable input. */
export function runLint(files: string[], options: LintCliOptions, write: (text: string) => void): number {
  const threshold = (options.failureThreshold ?? 'warning') as Severity;
  if (!SEVERITIES.includes(threshold))
    throw new InvalidOptionError(
      `--failure-threshold ${JSON.stringify(threshold)} is not one of ${SEVERITIES.join(', ')}`,
      'pass --failure-threshold error|warning|info|style',
    );
  const builders = (options.builder && options.builder.length > 0 ? options.builder : BUILDERS) as Builder[];
  const unknown = builders.filter((builder) => !BUILDERS.includes(builder));
  if (unknown.length > 0)
    throw new InvalidOptionError(
      `--builder ${unknown.join(', ')} is not one of ${BUILDERS.join(', ')}`,
      'pass --builder legacy, buildkit or buildah (repeatable)',
    );
  if (options.format && !['text', 'json'].includes(options.format))
    throw new InvalidOptionError(
      `--format ${JSON.stringify(options.format)} is not text or json`,
      'pass --format text or --format json',
    );
  const findings: Finding[] = [];
  for (const file of files.length > 0 ? files : ['Dockerfile']) {
    let text: string;
    try {
      // A FIFO or device would block the read (or never end): only regular files are read.
      if (!fs.statSync(file).isFile())
        throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new IdaError(
        `cannot read ${file} (${(error as NodeJS.ErrnoException).code})`,
        'pass the path of a Dockerfile',
      );
    }
    findings.push(...lintDockerfile(text, file, { builders }));
  }
  if (options.format === 'json') write(JSON.stringify(findings, null, 2));
  else if (findings.length > 0) write(findings.map(formatFinding).join('\n'));
  return findings.some((finding) => atOrAbove(finding.level, threshold)) ? 1 : 0;
}
