import { defaultBaseImage } from './public-image.js';
import type { RepoFacts } from '../analyze/analyze.js';
import type { GeneratorConfig } from './decisions.js';
import { configVarValue } from './dockerfile-model.js';
import { InvalidOptionError } from '../errors.js';
import { kubernetesNamespace } from '../grammar.js';
import { DEFAULTS, flagOrStored } from './options.js';

/** What the manifests need to know about the service and its image (facts and the app's decisions). */
export interface KubernetesService {
  service: string;
  port: number;
  /** The image's numeric user and group. */
  uid: number;
  /** The YAML: where the settings read it, the variable naming it, and the example to start from; null without YAML. */
  config: { path: string; variable: string; variableValue: string; exampleFile: string; exampleText: string } | null;
  /** The detected health endpoint, or null (the probes then only open the port). */
  healthPath: string | null;
  /** The Celery app (`celery -A`) when Celery is installed, else null. */
  celeryApp: string | null;
  /** Seconds the server lets requests in flight finish after SIGTERM (gunicorn's graceful_timeout). */
  gracefulSeconds: number;
}

/** Decisions for the Kubernetes manifests (stored under `kubernetes` in .yo-rc.json). */
export interface KubernetesConfig {
  /** The folder (relative to the repo) holding `base/` and `overlays/`. */
  dir: string;
  /** The Ingress host. */
  host: string;
  namespace: string;
  /** Web pods: the autoscaler's minimum (the Deployment and the Rollout leave the count to the autoscaler). */
  replicas: number;
  /** The image the pods run. */
  image: string;
  cpuRequest: string;
  memoryRequest: string;
  cpuLimit: string;
  memoryLimit: string;
}

/** The longest suffix the manifests add to the name (`<name>-preview`, `<name>-migrate`). */
const LONGEST_SUFFIX = '-preview'.length;

/**
 * A service name as a Kubernetes object name (a DNS-1035 label): `license_manager` → `license-manager`.
 * Service names admit `_` and `.`, which object names, label values and hosts do not. A Service
 * name must start with a letter (`0abc` → `ida-0abc`), and the longest derived name (a Service
 * `<name>-preview`, a Job `<name>-migrate`, whose name is also a label value) must fit the 63
 * characters of a label, so the name is cut at 55.
 */
export function kubernetesName(service: string): string {
  const label = service
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (/^[a-z]/.test(label) ? label : `ida-${label}`).slice(0, 63 - LONGEST_SUFFIX).replace(/-+$/, '');
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A quantity the grammars admitted (cpuQuantity, memoryQuantity) as a number, to compare a request with its limit. */
export function quantityValue(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!match) throw new Error(`not a quantity: ${quantity}`);
  const [, number, suffix] = match;
  const scale = suffix === undefined ? 1 : suffix === 'm' ? 1e-3 : (BINARY[suffix] ?? DECIMAL[suffix]!);
  return Number(number) * scale;
}

/** A request above its limit is refused by the API server; refuse it before anything is written. */
function requestWithinLimit(what: string, request: string, limit: string): void {
  if (quantityValue(request) > quantityValue(limit)) {
    throw new InvalidOptionError(
      `the ${what} request ${request} is above the ${what} limit ${limit}`,
      `pass --k8s-${what}-request at most --k8s-${what}-limit (or raise the limit)`,
    );
  }
}

/**
 * Kubernetes decisions: flag > stored (`kubernetes.*`) > default. Every value, whichever its
 * source, is checked against the options table's grammars (a DNS name for the host, a DNS label
 * outside kube-* for the namespace, replicas >= 1, quantities above zero); InvalidOptionError otherwise.
 */
export function resolveKubernetesConfig(
  flags: Record<string, unknown>,
  stored: Partial<KubernetesConfig> | undefined,
  service: string,
  publicImage: string = defaultBaseImage(service),
): KubernetesConfig {
  const section = (stored ?? {}) as Record<string, unknown>;
  const pick = <T>(flag: string, key: keyof KubernetesConfig) =>
    flagOrStored(flag, flags, section, `kubernetes.${key}`) as T | undefined;
  const name = kubernetesName(service);
  const config: KubernetesConfig = {
    dir: pick<string>('k8s-dir', 'dir') ?? DEFAULTS.k8sDir,
    host: pick<string>('k8s-host', 'host') ?? `${name}.example.com`,
    namespace: pick<string>('k8s-namespace', 'namespace') ?? name,
    replicas: pick<number>('k8s-replicas', 'replicas') ?? DEFAULTS.k8sReplicas,
    image: pick<string>('k8s-image', 'image') ?? publicImage,
    cpuRequest: pick<string>('k8s-cpu-request', 'cpuRequest') ?? DEFAULTS.k8sCpuRequest,
    memoryRequest: pick<string>('k8s-memory-request', 'memoryRequest') ?? DEFAULTS.k8sMemoryRequest,
    cpuLimit: pick<string>('k8s-cpu-limit', 'cpuLimit') ?? DEFAULTS.k8sCpuLimit,
    memoryLimit: pick<string>('k8s-memory-limit', 'memoryLimit') ?? DEFAULTS.k8sMemoryLimit,
  };
  // Flags and stored values went through the grammar; the default made from the service name did not.
  const namespaceOk = kubernetesNamespace(config.namespace);
  if (namespaceOk !== true) {
    throw new InvalidOptionError(
      `the namespace ${config.namespace} made from the service name is not valid (${namespaceOk})`,
      'pass --k8s-namespace',
    );
  }
  requestWithinLimit('cpu', config.cpuRequest, config.cpuLimit);
  requestWithinLimit('memory', config.memoryRequest, config.memoryLimit);
  return config;
}

/** What the manifests take from the repo's facts and the app's decisions. */
export function toKubernetesService(
  facts: RepoFacts,
  config: GeneratorConfig,
  exampleText: string | undefined,
): KubernetesService {
  return {
    service: config.service,
    port: config.port,
    uid: config.uid,
    config:
      config.configVar !== '' && exampleText !== undefined
        ? {
            path: config.configPath,
            variable: config.configVar,
            variableValue: configVarValue(facts, config),
            exampleFile: config.exampleConfig,
            exampleText,
          }
        : null,
    healthPath: facts.healthPath.value,
    celeryApp: facts.celery.value ? facts.djangoPackage.value : null,
    gracefulSeconds: facts.gracefulTimeout.value,
  };
}
