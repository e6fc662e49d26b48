import { SETTING_NAME } from './after-load.js';
import type { PyLiteral, PyModule } from './python.js';

/** A setting the operator may override in the YAML, with its default from the code. */
export interface SettingDefault {
  name: string;
  value: PyLiteral;
  source: string;
}

/** Settings that describe the code, not the deployment: not offered in the example YAML. */
const STRUCTURAL = new Set([
  'INSTALLED_APPS',
  'MIDDLEWARE',
  'MIDDLEWARE_CLASSES',
  'ROOT_URLCONF',
  'WSGI_APPLICATION',
  'TEMPLATES',
  'AUTHENTICATION_BACKENDS',
  'AUTH_PASSWORD_VALIDATORS',
  'STATICFILES_FINDERS',
  'STATICFILES_DIRS',
  'LOCALE_PATHS',
  'DICT_UPDATE_KEYS',
  'CONFIG_FILE',
  'DJANGO_APPS',
  'THIRD_PARTY_APPS',
  'PROJECT_APPS',
  'DEFAULT_AUTO_FIELD',
  'AUTH_USER_MODEL',
  'FIXTURE_DIRS',
  'SITE_ID',
  'TEST_RUNNER',
  'PASSWORD_HASHERS',
]);

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|API_KEY|_KEY$|CREDENTIAL)/;

/** Whether a setting's name says it holds a secret (its value is never copied). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * UPPERCASE settings with literal defaults across the production settings (base first,
 * later modules override), excluding structural ones. Secret-named settings are kept
 * by name only: their value is replaced by the caller with a placeholder.
 */
export function detectSettingsDefaults(settings: PyModule[]): SettingDefault[] {
  const byName = new Map<string, SettingDefault & { conditional: boolean }>();
  for (const module of settings) {
    for (const assignment of module.assignments().values()) {
      if (!SETTING_NAME.test(assignment.name) || STRUCTURAL.has(assignment.name) || assignment.name.endsWith('_APPS'))
        continue;
      const value = module.literal(assignment.value);
      if (value === undefined) continue;
      // A value set under an `if` (or try/with) is a branch, not the default: edx-notes-api sets
      // `ELASTICSEARCH_DSL = {}` only `if ES_DISABLED:`, and offering `{}` broke the service.
      // It counts only when nothing unconditional came before it.
      const earlier = byName.get(assignment.name);
      if (assignment.conditional && earlier && !earlier.conditional) continue;
      byName.set(assignment.name, {
        name: assignment.name,
        value,
        source: `${module.file}:${assignment.line}`,
        conditional: assignment.conditional,
      });
    }
  }
  return [...byName.values()].map(({ conditional: _conditional, ...setting }) => setting);
}
