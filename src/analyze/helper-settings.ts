import type { SyntaxNode } from '@lezer/common';
import { SETTING_NAME, atModuleLevel } from './after-load.js';
import type { PyModule } from './python.js';
import type { RepoReader } from '../reader/reader.js';

/**
 * The settings Django itself reads (the names in django/conf/global_settings.py, Django 4.2):
 * one of them computing another setting (`MANAGERS = ADMINS`) is still read by Django.
 */
const DJANGO_SETTINGS = new Set(
  (
    'ABSOLUTE_URL_OVERRIDES ADMINS ALLOWED_HOSTS APPEND_SLASH AUTHENTICATION_BACKENDS AUTH_PASSWORD_VALIDATORS ' +
    'AUTH_USER_MODEL CACHES CACHE_MIDDLEWARE_ALIAS CACHE_MIDDLEWARE_KEY_PREFIX CACHE_MIDDLEWARE_SECONDS ' +
    'CSRF_COOKIE_AGE CSRF_COOKIE_DOMAIN CSRF_COOKIE_HTTPONLY CSRF_COOKIE_MASKED CSRF_COOKIE_NAME CSRF_COOKIE_PATH ' +
    'CSRF_COOKIE_SAMESITE CSRF_COOKIE_SECURE CSRF_FAILURE_VIEW CSRF_HEADER_NAME CSRF_TRUSTED_ORIGINS ' +
    'CSRF_USE_SESSIONS DATABASES DATABASE_ROUTERS DATA_UPLOAD_MAX_MEMORY_SIZE DATA_UPLOAD_MAX_NUMBER_FIELDS ' +
    'DATA_UPLOAD_MAX_NUMBER_FILES DATETIME_FORMAT DATETIME_INPUT_FORMATS DATE_FORMAT DATE_INPUT_FORMATS DEBUG ' +
    'DEBUG_PROPAGATE_EXCEPTIONS DECIMAL_SEPARATOR DEFAULT_AUTO_FIELD DEFAULT_CHARSET DEFAULT_EXCEPTION_REPORTER ' +
    'DEFAULT_EXCEPTION_REPORTER_FILTER DEFAULT_FILE_STORAGE DEFAULT_FROM_EMAIL DEFAULT_INDEX_TABLESPACE ' +
    'DEFAULT_TABLESPACE DISALLOWED_USER_AGENTS EMAIL_BACKEND EMAIL_HOST EMAIL_HOST_PASSWORD EMAIL_HOST_USER ' +
    'EMAIL_PORT EMAIL_SSL_CERTFILE EMAIL_SSL_KEYFILE EMAIL_SUBJECT_PREFIX EMAIL_TIMEOUT EMAIL_USE_LOCALTIME ' +
    'EMAIL_USE_SSL EMAIL_USE_TLS FILE_UPLOAD_DIRECTORY_PERMISSIONS FILE_UPLOAD_HANDLERS ' +
    'FILE_UPLOAD_MAX_MEMORY_SIZE FILE_UPLOAD_PERMISSIONS FILE_UPLOAD_TEMP_DIR FIRST_DAY_OF_WEEK FIXTURE_DIRS ' +
    'FORCE_SCRIPT_NAME FORMAT_MODULE_PATH FORM_RENDERER IGNORABLE_404_URLS INSTALLED_APPS INTERNAL_IPS LANGUAGES ' +
    'LANGUAGES_BIDI LANGUAGE_CODE LANGUAGE_COOKIE_AGE LANGUAGE_COOKIE_DOMAIN LANGUAGE_COOKIE_HTTPONLY ' +
    'LANGUAGE_COOKIE_NAME LANGUAGE_COOKIE_PATH LANGUAGE_COOKIE_SAMESITE LANGUAGE_COOKIE_SECURE LOCALE_PATHS ' +
    'LOGGING LOGGING_CONFIG LOGIN_REDIRECT_URL LOGIN_URL LOGOUT_REDIRECT_URL MANAGERS MEDIA_ROOT MEDIA_URL ' +
    'MESSAGE_STORAGE MIDDLEWARE MIGRATION_MODULES MONTH_DAY_FORMAT NUMBER_GROUPING PASSWORD_HASHERS ' +
    'PASSWORD_RESET_TIMEOUT PREPEND_WWW SECRET_KEY SECRET_KEY_FALLBACKS SECURE_CONTENT_TYPE_NOSNIFF ' +
    'SECURE_CROSS_ORIGIN_OPENER_POLICY SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_HSTS_PRELOAD SECURE_HSTS_SECONDS ' +
    'SECURE_PROXY_SSL_HEADER SECURE_REDIRECT_EXEMPT SECURE_REFERRER_POLICY SECURE_SSL_HOST SECURE_SSL_REDIRECT ' +
    'SERVER_EMAIL SESSION_CACHE_ALIAS SESSION_COOKIE_AGE SESSION_COOKIE_DOMAIN SESSION_COOKIE_HTTPONLY ' +
    'SESSION_COOKIE_NAME SESSION_COOKIE_PATH SESSION_COOKIE_SAMESITE SESSION_COOKIE_SECURE SESSION_ENGINE ' +
    'SESSION_EXPIRE_AT_BROWSER_CLOSE SESSION_FILE_PATH SESSION_SAVE_EVERY_REQUEST SESSION_SERIALIZER ' +
    'SHORT_DATETIME_FORMAT SHORT_DATE_FORMAT SIGNING_BACKEND SILENCED_SYSTEM_CHECKS STATICFILES_DIRS ' +
    'STATICFILES_FINDERS STATICFILES_STORAGE STATIC_ROOT STATIC_URL STORAGES TEMPLATES TEST_NON_SERIALIZED_APPS ' +
    'TEST_RUNNER THOUSAND_SEPARATOR TIME_FORMAT TIME_INPUT_FORMATS TIME_ZONE USE_DEPRECATED_PYTZ USE_I18N ' +
    'USE_L10N USE_THOUSAND_SEPARATOR USE_TZ USE_X_FORWARDED_HOST USE_X_FORWARDED_PORT WSGI_APPLICATION ' +
    'X_FRAME_OPTIONS YEAR_MONTH_FORMAT'
  ).split(' '),
);

