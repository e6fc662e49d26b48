import { type Fact, byDefault } from './fact.js';
import { GETTEXT_BUILD_PACKAGES, NATIVE_DEPENDENCIES, VCS_BUILD_PACKAGES } from './native-deps.js';
import type { Requirement } from './requirements.js';

/** Debian packages the image needs, split by stage. */
export interface SystemPackages {
  build: string[];
  runtime: string[];
  /** Why each package is there: requirement name (or `vcs`, `translations`) → reason. */
  reasons: Record<string, string>;
}

/**
 * Debian packages inferred from the requirement names (through NATIVE_DEPENDENCIES),
 * `git` for VCS requirements and `gettext` when translations are compiled.
 */
export function detectSystemPackages(requirements: Requirement[], translations: Fact<boolean>): Fact<SystemPackages> {
  const build = new Set<string>();
  const runtime = new Set<string>();
  const reasons: Record<string, string> = {};
  const sources: string[] = [];
  for (const requirement of requirements) {
    const row = NATIVE_DEPENDENCIES[requirement.name];
    if (row) {
      row.build.forEach((pkg) => build.add(pkg));
      row.runtime.forEach((pkg) => runtime.add(pkg));
      reasons[requirement.name] = row.why;
      sources.push(`${requirement.file}:${requirement.line}`);
    }
    if (requirement.vcs) {
      VCS_BUILD_PACKAGES.forEach((pkg) => build.add(pkg));
      reasons[requirement.name] = 'installed from a VCS URL';
      sources.push(`${requirement.file}:${requirement.line}`);
    }
  }
  if (translations.value) {
    GETTEXT_BUILD_PACKAGES.forEach((pkg) => build.add(pkg));
    reasons.translations = 'compilemessages needs msgfmt';
    if (translations.source) sources.push(translations.source);
  }
  const value = { build: [...build].sort(), runtime: [...runtime].sort(), reasons };
  if (sources.length === 0) return byDefault(value, 'no requirement needs a system package');
  return {
    value,
    source: sources[0],
    rule: `native dependencies of ${Object.keys(reasons).join(', ')} (also ${sources.slice(1).join(', ') || 'nothing else'})`,
  };
}
