import { posix } from 'node:path';
import { Document } from 'yaml';
import { headerLines } from '../model/dockerfile-model.js';
import { type KubernetesConfig, type KubernetesService, kubernetesName } from '../model/kubernetes.js';

/** The preStop pause: endpoints controllers and ingress controllers stop routing to the pod meanwhile. */
export const PRESTOP_SECONDS = 5;
/** Celery's warm shutdown waits for running tasks: give them longer than a web request. */
const WORKER_GRACE_SECONDS = 120;

/** The Host header the probes send: the example YAML keeps localhost in ALLOWED_HOSTS for the image's HEALTHCHECK. */
export const PROBE_HOST = 'localhost';

type Json = Record<string, unknown>;

/** One YAML file: the header comment, then the object, serialized by the yaml package (never by hand). */
function yamlFile(what: string, body: Json, notes: string[] = []): string {
  const doc = new Document(body);
  doc.commentBefore = [...headerLines(what, 'openedx-ida kubernetes --yes'), ...notes]
    .map((line) => ` ${line}`)
    .join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** checkov's skip annotations: each a check id and why it does not apply, kept next to the object. */
function checkovSkips(skips: [string, string][]): Json {
  return Object.fromEntries(skips.map(([id, why], index) => [`checkov.io/skip${index + 1}`, `${id}=${why}`]));
}

/** Skips every workload here shares, with the reason each check does not fit. */
const WORKLOAD_SKIPS: [string, string][] = [
  ['CKV_K8S_43', 'the image is set per release (kustomize edit set image NAME@sha256:...), not in the base'],
  ['CKV_K8S_40', 'runs as the image user, a fixed non-root uid chosen at generation (--uid); runAsNonRoot is enforced'],
];

class Builder {
  readonly name: string;
  readonly labels: Json;

  constructor(
    readonly svc: KubernetesService,
    readonly k8s: KubernetesConfig,
  ) {
    this.name = kubernetesName(svc.service);
    this.labels = { 'app.kubernetes.io/name': this.name };
  }

  get secretName(): string {
    return `${this.name}-config`;
  }

  get configKey(): string {
    return posix.basename(this.svc.config!.path);
  }

  selector(component: string): Json {
    return { ...this.labels, 'app.kubernetes.io/component': component };
  }

  metadata(name: string, component: string, annotations?: Json): Json {
    return { name, labels: this.selector(component), ...(annotations ? { annotations } : {}) };
  }

  /** The container security context: nothing to escalate to, nothing writable but the mounts. */
  containerSecurity(): Json {
    return {
      runAsNonRoot: true,
      runAsUser: this.svc.uid,
      runAsGroup: this.svc.uid,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
  }

  /** The config Secret's file at the config path (subPath: only that file, not a whole folder over /edx/etc), and /tmp. */
  volumeMounts(): Json[] {
    return [
      ...(this.svc.config
        ? [{ name: 'config', mountPath: this.svc.config.path, subPath: this.configKey, readOnly: true }]
        : []),
      { name: 'tmp', mountPath: '/tmp' },
    ];
  }

  env(): Json[] {
    return this.svc.config ? [{ name: this.svc.config.variable, value: this.svc.config.variableValue }] : [];
  }

  resources(): Json {
    return {
      requests: { cpu: this.k8s.cpuRequest, memory: this.k8s.memoryRequest },
      limits: { cpu: this.k8s.cpuLimit, memory: this.k8s.memoryLimit },
    };
  }

  /** A pod spec for one container from the image, with the shared volumes and security. */
  podSpec(container: Json, extra: Json = {}): Json {
    return {
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: this.svc.uid,
        runAsGroup: this.svc.uid,
        fsGroup: this.svc.uid,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      ...extra,
      containers: [
        {
          image: this.k8s.image,
          imagePullPolicy: 'Always',
          ...container,
          env: this.env(),
          resources: this.resources(),
          securityContext: this.containerSecurity(),
          volumeMounts: this.volumeMounts(),
        },
      ],
      volumes: [
        ...(this.svc.config ? [{ name: 'config', secret: { secretName: this.secretName } }] : []),
        // The read-only root leaves /tmp as the one writable place (gunicorn's control socket, uploads).
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      ],
    };
  }

  probe(kind: 'startup' | 'readiness' | 'liveness'): Json {
    const action = this.svc.healthPath
      ? { httpGet: { path: this.svc.healthPath, port: 'http', httpHeaders: [{ name: 'Host', value: PROBE_HOST }] } }
      : { tcpSocket: { port: 'http' } };
    const timing = {
      // Up to 150 s to boot (migrations run in their own Job, so this is imports and settings).
      startup: { periodSeconds: 5, failureThreshold: 30 },
      readiness: { periodSeconds: 10, failureThreshold: 3 },
      liveness: { periodSeconds: 20, failureThreshold: 3 },
    }[kind];
    return { ...action, timeoutSeconds: 4, ...timing };
  }

  deployment(): Json {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: this.metadata(this.name, 'web', checkovSkips(WORKLOAD_SKIPS)),
      // No spec.replicas: the HPA owns the count (its minReplicas is --k8s-replicas). A replicas field here would
      // reset the HPA's count on every `kubectl apply` (Kubernetes docs, horizontal-pod-autoscale: "Migrating
      // Deployments and StatefulSets to horizontal autoscaling"); the HPA raises a new Deployment's 1 to its minimum.
      spec: {
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selector('web') },
        // Never below the current count during a rollout: new pods first, old ones once ready.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels: this.selector('web') },
          spec: this.podSpec(
            {
              name: 'web',
              ports: [{ name: 'http', containerPort: this.svc.port, protocol: 'TCP' }],
              startupProbe: this.probe('startup'),
              readinessProbe: this.probe('readiness'),
              livenessProbe: this.probe('liveness'),
              lifecycle: { preStop: { exec: { command: ['sleep', String(PRESTOP_SECONDS)] } } },
            },
            // The kubelet kills what still runs after this: the preStop pause, gunicorn's graceful timeout, and a margin.
            { terminationGracePeriodSeconds: PRESTOP_SECONDS + this.svc.gracefulSeconds + 10 },
          ),
        },
      },
    };
  }

  worker(): Json {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: this.metadata(
        `${this.name}-worker`,
        'worker',
        checkovSkips([
          ...WORKLOAD_SKIPS,
          ['CKV_K8S_9', 'a Celery worker serves no traffic: nothing to gate with a readiness probe'],
        ]),
      ),
      spec: {
        replicas: 1,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selector('worker') },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels: this.selector('worker') },
          spec: this.podSpec(
            {
              name: 'worker',
              args: ['celery', '-A', this.svc.celeryApp!, 'worker', '--loglevel=INFO'],
              // The worker answers a ping through the broker: alive means connected and consuming.
              livenessProbe: {
                exec: {
                  command: [
                    'sh',
                    '-c',
                    `celery -A ${this.svc.celeryApp!} inspect ping --destination "celery@$HOSTNAME" --timeout 10`,
                  ],
                },
                initialDelaySeconds: 30,
                periodSeconds: 60,
                timeoutSeconds: 20,
                failureThreshold: 3,
              },
            },
            { terminationGracePeriodSeconds: WORKER_GRACE_SECONDS },
          ),
        },
      },
    };
  }

  migrations(): Json {
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: this.metadata(`${this.name}-migrate`, 'migrations', checkovSkips(WORKLOAD_SKIPS)),
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 1800,
        // Removed an hour after it ends, so the next release's `kubectl apply` creates it again (a Job is immutable).
        ttlSecondsAfterFinished: 3600,
        template: {
          metadata: { labels: this.selector('migrations') },
          spec: this.podSpec(
            {
              name: 'migrate',
              // args, not command: the image's entrypoint still checks that the YAML is mounted.
              args: ['python', 'manage.py', 'migrate', '--noinput'],
            },
            { restartPolicy: 'Never' },
          ),
        },
      },
    };
  }

  service(name = this.name): Json {
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.metadata(name, 'web'),
      spec: {
        type: 'ClusterIP',
        selector: this.selector('web'),
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      },
    };
  }

  ingress(): Json {
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: this.metadata(this.name, 'web'),
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: [this.k8s.host], secretName: `${this.name}-tls` }],
        rules: [
          {
            host: this.k8s.host,
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: this.name, port: { name: 'http' } } } },
              ],
            },
          },
        ],
      },
    };
  }

  pdb(): Json {
    return {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: this.metadata(this.name, 'web'),
      spec: { maxUnavailable: 1, selector: { matchLabels: this.selector('web') } },
    };
  }

  hpa(target: Json = { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name }): Json {
    return {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: this.metadata(this.name, 'web'),
      spec: {
        scaleTargetRef: target,
        minReplicas: this.k8s.replicas,
        maxReplicas: this.k8s.replicas * 3,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        ],
      },
    };
  }

  /** Only traffic to the service port comes in; everything may go out (database, cache, LMS). */
  networkPolicy(): Json {
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: this.metadata(this.name, 'web'),
      spec: {
        podSelector: { matchLabels: this.labels },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ port: this.svc.port, protocol: 'TCP' }] }],
      },
    };
  }
}

