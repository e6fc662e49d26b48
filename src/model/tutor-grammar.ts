import type { Grammar } from '../grammar.js';

// The Tutor decisions' grammars, apart from their resolver so that the options table can name
// them without an import cycle.

/**
 * Names Tutor itself or its usual plugins use for services and config prefixes: a plugin
 * named like one would overwrite their compose services, jobs or config keys.
 */
const TAKEN = new Set([
  'caddy',
  'cms',
  'credentials',
  'discovery',
  'ecommerce',
  'elasticsearch',
  'lms',
  'meilisearch',
  'mfe',
  'minio',
  'mongodb',
  'mysql',
  'notes',
  'openedx',
  'permissions',
  'redis',
  'smtp',
  'xqueue',
  'tutor',
  'docker',
  'k8s',
  'local',
  'dev',
  'jwt',
  'run',
  'enable',
  'plugins',
]);

/** A Tutor plugin name: a Python identifier in lowercase, not one of Tutor's own services. */
export const tutorPluginName: Grammar = (value) => {
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(value) || value.endsWith('_') || value.includes('__')) {
    return 'use lowercase letters, digits and single _ such as minicreds (at most 40, starting with a letter)';
  }
  return !TAKEN.has(value) || `name a plugin of its own, not one of Tutor's (${[...TAKEN].join(', ')})`;
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
