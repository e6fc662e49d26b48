/**
 * The Kubernetes manifests as the field's tools see them, for each runnable fixture:
 * `kubectl kustomize` renders every overlay; every rendered object validates against the
 * Kubernetes OpenAPI schemas (the kubernetes-models packages, with the Argo Rollouts and External
 * Secrets models); checkov (PyPI, see prepare-tools.sh) finds no failed check, and every check it
 * skips is skipped by an annotation in the manifest that says why. No container, port or database:
 * no e2e lock needed (kubernetes-pod.test.ts runs the pod).
 */
import fs from 'fs-extra';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, copyFixture, run, toolPath, workDir } from './engines.js';

const OVERLAYS = ['example', 'vault-agent', 'external-secrets', 'blue-green'] as const;
const FIXTURES = [
  { fixture: 'standard', name: 'minicreds', celery: false },
  { fixture: 'optional-load', name: 'enterprise-reports', celery: false },
  { fixture: 'celery-redis', name: 'license-manager', celery: true },
];
const WORK = workDir('kubernetes-manifests');

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
} & Record<
  string,
  any // eslint-disable-line @typescript-eslint/no-explicit-any
>;

/** kubectl is not installed by npm: say so, and where it comes from, rather than fail on ENOENT. */
function kubectl(args: string[]): string {
  let result;
  try {
    result = run('kubectl', args);
  } catch (error) {
    throw new Error(
      `kubectl is not installed (${String(error)}): install kubectl 1.32 to render the kustomize overlays`,
      { cause: error },
    );
  }
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** The model class for an object, from the package that has its group (core, Argo Rollouts, External Secrets). */
async function modelFor(object: K8sObject): Promise<new (data: unknown) => { validate(): void }> {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const pkg =
    group === 'argoproj.io'
      ? '@kubernetes-models/argo-rollouts'
      : group === 'external-secrets.io'
        ? '@kubernetes-models/external-secrets'
        : 'kubernetes-models';
  const module = await import(`${pkg}/${group ? `${group}/` : ''}${version}/${object.kind}`);
  return module[object.kind];
}

/**
 * A Secret's data as the API server reads it: kustomize writes long base64 values as block
 * scalars with line breaks, which the server's decoder skips and the schema's `byte` format does not.
 */
function asServerReadsIt(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([key, value]) => [key, value.replace(/\s+/g, '')]),
  );
  return { ...object, data };
}

function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