/** The workloads whose pods read the YAML, as kustomize patch targets. */
function workloads(b: Builder): { kind: string; name: string }[] {
  return [
    { kind: 'Deployment', name: b.name },
    ...(b.svc.celeryApp ? [{ kind: 'Deployment', name: `${b.name}-worker` }] : []),
    { kind: 'Job', name: `${b.name}-migrate` },
  ];
}

/** A strategic-merge patch of one workload's pod template, as kustomize's inline `patch` text (YAML by the serializer). */
function podPatch(kind: string, name: string, apiVersion: string, template: Json, extra: Json = {}): string {
  return new Document({ apiVersion, kind, metadata: { name, ...extra }, spec: { template } }).toString({
    lineWidth: 0,
  });
}

function base(b: Builder): Map<string, string> {
  const files = new Map<string, string>();
  const resources: [string, Json, string[]][] = [
    [
      'deployment.yaml',
      b.deployment(),
      [
        `The web pods: gunicorn from the image, the YAML from the ${b.secretName} Secret.`,
        // A client-side apply over a Deployment last applied with replicas sends replicas: null (1 pod).
        'No replicas: the HPA owns the count. Upgrading a Deployment applied with replicas? First run',
        `kubectl -n ${b.k8s.namespace} apply set-last-applied -f deployment.yaml (README: Deploying).`,
      ],
    ],
    ...(b.svc.celeryApp
      ? [
          ['worker.yaml', b.worker(), ['The Celery worker: the same image and YAML, no Service.']] as [
            string,
            Json,
            string[],
          ],
        ]
      : []),
    [
      'migrations-job.yaml',
      b.migrations(),
      ['manage.py migrate before a release: apply it and wait (kubectl wait --for=condition=complete) first.'],
    ],
    ['service.yaml', b.service(), []],
    ['ingress.yaml', b.ingress(), ['TLS from the named Secret (cert-manager or your own certificate).']],
    ['pdb.yaml', b.pdb(), []],
    ['hpa.yaml', b.hpa(), []],
    ['networkpolicy.yaml', b.networkPolicy(), []],
  ];
  for (const [file, body, notes] of resources)
    files.set(`base/${file}`, yamlFile(`${kindOf(body)} for ${b.svc.service}`, body, notes));
  files.set(
    'base/kustomization.yaml',
    yamlFile(
      `kustomize base for ${b.svc.service}`,
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        namespace: b.k8s.namespace,
        labels: [{ pairs: { 'app.kubernetes.io/part-of': b.name } }],
        resources: resources.map(([file]) => file),
      },
      [
        `Not applied alone: the pods read the ${b.secretName} Secret an overlay provides (see overlays/).`,
        'Set the image per release: kustomize edit set image IMAGE=registry/name@sha256:... in your overlay.',
      ],
    ),
  );
  return files;
}

