import type { RepoFacts } from '../analyze/analyze.js';
import { UnusableRepoValueError } from '../errors.js';
import * as g from '../grammar.js';

/**
 * Checks the strings read from the repo that a Dockerfile substitutes outside the options
 * table (whose values resolveConfig checks, detected ones included): the WSGI app and the
 * gunicorn config (CMD), the requirement files (COPY and `pip -r`) and the system
 * packages (`apt-get install`). A name the grammar refuses stops generation with the file
 * it was read from, rather than reaching a template.
 */
export function assertUsableRepoValues(facts: RepoFacts): void {
  const check = (what: string, value: string, source: string | null, grammar: g.Grammar, nextStep: string) => {
    const result = grammar(value);
    if (result !== true) throw new UnusableRepoValueError(what, value, source, result, nextStep);
  };
  check(
    'the WSGI app',
    facts.wsgiApp.value,
    facts.wsgiApp.source,
    g.wsgiApp,
    'name the WSGI module and callable with letters, digits and _ (pkg.wsgi:application)',
  );
  if (facts.gunicornConfig.value) {
    check(
      'the gunicorn config',
      facts.gunicornConfig.value,
      facts.gunicornConfig.source,
      g.relativePath,
      'rename the gunicorn config file (letters, digits, ._-)',
    );
  }
  const requirements = facts.requirements.value;
  const files = [requirements.install, requirements.bootstrap, ...requirements.files].filter(
    (file): file is string => file !== null,
  );
  for (const file of new Set(files)) {
    check(
      'the requirements file',
      file,
      facts.requirements.source,
      g.relativePath,
      'rename the requirements file (letters, digits, ._-, no spaces) and its -r/-c references',
    );
  }
  const staticRoot = facts.staticFiles.value.staticRoot;
  if (staticRoot?.startsWith('/')) {
    check(
      'STATIC_ROOT',
      staticRoot.replace(/\/+$/, ''),
      facts.staticFiles.source,
      g.absolutePath,
      'set STATIC_ROOT to a plain absolute path (letters, digits, ._-/), or pass --no-collectstatic',
    );
  }
  const packages = facts.systemPackages.value;
  for (const name of [...packages.build, ...packages.runtime]) {
    check(
      'the system package',
      name,
      facts.systemPackages.source,
      g.debianPackage,
      'report it: the package table should hold Debian names only',
    );
  }
}
