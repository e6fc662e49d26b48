import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { VaultConfig } from '../model/vault.js';

/** A placeholder the example YAML marks a secret (or a deployment's own value) with. */
const PLACEHOLDER = /CHANGE-ME-[a-z0-9-]+/g;

/** One secret the template reads: its Vault key and where it goes in the YAML. */
export interface VaultSecret {
  /** The key in the KV v2 secret (`.Data.data.<key>`). */
  key: string;
  /** The YAML path of the value, dotted. */
  path: string;
}

/** The .ctmpl text and the secrets it reads. */
export interface VaultTemplate {
  text: string;
  secrets: VaultSecret[];
}

/** A Vault key from a YAML path: letters, digits and `_`, so `.Data.data.<key>` is valid Go template syntax. */
function vaultKey(path: (string | number)[]): string {
  return path
    .map(String)
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/^(?=[0-9])/, '_');
}

/** A Go template string literal: the text between the placeholders, as printf's format. */
function goString(text: string): string {
  return JSON.stringify(text);
}

/**
 * consul-template's view of the example YAML (what edX.org renders its configs with): each
 * scalar with a CHANGE-ME placeholder becomes an action that reads the secret from Vault KV v2,
 * `{{ with secret "<path>" }}{{ .Data.data.<KEY> | toJSON }}{{ end }}`; everything else, comments
 * included, stays as the example has it. `toJSON` writes the secret as a JSON string, which is a
 * YAML double-quoted scalar: a secret with `:`, `#` or quotes in it cannot break the YAML. A
 * placeholder inside a URL keeps the URL's shape (`printf "redis://:%s@host" .Data.data.<KEY>`).
 */
export function renderVaultTemplate(exampleYaml: string, vault: VaultConfig): VaultTemplate {
  const doc = parseDocument(exampleYaml);
  const secrets: VaultSecret[] = [];
  const actions: string[] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (isMap(node)) {
      for (const pair of node.items) if (isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)]);
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === 'string') {
      const found = node.value.match(PLACEHOLDER);
      if (!found) return;
      const keys = found.map((_, index) => vaultKey(found.length === 1 ? path : [...path, index + 1]));
      for (const key of keys) secrets.push({ key, path: path.join('.') });
      const reads = keys.map((key) => `.Data.data.${key}`);
      const value =
        found.length === 1 && node.value === found[0]
          ? `${reads[0]} | toJSON`
          : `printf ${goString(node.value.replace(/%/g, '%%').replace(PLACEHOLDER, '%s'))} ${reads.join(' ')} | toJSON`;
      actions.push(`{{ with secret ${goString(vault.path)} }}{{ ${value} }}{{ end }}`);
      node.value = `__openedx_ida_vault_${actions.length - 1}__`;
      node.type = 'PLAIN';
    }
  };
  walk(doc.contents, []);
  doc.commentBefore = [
    ` consul-template source for the YAML: each secret is read from Vault KV v2 at ${vault.path}.`,
    ' Render it with error_on_missing_key = true, so a key missing in Vault fails the render.',
    ...(doc.commentBefore ? [doc.commentBefore] : []),
  ].join('\n');
  const text = doc
    .toString({ lineWidth: 0 })
    .replace(/__openedx_ida_vault_(\d+)__/g, (_match, index: string) => actions[Number(index)]!)
    // The example's words about its placeholders: there are none left.
    .replace(/^#.*CHANGE-ME.*\n/gm, '');
  return { text, secrets };
}