function kindOf(body: Json): string {
  return String(body.kind);
}

/** An overlay's kustomization: in the base's namespace too, or its Secret would not match the pods' reference. */
function kustomization(b: Builder, what: string, body: Json, notes: string[]): string {
  return yamlFile(
    what,
    { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: b.k8s.namespace, ...body },
    notes,
  );
}

function exampleOverlay(b: Builder): Map<string, string> {
  const config = b.svc.config;
  const files = new Map<string, string>();
  if (config) files.set(`overlays/example/${b.configKey}`, config.exampleText);
  files.set(
    'overlays/example/kustomization.yaml',
    kustomization(
      b,
      `example overlay for ${b.svc.service}`,
      {
        resources: ['../../base'],
        ...(config
          ? {
              // A hash of the YAML in the Secret's name: changing the YAML rolls the pods.
              secretGenerator: [{ name: b.secretName, files: [b.configKey] }],
              // Labelled so a release can apply the Secret and the migrations Job alone, first (see the README).
              generatorOptions: { labels: b.selector('config') },
            }
          : {}),
      },
      config
        ? [
            `The ${b.secretName} Secret from ${b.configKey}, a copy of ${config.exampleFile}: fill it in a copy of`,
            'this overlay that is never committed, or use the vault-agent or external-secrets overlay.',
          ]
        : [],
    ),
  );
  return files;
}