/** Directories no service code lives in. */
const SKIPPED = new Set(['node_modules', '.git', '.tox', 'venv', '.venv', 'static', 'build', 'dist']);

/** The repo's Python files but `exclude` and those under a `settings` directory, at most `limit`. */
function codeFiles(reader: RepoReader, exclude: ReadonlySet<string>, limit = 5000): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of reader.list(dir)) {
      if (files.length >= limit) return;
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.kind === 'dir' && !SKIPPED.has(entry.name) && entry.name !== 'settings') walk(path);
      else if (entry.kind === 'file' && path.endsWith('.py') && !exclude.has(path)) files.push(path);
    }
  };
  walk('');
  return files;
}

/** The value side of a module-level assignment to an UPPERCASE name: where a read computes another setting. */
function settingValue(node: SyntaxNode, module: PyModule): { target: string; from: number; to: number } | undefined {
  if (node.name !== 'AssignStatement' || !atModuleLevel(node)) return undefined;
  const ops = node.getChildren('AssignOp');
  const last = ops.at(-1);
  const target = node.getChildren('VariableName').find((name) => name.from < ops[0]!.from);
  if (!last || !target || !SETTING_NAME.test(module.textOf(target))) return undefined;
  return { target: module.textOf(target), from: last.to, to: node.to };
}

/**
 * Module-level constants of the settings that are no setting of their own (enterprise-catalog's
 * `ONE_HOUR = 60 * 60`, then `X_CACHE_TIMEOUT = ONE_HOUR`): every read of the name in the
 * settings computes another setting's value, none runs after the YAML load (so a YAML value
 * would change nothing), and no code outside the settings' directories names it
 * (`settings.ONE_HOUR`, `'ONE_HOUR'`), and it is none of Django's own settings. Another library could
 * still read such a name: the example
 * names them in its closing comment rather than dropping them.
 */
export function detectHelperSettings(
  reader: RepoReader,
  settings: PyModule[],
  readAfterLoad: ReadonlySet<string>,
): string[] {
  const computing = new Set<string>();
  const otherUse = new Set<string>();
  for (const module of settings) {
    const values: { target: string; from: number; to: number }[] = [];
    const targets = new Set<number>();
    module.tree.iterate({
      enter: (ref) => {
        const value = settingValue(ref.node, module);
        if (value) values.push(value);
        if (ref.name === 'AssignStatement' || ref.name === 'UpdateStatement') {
          const op = ref.node.getChild('AssignOp') ?? ref.node.getChild('UpdateOp');
          for (const name of ref.node.getChildren('VariableName'))
            if (op && name.from < op.from) targets.add(name.from);
        }
      },
    });
    module.tree.iterate({
      enter: (ref) => {
        if (ref.name !== 'VariableName' || targets.has(ref.from)) return;
        const name = module.textOf(ref.node);
        if (!SETTING_NAME.test(name)) return;
        const value = values.find((candidate) => ref.from >= candidate.from && ref.to <= candidate.to);
        if (value && value.target !== name) computing.add(name);
        else otherUse.add(name);
      },
    });
  }
  const candidates = [...computing].filter(
    (name) => !otherUse.has(name) && !readAfterLoad.has(name) && !DJANGO_SETTINGS.has(name),
  );
  if (candidates.length === 0) return [];
  const named = new Set<string>();
  const pattern = new RegExp(`(?:\\bsettings\\.|['"])(${candidates.join('|')})\\b`, 'g');
  const own = new Set(settings.map((module) => module.file));
  for (const file of codeFiles(reader, own)) {
    for (const match of (reader.readText(file) ?? '').matchAll(pattern)) named.add(match[1]!);
  }
  return candidates.filter((name) => !named.has(name));
}
