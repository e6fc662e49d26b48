import { posix } from 'node:path';
import type { RepoReader } from '../reader/reader.js';
import { type AnalysisWarning, type Fact, found } from './fact.js';
import { normalizeName } from './native-deps.js';

/** What the image installs with pip. */
export interface Requirements {
  /** The file passed to `pip install -r`, or null when the repo has none. */
  install: string | null;
  /** A file pinning pip itself (`requirements/pip.txt`), installed first; null when absent. */
  bootstrap: string | null;
  /** Every file the install reads (the file and its `-r` / `-c` chain), sorted. */
  files: string[];
}

/** One requirement line: a package pin, or a VCS/URL requirement. */
export interface Requirement {
  name: string;
  file: string;
  line: number;
  vcs: boolean;
  /** The exact version for `name==X` pins (what pip-compiled files hold); absent otherwise. */
  version?: string;
}

const INCLUDE = /^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/;

function hasRequirements(text: string | undefined): boolean {
  return text !== undefined && text.split(/\r?\n/).some((line) => line.replace(/#.*/, '').trim() !== '');
}

/** Parses one requirements line into a requirement, if it is one. */
export function parseRequirementLine(raw: string): { name: string; vcs: boolean; version?: string } | undefined {
  const line = raw.replace(/(^|\s)#.*$/, '').trim();
  if (line === '' || (line.startsWith('-') && !line.startsWith('-e') && !line.startsWith('--editable')))
    return undefined;
  const spec = line.replace(/^(-e|--editable)\s+/, '');
  const egg = /#egg=([A-Za-z0-9_.-]+)/.exec(raw);
  if (/^(git|hg|svn|bzr)\+/.test(spec))
    return {
      name: normalizeName(
        egg?.[1] ??
          posix
            .basename(spec)
            .replace(/\.git.*$/, '')
            .replace(/@.*$/, ''),
      ),
      vcs: true,
    };
  const direct = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*@\s*(git\+)?/.exec(spec);
  if (direct) return { name: normalizeName(direct[1]), vcs: direct[3] !== undefined };
  const named = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:===?\s*([0-9][A-Za-z0-9.+!*-]*))?/.exec(spec);
  if (!named) return undefined;
  return named[2]
    ? { name: normalizeName(named[1]), vcs: false, version: named[2] }
    : { name: normalizeName(named[1]), vcs: false };
}

/**
 * Which requirements file to install: `requirements/production.txt` when it lists
 * anything, else `requirements/base.txt`, else `requirements.txt`; its `-r` / `-c` chain;
 * and `requirements/pip.txt` (or `pip_tools.txt`) to install first.
 */
export function detectRequirements(
  reader: RepoReader,
  warnings: AnalysisWarning[],
): { fact: Fact<Requirements>; requirements: Requirement[] } {
  const bootstrap = ['requirements/pip.txt', 'requirements/pip_tools.txt'].find((file) => reader.isFile(file)) ?? null;
  let install: string | null = null;
  let rule = '';
  const production = reader.readText('requirements/production.txt');
  if (hasRequirements(production)) {
    install = 'requirements/production.txt';
    rule = 'requirements/production.txt lists requirements';
  } else if (reader.isFile('requirements/base.txt')) {
    install = 'requirements/base.txt';
    rule =
      production === undefined
        ? 'no requirements/production.txt; using base.txt'
        : 'requirements/production.txt is empty; using base.txt';
  } else if (reader.isFile('requirements.txt')) {
    install = 'requirements.txt';
    rule = 'root requirements.txt';
  }

  const files = new Set<string>();
  const requirements: Requirement[] = [];
  const follow = (file: string, from?: string) => {
    if (files.has(file)) return;
    const text = reader.readText(file);
    if (text === undefined) {
      warnings.push({ message: `${file} is referenced but missing`, source: from ?? null });
      return;
    }
    files.add(file);
    text.split(/\r?\n/).forEach((line, index) => {
      const include = INCLUDE.exec(line.trim());
      if (include) {
        follow(posix.normalize(posix.join(posix.dirname(file), include[1])), `${file}:${index + 1}`);
        return;
      }
      const parsed = parseRequirementLine(line);
      if (parsed) requirements.push({ ...parsed, file, line: index + 1 });
    });
  };
  if (install) follow(install);
  if (bootstrap) follow(bootstrap);

  const value: Requirements = { install, bootstrap, files: [...files].sort() };
  if (!install) {
    warnings.push({
      message: 'no requirements file found (requirements/production.txt, requirements/base.txt, requirements.txt)',
      source: null,
    });
    return { fact: { value, source: null, rule: 'default: no requirements file found' }, requirements };
  }
  return { fact: found(value, install, 1, rule), requirements };
}