describe.each(FIXTURES)('$fixture manifests', ({ fixture, name, celery }) => {
  const repo = join(WORK, fixture);
  const rendered = join(WORK, `${fixture}-rendered`);
  const objects = new Map<string, K8sObject[]>();

  beforeAll(() => {
    copyFixture(fixture, repo);
    for (const args of [
      [repo, '--yes'],
      ['kubernetes', repo, '--yes'],
    ]) {
      const result = cli(args);
      expect(result.status, result.stderr).toBe(0);
    }
    fs.emptyDirSync(rendered);
    for (const overlay of OVERLAYS) {
      const text = kubectl(['kustomize', join(repo, 'deploy/kubernetes/overlays', overlay)]);
      fs.writeFileSync(join(rendered, `${overlay}.yaml`), text);
      objects.set(
        overlay,
        parseAllDocuments(text).map((doc) => doc.toJS() as K8sObject),
      );
    }
  }, 600_000);

  it.each(OVERLAYS)('renders %s into objects that validate against the OpenAPI schemas', async (overlay) => {
    const list = objects.get(overlay)!;
    const kinds = list.map((object) => object.kind).sort();
    const expected = [
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Job',
      'NetworkPolicy',
      'PodDisruptionBudget',
    ];
    for (const kind of expected) expect(kinds).toContain(kind);
    expect(list.filter((object) => object.kind === 'Deployment')).toHaveLength(celery ? 2 : 1);
    for (const object of list) {
      const Model = await modelFor(object);
      expect(
        () => new Model(asServerReadsIt(object)).validate(),
        `${object.kind}/${object.metadata.name}`,
      ).not.toThrow();
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(name);
    }
  });

  it('example: the pods mount the hash-suffixed Secret kustomize generated from the example YAML', () => {
    const list = objects.get('example')!;
    const secret = list.find((object) => object.kind === 'Secret')!;
    expect(secret.metadata.name).toMatch(new RegExp(`^${name}-config-[a-z0-9]{10}$`));
    for (const workload of list.filter((object) => ['Deployment', 'Job'].includes(object.kind))) {
      const volume = workload.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'config');
      expect(volume.secret.secretName, `${workload.kind}/${workload.metadata.name}`).toBe(secret.metadata.name);
    }
    // The README's first step of a release applies only these: the YAML and the Job that migrates with it.
    const first = list.filter((object) =>
      ['config', 'migrations'].includes(object.metadata.labels?.['app.kubernetes.io/component'] ?? ''),
    );
    expect(first.map((object) => object.kind).sort()).toEqual(['Job', 'Secret']);
    const example = fs.readFileSync(
      join(
        repo,
        fs.readdirSync(repo).find((f) => f.endsWith('.example.yml'))!,
      ),
      'utf8',
    );
    const [key] = Object.keys(secret.data);
    expect(Buffer.from(secret.data[key].replace(/\s+/g, ''), 'base64').toString('utf8')).toBe(example);
  });

  it('vault-agent: the injector renders the YAML from KV v2 at the config path; no Secret volume', () => {
    const list = objects.get('vault-agent')!;
    expect(list.some((object) => object.kind === 'Secret')).toBe(false);
    const web = named(list, 'Deployment', name);
    const annotations = web.spec.template.metadata.annotations;
    expect(annotations['vault.hashicorp.com/agent-inject']).toBe('true');
    expect(annotations['vault.hashicorp.com/agent-inject-secret-config']).toBe(`secret/data/${name}`);
    expect(annotations['vault.hashicorp.com/agent-inject-template-config']).toBe(
      `{{- with secret "secret/data/${name}" -}}{{ .Data.data.config }}{{- end }}`,
    );
    const pod = web.spec.template.spec;
    expect(pod.serviceAccountName).toBe(name);
    expect(pod.volumes.map((v: { name: string }) => v.name)).toEqual(['tmp']);
    expect(pod.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/tmp']);
    named(list, 'ServiceAccount', name);
  });

  it('external-secrets: an ExternalSecret writes the Secret the pods mount, its template naming the mounted file', () => {
    const list = objects.get('external-secrets')!;
    const external = named(list, 'ExternalSecret', `${name}-config`);
    const web = named(list, 'Deployment', name);
    const mount = web.spec.template.spec.containers[0].volumeMounts.find((m: { name: string }) => m.name === 'config');
    expect(external.spec.target.name).toBe(`${name}-config`);
    expect(Object.keys(external.spec.target.template.data)).toEqual([mount.subPath]);
  });

  it('blue-green: a Rollout over the Deployment with active and preview Services; the HPA scales the Rollout', () => {
    const list = objects.get('blue-green')!;
    const rollout = named(list, 'Rollout', name);
    named(list, 'Deployment', rollout.spec.workloadRef.name);
    named(list, 'Service', rollout.spec.strategy.blueGreen.activeService);
    named(list, 'Service', rollout.spec.strategy.blueGreen.previewService);
    expect(named(list, 'HorizontalPodAutoscaler', name).spec.scaleTargetRef).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name,
    });
  });

  it('passes checkov: no failed check, and every skip is an annotation in the manifest with its reason', () => {
    const checkov = toolPath('checkov');
    // BC_SKIP_MAPPING and --skip-download: checkov otherwise asks Prisma Cloud's API first (unreachable here).
    const result = run('env', [
      'BC_SKIP_MAPPING=TRUE',
      checkov,
      '-d',
      rendered,
      '--framework',
      'kubernetes',
      '--skip-download',
      '-o',
      'json',
    ]);
    const report = JSON.parse(result.stdout);
    const reports = Array.isArray(report) ? report : [report];
    const failed = reports.flatMap((r) => r.results.failed_checks);
    expect(
      failed.map(
        (c: { check_id: string; resource: string; file_path: string }) => `${c.check_id} ${c.resource} ${c.file_path}`,
      ),
    ).toEqual([]);
    expect(reports[0].summary.passed).toBeGreaterThan(100);
    const files = new Set(
      reports.flatMap((r) => r.results.passed_checks).map((c: { file_path: string }) => c.file_path),
    );
    expect(files.size).toBe(OVERLAYS.length);
    for (const skipped of reports.flatMap((r) => r.results.skipped_checks)) {
      expect(skipped.check_result.suppress_comment, `${skipped.check_id} ${skipped.resource}`).toMatch(/\w{3,}.*\s\w+/);
    }
  });
});
