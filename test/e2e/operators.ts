/**
 * What the two secret operators do to the rendered manifests before the kubelet runs the pods,
 * done from the manifests alone with Go's own text/template (test/support/ctmpl, built here):
 * - the Vault Agent Injector's mutating webhook and its init container (agent-pre-populate-only):
 *   each `agent-inject-secret-NAME` rendered from its `agent-inject-template-NAME` (consul-template)
 *   into NAME's file on a shared volume mounted into the app containers;
 * - the External Secrets Operator: an ExternalSecret's remote values rendered through its
 *   `spec.target.template` (engineVersion v2) into the target Secret's data.
 * Vault is a JSON file shaped like KV v2: the secret's path (`<mount>/data/<name>`) -> its fields.
 */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json } from './kubelet.js';
import { ROOT, must, run } from './engines.js';

/** Builds the Go renderer (Debian's golang-go, standard library only: no module download) into `dir`. */
export function buildCtmpl(dir: string): string {
  fs.ensureDirSync(dir);
  const tool = join(dir, 'ctmpl');
  const build = run('go', ['build', '-o', tool, join(ROOT, 'test', 'support', 'ctmpl', 'main.go')], {
    env: { GO111MODULE: 'off', GOCACHE: join(tmpdir(), 'openedx-ida-gocache') },
  });
  if (build.status !== 0) throw new Error(`go build of test/support/ctmpl failed: ${build.stderr}`);
  return tool;
}

const VAULT = 'vault.hashicorp.com/';
/** The injector's shared volume (vault-k8s agent-inject/agent/container_volume.go) and its default path. */
const SECRETS_VOLUME = 'vault-secrets';
const SECRETS_PATH = '/vault/secrets';

/** One injected secret: where the agent writes it in the app containers, and what it wrote. */
export interface InjectedFile {
  name: string;
  path: string;
  text: string;
}

/**
 * The pod template after the injector's webhook and init container: the shared volumes added to
 * the pod and mounted into every app container (as the injector mounts them), each rendered
 * file written into the host folder that stands for its volume. Throws on an annotation this does
 * not do (a sidecar, a template file, a command, preserved case), so the test cannot pass by skipping it.
 */
export function vaultInject(
  template: Json,
  vault: Record<string, Record<string, unknown>>,
  ctmpl: string,
  into: string,
): { pod: Json; prefilled: Map<string, string>; files: InjectedFile[] } {
  const annotations: Record<string, string> = template.metadata?.annotations ?? {};
  if (annotations[`${VAULT}agent-inject`] !== 'true') throw new Error('the pod template does not ask for injection');
  if (annotations[`${VAULT}agent-pre-populate-only`] !== 'true') {
    throw new Error('a Vault Agent sidecar is not emulated here (only the pre-populating init container)');
  }
  for (const key of Object.keys(annotations)) {
    if (/agent-inject-(command|template-file)-|preserve-secret-case|agent-inject-containers/.test(key)) {
      throw new Error(`annotation ${key} is not emulated`);
    }
  }
  const defaultPath = annotations[`${VAULT}secret-volume-path`] ?? SECRETS_PATH;
  const mounts = new Map<string, string>([[defaultPath, SECRETS_VOLUME]]);
  const prefilled = new Map<string, string>();
  const files: InjectedFile[] = [];
  fs.emptyDirSync(into);
  const secretPrefix = `${VAULT}agent-inject-secret-`;
  for (const [key, vaultPath] of Object.entries(annotations)) {
    if (!key.startsWith(secretPrefix)) continue;
    const raw = key.slice(secretPrefix.length);
    const name = raw.toLowerCase();
    const text = annotations[`${VAULT}agent-inject-template-${raw}`];
    // Without a template the agent writes the secret's Go map syntax, which no service reads as YAML.
    if (text === undefined) throw new Error(`secret ${raw} has no agent-inject-template-${raw}`);
    // The injector reads the annotated path only for its default template; the generated one must read the same secret.
    if (!text.includes(`"${vaultPath}"`)) throw new Error(`the template of ${raw} does not read ${vaultPath}`);
    const mountPath = annotations[`${VAULT}secret-volume-path-${raw}`] ?? defaultPath;
    // getUniqueMountPaths: one more emptyDir per distinct custom path, named vault-secrets-custom-N.
    if (!mounts.has(mountPath)) mounts.set(mountPath, `${SECRETS_VOLUME}-custom-${mounts.size - 1}`);
    const volume = mounts.get(mountPath)!;
    const hostDir = join(into, volume);
    fs.ensureDirSync(hostDir);
    fs.chmodSync(hostDir, 0o755);
    prefilled.set(volume, hostDir);
    const fileName = annotations[`${VAULT}agent-inject-file-${raw}`] ?? name;
    const templateFile = join(into, `${name}.ctmpl`);
    const secretsFile = join(into, 'vault.json');
    fs.writeFileSync(templateFile, text);
    fs.writeFileSync(secretsFile, JSON.stringify(vault));
    const rendered = must(ctmpl, [templateFile, secretsFile]);
    fs.removeSync(templateFile);
    fs.removeSync(secretsFile);
    const hostFile = join(hostDir, fileName);
    fs.writeFileSync(hostFile, rendered);
    // agent-inject-perms' default: consul-template writes 0644.
    fs.chmodSync(hostFile, 0o644);
    files.push({ name, path: `${mountPath}/${fileName}`, text: rendered });
  }
  if (files.length === 0) throw new Error('no agent-inject-secret-* annotation');
  const spec = template.spec;
  const volumeMounts = [...mounts].map(([mountPath, name]) => ({ name, mountPath, readOnly: false }));
  const pod = {
    ...spec,
    volumes: [
      ...(spec.volumes ?? []),
      ...[...mounts.values()].map((name) => ({ name, emptyDir: { medium: 'Memory' } })),
    ],
    containers: spec.containers.map((container: Json) => ({
      ...container,
      volumeMounts: [...(container.volumeMounts ?? []), ...volumeMounts],
    })),
  };
  // The default volume is mounted even when no secret is written there: an empty folder.
  for (const name of mounts.values()) {
    if (!prefilled.has(name)) {
      prefilled.set(name, join(into, name));
      fs.ensureDirSync(join(into, name));
    }
  }
  return { pod, prefilled, files };
}

