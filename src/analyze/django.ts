import { NotADjangoServiceError, UnreadableFileError } from '../errors.js';
import type { PathKind, RepoReader } from '../reader/reader.js';
import { type Fact, byDefault, found } from './fact.js';
import { PythonFiles } from './python-files.js';

/**
 * The Django package: the first segment of the `DJANGO_SETTINGS_MODULE` default in
 * `manage.py`, else the one top-level package with `wsgi.py` next to settings.
 * Throws NotADjangoServiceError when neither exists.
 */
export function detectDjangoPackage(reader: RepoReader, python: PythonFiles): Fact<string> {
  const manage = python.load('manage.py');
  if (manage) {
    for (const call of manage.calls()) {
      if (!call.callee.endsWith('setdefault') || manage.stringValue(call.args[0]) !== 'DJANGO_SETTINGS_MODULE')
        continue;
      const settings = manage.stringValue(call.args[1]);
      const pkg = settings?.split('.')[0];
      if (pkg && /^[A-Za-z_][A-Za-z0-9_]*$/.test(pkg) && reader.isDir(pkg))
        return found(pkg, 'manage.py', call.line, 'DJANGO_SETTINGS_MODULE default in manage.py');
    }
  }
  for (const entry of reader.list('')) {
    if (entry.kind !== 'dir' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.name)) continue;
    const pkg = entry.name;
    const hasSettings =
      reader.isDir(`${pkg}/settings`) || reader.isFile(`${pkg}/settings.py`) || reader.isFile(`${pkg}/production.py`);
    if (reader.isFile(`${pkg}/wsgi.py`) && hasSettings) {
      return found(pkg, `${pkg}/wsgi.py`, 1, 'top-level package with wsgi.py and settings');
    }
  }
  throw new NotADjangoServiceError(
    reader.label,
    'manage.py setting DJANGO_SETTINGS_MODULE, or a top-level package with wsgi.py and settings',
  );
}

const WHAT: Record<PathKind, string> = {
  dir: 'a directory',
  special: 'not a regular file (a FIFO, socket or device)',
  broken: 'a symlink that leads nowhere readable: dangling, a loop, or out of the repo',
  file: 'a file',
  missing: 'missing',
};

/** The error for a settings file that is there but cannot be read as Python. */
export function unreadableSettings(file: string, kind: PathKind): UnreadableFileError {
  return new UnreadableFileError(
    file,
    `it is ${WHAT[kind]}`,
    'make it a regular Python file, or pass --settings-module with the production settings',
  );
}

/** Production module candidates, most specific first. */
function productionCandidates(pkg: string): string[] {
  return [`${pkg}/settings/production.py`, `${pkg}/settings/prod.py`, `${pkg}/production.py`, `${pkg}/settings.py`];
}

/**
 * The production settings module (dotted): `<pkg>/settings/production.py`, a flat
 * `<pkg>/production.py`, else the settings module that loads YAML.
 */
export function detectSettingsModule(
  reader: RepoReader,
  python: PythonFiles,
  pkg: string,
  loadsYaml: (file: string) => boolean,
): Fact<string> {
  for (const file of productionCandidates(pkg)) {
    const kind = reader.kindOf(file);
    if (kind === 'file') return found(PythonFiles.moduleOf(file), file, 1, 'production settings module');
    // Something is there but cannot be read: falling back to the base settings would ship them silently.
    if (kind !== 'missing') throw unreadableSettings(file, kind);
  }
  for (const entry of reader.list(`${pkg}/settings`)) {
    const file = `${pkg}/settings/${entry.name}`;
    if (entry.kind === 'file' && entry.name.endsWith('.py') && loadsYaml(file)) {
      return found(PythonFiles.moduleOf(file), file, 1, 'settings module that loads the YAML config');
    }
  }
  const fallback = `${pkg}.settings`;
  return byDefault(
    python.fileOf(fallback) ? fallback : `${pkg}.settings.production`,
    'no production settings module found',
  );
}

/** The WSGI callable in gunicorn's `module:attr` form. */
export function detectWsgiApp(python: PythonFiles, pkg: string, settingsFiles: string[]): Fact<string> {
  const wsgi = python.load(`${pkg}/wsgi.py`);
  const application = wsgi?.assignments().get('application');
  if (wsgi && application)
    return found(`${pkg}.wsgi:application`, wsgi.file, application.line, 'application in wsgi.py');
  for (const file of settingsFiles) {
    const module = python.load(file);
    const setting = module?.assignments().get('WSGI_APPLICATION');
    const value = setting && module?.stringValue(setting.value);
    if (module && setting && value && value.includes('.')) {
      const dot = value.lastIndexOf('.');
      return found(`${value.slice(0, dot)}:${value.slice(dot + 1)}`, file, setting.line, 'WSGI_APPLICATION setting');
    }
  }
  return byDefault(`${pkg}.wsgi:application`, 'Django project layout');
}
