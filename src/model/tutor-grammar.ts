import type { Grammar } from '../grammar.js';

// The Tutor decisions' grammars, apart from their resolver so that the options table can name
// them without an import cycle.

/**
 * Tutor's official plugins, the ones `tutor plugins install <name>` finds in its main index: the
 * `full` extra of tutor 22.0.3 (android ... xqueue), the earlier releases' index (ecommerce,
 * license, webui) and tutor/plugins/v0.py's OfficialPlugin.NAMES (license). A plugin is three
 * names at once: what `tutor plugins enable` takes, its Python module `tutor<name without _>` and
 * its config keys `<NAME>_*`.
 */
export const OFFICIAL_PLUGINS: readonly string[] = [
  'android',
  'cairn',
  'credentials',
  'deck',
  'discovery',
  'ecommerce',
  'forum',
  'indigo',
  'jupyter',
  'license',
  'livedeps',
  'mfe',
  'minio',
  'notes',
  'webui',
  'xqueue',
];

/**
 * Tutor's own services, commands and config prefixes (the first word of each key in tutor 22's
 * templates/config/*.yml): a plugin named like one would overwrite its compose services, jobs or
 * config keys (`openedx` → OPENEDX_SECRET_KEY).
 */
const TUTOR_OWN = [
  'atlas',
  'caddy',
  'cms',
  'contact',
  'dev',
  'docker',
  'edx',
  'elasticsearch',
  'enable',
  'id',
  'jwt',
  'k8s',
  'language',
  'lms',
  'local',
  'meilisearch',
  'mongodb',
  'mounts',
  'mysql',
  'npm',
  'openedx',
  'permissions',
  'platform',
  'plugin',
  'plugins',
  'redis',
  'run',
  'smtp',
  'tutor',
];

/**
 * The reserved name a plugin name would shadow: the name itself, the name whose config
 * namespace it sits in (`jwt_common` would define JWT_COMMON_SECRET_KEY, Tutor's own key), or
 * the official plugin whose module it would replace (`mf_e` is the module tutormfe).
 */
function shadowed(value: string): { name: string; official: boolean } | null {
  for (const official of [true, false]) {
    for (const name of official ? OFFICIAL_PLUGINS : TUTOR_OWN) {
      const module = official && value.replace(/_/g, '') === name;
      if (value === name || value.startsWith(`${name}_`) || module) return { name, official };
    }
  }
  return null;
}

/** A Tutor plugin name's form alone: a Python identifier in lowercase (whether it shadows a name is apart). */
export const tutorPluginSyntax: Grammar = (value) =>
  (/^[a-z][a-z0-9_]{0,39}$/.test(value) && !value.endsWith('_') && !value.includes('__')) ||
  'use lowercase letters, digits and single _ such as minicreds (at most 40, starting with a letter)';

/** Why a well-formed plugin name collides with Tutor's (one clause), or null when it is free. */
export function tutorPluginCollision(value: string): string | null {
  const taken = shadowed(value);
  if (taken === null) return null;
  return taken.official
    ? `it would shadow Tutor's official ${taken.name} plugin (its name, its module tutor${taken.name} or its ` +
        `${taken.name.toUpperCase()}_* config)`
    : `it would take Tutor's own name ${taken.name} or its ${taken.name.toUpperCase()}_* config`;
}

/** The `ida_` name suggested instead of a colliding one. */
export function ownPluginName(value: string): string {
  return `ida_${value}`.slice(0, 40).replace(/_+$/, '');
}

/**
 * A Tutor plugin name: a Python identifier in lowercase that shadows neither an official
 * plugin nor Tutor's own names. There is no override for a new name: the shadowed plugin's
 * module and config would be replaced, and the official plugins take another image through
 * their own config. (A name an earlier version stored is kept with a warning: resolveTutorConfig.)
 */
export const tutorPluginName: Grammar = (value) => {
  const syntax = tutorPluginSyntax(value);
  if (syntax !== true) return syntax;
  const collision = tutorPluginCollision(value);
  if (collision === null) return true;
  const own = ownPluginName(value);
  return shadowed(value)!.official
    ? `${collision}; name yours differently, such as ${own}`
    : `${collision}; name a plugin of its own, such as ${own}`;
};

/** The one Tutor variable a host may name: the other hosts follow the LMS's. */
const LMS_HOST = '{{ LMS_HOST }}';

/**
 * A host name for Caddy and ALLOWED_HOSTS: DNS labels, where one label may be `{{ LMS_HOST }}`
 * (the only template text allowed: the value is rendered by Tutor's Jinja).
 */
export const tutorHost: Grammar = (value) => {
  const labels = value.split('.');
  const ok =
    value.length <= 253 &&
    labels.every((label) => label === LMS_HOST || /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) &&
    labels.filter((label) => label === LMS_HOST).length <= 1;
  return ok || `use a host name such as minicreds.${LMS_HOST} or minicreds.example.com (lowercase, no port)`;
};

/** An image tag (the OCI grammar). */
export const imageTag: Grammar = (value) =>
  /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(value) || 'use an image tag such as main or 1.2.0';