/** consul-template for the Vault Agent: the YAML is the `config` field of one KV v2 secret, written as is. */
export function vaultTemplate(kvPath: string): string {
  return `{{- with secret "${kvPath}" -}}{{ .Data.data.config }}{{- end }}`;
}

function vaultOverlay(b: Builder): Map<string, string> {
  const config = b.svc.config;
  const kvPath = `secret/data/${b.name}`;
  const patches = workloads(b).map(({ kind, name }) => {
    const annotations: Json = {
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/role': b.name,
      // The YAML is read once at start (as the hash-suffixed Secret is): no sidecar, a restart picks up changes.
      'vault.hashicorp.com/agent-pre-populate-only': 'true',
      ...(config
        ? {
            'vault.hashicorp.com/agent-inject-secret-config': kvPath,
            'vault.hashicorp.com/agent-inject-template-config': vaultTemplate(kvPath),
            'vault.hashicorp.com/agent-inject-file-config': b.configKey,
            'vault.hashicorp.com/secret-volume-path-config': posix.dirname(config.path),
          }
        : {}),
    };
    const template = {
      metadata: { annotations },
      spec: {
        serviceAccountName: b.name,
        // Vault's Kubernetes auth logs in with the pod's service account token.
        automountServiceAccountToken: true,
        // The agent mounts its own volume at the config folder: drop the Secret's.
        ...(config
          ? {
              volumes: [{ name: 'config', $patch: 'delete' }],
              containers: [
                {
                  name: kind === 'Job' ? 'migrate' : name.endsWith('-worker') ? 'worker' : 'web',
                  volumeMounts: [{ mountPath: config.path, $patch: 'delete' }],
                },
              ],
            }
          : {}),
      },
    };
    const skip = checkovSkips([
      ...WORKLOAD_SKIPS,
      ...(name.endsWith('-worker')
        ? [
            ['CKV_K8S_9', 'a Celery worker serves no traffic: nothing to gate with a readiness probe'] as [
              string,
              string,
            ],
          ]
        : []),
      ['CKV_K8S_38', "Vault's Kubernetes auth needs the service account token in the pod"],
    ]);
    return {
      target: { kind, name },
      patch: podPatch(kind, name, kind === 'Job' ? 'batch/v1' : 'apps/v1', template, { annotations: skip }),
    };
  });
  return new Map([
    [
      'overlays/vault-agent/serviceaccount.yaml',
      yamlFile(
        `ServiceAccount for ${b.svc.service}: the identity Vault's role ${b.name} is bound to`,
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: b.name, labels: b.labels },
          automountServiceAccountToken: false,
        },
        [],
      ),
    ],
    [
      'overlays/vault-agent/kustomization.yaml',
      kustomization(
        b,
        `vault-agent overlay for ${b.svc.service}`,
        { resources: ['../../base', 'serviceaccount.yaml'], patches },
        [
          `The Vault Agent Injector writes the YAML at ${config?.path ?? 'the config path'} before the app starts,`,
          `from the "config" field of the KV v2 secret ${kvPath}:`,
          `  vault kv put -mount=secret ${b.name} config=@${config?.exampleFile ?? 'config.yml'}   (filled)`,
          `Vault needs a Kubernetes auth role ${b.name} bound to this ServiceAccount, with read on ${kvPath}.`,
        ],
      ),
    ],
  ]);
}

