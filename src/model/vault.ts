import { InvalidOptionError } from '../errors.js';
import { flagOrStored } from './options.js';

/** Decisions for the consul-template output (stored under `vault` in .yo-rc.json when it is on). */
export interface VaultConfig {
  template: true;
  /** The KV v2 secret every secret of the YAML is read from. */
  path: string;
  /** The file written: `<service>.yml.ctmpl`. */
  file: string;
}

/** The default secret: one per service under the default KV v2 mount. */
export function defaultVaultPath(service: string): string {
  return `secret/data/${service}`;
}

/**
 * The consul-template decisions by precedence (flag > stored), or null when it is off.
 * `--vault-path` without the template is a mistake worth saying, not ignoring.
 */
export function resolveVaultConfig(
  flags: Record<string, unknown>,
  stored: Record<string, unknown> | undefined,
  service: string,
  hasExample: boolean,
): VaultConfig | null {
  const enabled = flagOrStored('vault-template', flags, stored, 'vault.template') === true;
  const path = flagOrStored('vault-path', flags, stored, 'vault.path') as string | undefined;
  if (!enabled) {
    if (flags.vaultPath !== undefined && flags.vaultTemplate === undefined && !stored)
      throw new InvalidOptionError(
        '--vault-path is set without --vault-template',
        'add --vault-template, or drop --vault-path',
      );
    return null;
  }
  if (!hasExample) {
    throw new InvalidOptionError(
      '--vault-template needs the example YAML, and this service reads no YAML config',
      'drop --vault-template, or pass --config-var NAME if the settings do read one',
    );
  }
  return { template: true, path: path ?? defaultVaultPath(service), file: `${service}.yml.ctmpl` };
}