/** The secret store the ExternalSecret names, as the cluster has it (not in the manifests): a Vault KV v2 mount. */
export interface VaultStore {
  kind: string;
  name: string;
  /** The KV v2 mount (the Vault provider's `path`). */
  mount: string;
}

/**
 * The Secret the External Secrets Operator writes for an ExternalSecret: each `spec.data` entry's
 * remote property read from the store's KV v2 secret `<mount>/data/<key>`, then every
 * `spec.target.template.data` entry rendered with Go text/template over those values (ESO's
 * engineVersion v2). Throws on what this does not do (dataFrom, templateFrom, another engine).
 */
export function externalSecretsSecret(
  external: Json,
  store: VaultStore,
  vault: Record<string, Record<string, unknown>>,
  ctmpl: string,
  into: string,
): Json {
  const spec = external.spec;
  if (spec.secretStoreRef.kind !== store.kind || spec.secretStoreRef.name !== store.name) {
    throw new Error(`the ExternalSecret reads ${spec.secretStoreRef.kind}/${spec.secretStoreRef.name}`);
  }
  if (spec.dataFrom || spec.target.template?.templateFrom) throw new Error('dataFrom/templateFrom are not emulated');
  const template = spec.target.template;
  if (template.engineVersion !== 'v2') throw new Error(`template engine ${template.engineVersion} is not emulated`);
  const values: Record<string, string> = {};
  for (const entry of spec.data) {
    const secret = vault[`${store.mount}/data/${entry.remoteRef.key}`];
    const value = secret?.[entry.remoteRef.property];
    if (typeof value !== 'string') throw new Error(`Vault has no ${entry.remoteRef.key}#${entry.remoteRef.property}`);
    values[entry.secretKey] = value;
  }
  fs.ensureDirSync(into);
  const dataFile = join(into, 'eso-data.json');
  fs.writeFileSync(dataFile, JSON.stringify(values));
  const data: Record<string, string> = {};
  for (const [key, text] of Object.entries(template.data as Record<string, string>)) {
    const templateFile = join(into, `eso-${key}.tmpl`);
    fs.writeFileSync(templateFile, text);
    data[key] = Buffer.from(must(ctmpl, ['-eso', key, templateFile, dataFile])).toString('base64');
    fs.removeSync(templateFile);
  }
  fs.removeSync(dataFile);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: spec.target.name, namespace: external.metadata.namespace },
    type: template.type ?? 'Opaque',
    data,
  };
}
