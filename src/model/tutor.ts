import { imageParts } from './image-name.js';
import { defaultBaseImage } from './public-image.js';
import { InvalidOptionError } from '../errors.js';
import { flagOrStored, given, optionFor, validateOption } from './options.js';
import { imageTag, ownPluginName, tutorPluginCollision, tutorPluginName, tutorPluginSyntax } from './tutor-grammar.js';

/** Decisions for the Tutor plugin (stored under `tutor` in .yo-rc.json). */
export interface TutorConfig {
  /** The Tutor plugin name: `tutor plugins enable <plugin>`, and the upper-cased prefix of its config keys. */
  plugin: string;
  /** The public host name Caddy routes to the service, a Tutor template (`minicreds.{{ LMS_HOST }}`). */
  host: string;
  /** The image tag Tutor builds and runs (`<PLUGIN>_VERSION`). */
  version: string;
}

/** The Tutor release the plugin is tested with; its pyproject accepts this major only. */
export const TUTOR_MAJOR = 22;

/** A DNS label from a name (compose service, Kubernetes object, host label): `license_manager` → `license-manager`. */
export function dnsLabel(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

/**
 * The default plugin name of a service: `license-manager` → `ida_license_manager`. The `ida_`
 * namespace keeps it clear of every official plugin (credentials, discovery, ...), whose names,
 * modules (`tutor<name>`) and config keys (`<NAME>_*`) carry no such prefix, and of Tutor's own.
 */
export function defaultPluginName(service: string): string {
  const name = service
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+/, '')
    .slice(0, 36)
    .replace(/_+$/, '');
  return name === '' ? 'ida' : `ida_${name}`;
}

/**
 * The public image's tag when it names a valid plugin version, else `main` (a reference pinned by
 * digest alone names no tag: its Docker default `latest` is not what CI pushed).
 */
export function versionOf(publicImage: string): string {
  const { tag, hasTag } = imageParts(publicImage);
  return hasTag && imageTag(tag) === true ? tag : 'main';
}

/**
 * A stored plugin name that collides with Tutor's: an earlier version chose it (its default was
 * the service name, so `license_manager` sits in the official license plugin's LICENSE_* config).
 * Refusing it would stop every regeneration of the repo (check, batch, even its Dockerfile), and
 * renaming it silently would move the operators' config keys. So it is kept, with one warning
 * naming the collision and the rename; a malformed stored name is still refused. Returns the
 * name, or undefined when none is stored; flags never come here (a new name must be valid).
 */
function storedPluginName(value: unknown, notes: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const spec = optionFor('tutor-plugin');
  const collision = typeof value === 'string' && tutorPluginSyntax(value) === true ? tutorPluginCollision(value) : null;
  if (collision === null) return validateOption(spec, value, { from: 'stored', key: 'tutor.plugin' }) as string;
  const name = value as string;
  notes.push(
    `tutor.plugin ${JSON.stringify(name)} in .yo-rc.json (an earlier version's default) collides with Tutor: ` +
      `${collision}; kept as stored. To rename: openedx-ida tutor --yes --tutor-plugin ${ownPluginName(name)} ` +
      `(its config keys become ${ownPluginName(name).toUpperCase()}_*; then remove the old package directory)`,
  );
  return name;
}

/**
 * Tutor decisions: flag > stored > default (plugin `ida_<service>`, host under the LMS's,
 * version `main` like the public image's default tag). Every value is checked against its
 * grammar, so none can carry Jinja, YAML or Python syntax into the plugin. `notes` collects the
 * upgrade warnings (a stored plugin name that now collides, see storedPluginName).
 */
export function resolveTutorConfig(
  flags: Record<string, unknown>,
  stored: Partial<TutorConfig> | undefined,
  service: string,
  publicImage: string = defaultBaseImage(service),
  notes: string[] = [],
): TutorConfig {
  if (stored !== undefined && (stored === null || typeof stored !== 'object' || Array.isArray(stored))) {
    throw new InvalidOptionError(
      `tutor in .yo-rc.json is ${JSON.stringify(stored)}: not an object`,
      'fix or remove tutor in .yo-rc.json, then run again',
    );
  }
  const section = (stored ?? {}) as Record<string, unknown>;
  const pick = (flag: string, key: string) => flagOrStored(flag, flags, section, `tutor.${key}`) as string | undefined;
  const flagged = given(flags[optionFor('tutor-plugin').key]);
  const storedName = flagged ? undefined : storedPluginName(section.plugin, notes);
  const plugin = (flagged ? pick('tutor-plugin', 'plugin') : storedName) ?? defaultPluginName(service);
  // A stored name was checked by storedPluginName (kept even when it collides); the others here.
  const checked = storedName !== undefined ? true : tutorPluginName(plugin);
  if (checked !== true) {
    throw new InvalidOptionError(
      `the plugin name ${JSON.stringify(plugin)} is not valid (${checked})`,
      'pass a valid --tutor-plugin',
    );
  }
  return {
    plugin,
    host: pick('tutor-host', 'host') ?? `${dnsLabel(plugin)}.{{ LMS_HOST }}`,
    // The public image's tag, so `tutor images pull` gets the image the CI workflow pushed.
    version: pick('tutor-version', 'version') ?? versionOf(publicImage),
  };
}
