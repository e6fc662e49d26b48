import { type Builder, BUILDERS, type Finding, type Severity, SEVERITIES, buildContext } from './model.js';
import { RULES, notADockerfile } from './rules.js';

export interface LintOptions {
  /** Builders the file must build on; syntax rules for other builders are skipped. Default: all. */
  builders?: Builder[];
}

/**
 * Inline ignores: `# openedx-ida ignore=OI001,OI020` silences those rules for the next
 * instruction; `# openedx-ida ignore-file=OI100` silences them in the whole file.
 */
function ignores(text: string): { perLine: Map<number, Set<string>>; file: Set<string> } {
  const perLine = new Map<number, Set<string>>();
  const file = new Set<string>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const match = /^\s*#\s*openedx-ida\s+ignore(-file)?=([A-Z0-9,]+)/.exec(line);
    if (!match) return;
    const codes = match[2].split(',').filter(Boolean);
    if (match[1]) {
      codes.forEach((code) => file.add(code));
      return;
    }
    let target = index + 1;
    while (target < lines.length && /^\s*(#|$)/.test(lines[target])) target++;
    perLine.set(target + 1, new Set(codes));
  });
  return { perLine, file };
}

/** Lints a Dockerfile's text; findings sorted by line. */
export function lintDockerfile(text: string, file: string, options: LintOptions = {}): Finding[] {
  const builders = options.builders ?? BUILDERS;
  const context = buildContext(text);
  const { perLine, file: fileIgnores } = ignores(text);
  const findings: Finding[] = [];
  // Empty or binary text has no instructions to judge: only the rule that says so runs.
  const unreadable = /^(empty|binary)/.test(notADockerfile(context) ?? '');
  for (const rule of RULES) {
    if (unreadable && rule.code !== 'OI007') continue;
    if (rule.rejectedBy && !rule.rejectedBy.some((builder) => builders.includes(builder))) continue;
    if (fileIgnores.has(rule.code)) continue;
    for (const { line, message } of rule.check(context)) {
      if (perLine.get(line)?.has(rule.code)) continue;
      findings.push({ file, line, code: rule.code, level: rule.level, message });
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
}

/** Whether a finding is at or above the threshold (error > warning > info > style). */
export function atOrAbove(level: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(level) <= SEVERITIES.indexOf(threshold);
}

/** hadolint-style text: `Dockerfile:12 OI020 warning: message`. */
export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line} ${finding.code} ${finding.level}: ${finding.message}`;
}
