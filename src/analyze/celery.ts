import { type Fact, byDefault, found } from './fact.js';
import { PythonFiles } from './python-files.js';

/** Where IDAs define their Celery app, relative to the Django package (the first one found wins). */
const CELERY_MODULES = ['celery.py', 'celery_app.py', 'celery/__init__.py', 'celery/app.py', '__init__.py'];

/** `Celery(...)` or `celery.Celery(...)` as an assignment's value. */
const CELERY_CALL = /^(?:celery\.)?Celery\s*\(/;

/**
 * The Celery app a worker loads, as `celery -A` takes it (`license_manager.celery:app`): the
 * module-level `NAME = Celery(...)` in `<pkg>/celery.py` (or celery_app.py, celery/, the
 * package itself). Null when no module defines one: a worker command then cannot be derived.
 */
export function detectCeleryApp(python: PythonFiles, pkg: string): Fact<string | null> {
  for (const candidate of CELERY_MODULES) {
    const file = `${pkg}/${candidate}`;
    const module = python.load(file);
    if (!module) continue;
    for (const assignment of module.assignments().values()) {
      if (assignment.conditional || !CELERY_CALL.test(module.textOf(assignment.value))) continue;
      return found(
        `${PythonFiles.moduleOf(file)}:${assignment.name}`,
        file,
        assignment.line,
        'module-level Celery(...) app',
      );
    }
  }
  return byDefault(null, `no module-level Celery(...) app in ${CELERY_MODULES.map((m) => `${pkg}/${m}`).join(', ')}`);
}