function externalSecretsOverlay(b: Builder): Map<string, string> {
  const config = b.svc.config;
  const externalSecret = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: b.secretName, labels: b.labels },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
      target: {
        name: b.secretName,
        creationPolicy: 'Owner',
        template: {
          engineVersion: 'v2',
          type: 'Opaque',
          // The Secret holds one file, the YAML, under the name the pods mount.
          data: { [config ? b.configKey : 'config.yml']: '{{ .config }}' },
        },
      },
      data: [{ secretKey: 'config', remoteRef: { key: b.name, property: 'config' } }],
    },
  };
  return new Map([
    [
      'overlays/external-secrets/external-secret.yaml',
      yamlFile(
        `ExternalSecret for ${b.svc.service}: the ${b.secretName} Secret from your secret store`,
        externalSecret,
        [
          `The YAML is the "config" property of ${b.name} in the ClusterSecretStore "vault" (rename it to yours).`,
          'A changed YAML is not rolled out by itself: restart the pods (kubectl rollout restart) after a change.',
        ],
      ),
    ],
    [
      'overlays/external-secrets/kustomization.yaml',
      kustomization(
        b,
        `external-secrets overlay for ${b.svc.service}`,
        { resources: ['../../base', 'external-secret.yaml'] },
        ['External Secrets Operator writes the Secret the base mounts.'],
      ),
    ],
  ]);
}

function blueGreenOverlay(b: Builder): Map<string, string> {
  const rollout = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: b.metadata(b.name, 'web'),
    // No spec.replicas, as in the base's Deployment: the HPA scales the Rollout from its minReplicas.
    spec: {
      revisionHistoryLimit: 5,
      selector: { matchLabels: b.selector('web') },
      // The pod template stays in the base's Deployment (one place); Argo Rollouts scales that Deployment down.
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: b.name, scaleDown: 'progressively' },
      strategy: {
        blueGreen: {
          activeService: b.name,
          previewService: `${b.name}-preview`,
          // A person (or an analysis) promotes the preview: kubectl argo rollouts promote NAME.
          autoPromotionEnabled: false,
          scaleDownDelaySeconds: 30,
        },
      },
    },
  };
  return new Map([
    [
      'overlays/blue-green/rollout.yaml',
      yamlFile(`Argo Rollouts blue/green Rollout for ${b.svc.service}`, rollout, [
        `The active Service ${b.name} serves the live pods; ${b.name}-preview the new ones until promoted.`,
      ]),
    ],
    [
      'overlays/blue-green/preview-service.yaml',
      yamlFile(`preview Service for ${b.svc.service}`, b.service(`${b.name}-preview`)),
    ],
    [
      'overlays/blue-green/kustomization.yaml',
      kustomization(
        b,
        `blue-green overlay for ${b.svc.service}`,
        {
          resources: ['../example', 'rollout.yaml', 'preview-service.yaml'],
          patches: [
            {
              target: { kind: 'HorizontalPodAutoscaler', name: b.name },
              patch: new Document([
                {
                  op: 'replace',
                  path: '/spec/scaleTargetRef',
                  value: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: b.name },
                },
              ]).toString({ lineWidth: 0 }),
            },
          ],
        },
        ['Builds on the example overlay (its Secret); swap ../example for your own overlay.'],
      ),
    ],
  ]);
}

/**
 * The kustomize base and its overlays (example, vault-agent, external-secrets, blue-green),
 * path relative to the repo → YAML text. Every value went through a grammar or comes from the
 * facts; the YAML is serialized by the yaml package.
 */
export function renderKubernetesFiles(svc: KubernetesService, k8s: KubernetesConfig): Map<string, string> {
  const b = new Builder(svc, k8s);
  const files = new Map<string, string>();
  for (const part of [base(b), exampleOverlay(b), vaultOverlay(b), externalSecretsOverlay(b), blueGreenOverlay(b)]) {
    for (const [file, content] of part) files.set(posix.join(k8s.dir, file), content);
  }
  return files;
}
