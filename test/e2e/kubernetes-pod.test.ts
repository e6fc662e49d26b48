/**
 * Every overlay's pods run as a kubelet would run them. For each runnable fixture with a database:
 * the fixture's image is built once with the legacy builder (tagged with E2E_ID and passed as
 * --k8s-image), the example overlay's YAML is filled as an operator would (src/config/fill.ts,
 * servers on 127.0.0.1) and the same filled YAML is put in Vault as the vault-agent overlay's
 * notes say (`vault kv put -mount=secret NAME config=@FILE`: a KV v2 JSON here), then `kubectl
 * kustomize` renders each overlay and what the cluster's operators would do is done from the
 * rendered manifests alone (operators.ts): Argo Rollouts runs the Rollout's workloadRef template,
 * the Vault Agent Injector renders its annotated consul-template into the shared volume, the
 * External Secrets Operator renders the ExternalSecret's template into the Secret the pods mount.
 * Each pod spec is then translated by kubelet.ts into a `docker run --network host` of the image:
 * the migrations Job runs to completion against MariaDB, the web pod's readiness probe is polled
 * exactly as declared until it passes, with the YAML the service reads (the file its env names)
 * equal to the filled YAML; the Celery worker's liveness command passes in the worker pod.
 * Boots containers, binds ports and creates databases: run it under the e2e lock
 * (`flock /tmp/openedx-ida-e2e.lock npx vitest run --project e2e test/e2e/kubernetes-pod.test.ts`).
 */
import fs from 'fs-extra';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillExampleConfig } from '../../src/config/fill.js';
import {
  E2E_ID,
  cli,
  copyFixture,
  createDatabase,
  dockerBuild,
  must,
  prepareEngines,
  prepareServices,
  removeContainer,
  run,
  workDir,
} from './engines.js';
import { type Json, type PodVolumes, dockerRunArgs, podTemplate, pollReadiness } from './kubelet.js';
import { type InjectedFile, buildCtmpl, externalSecretsSecret, vaultInject } from './operators.js';

const FIXTURES = [
  { fixture: 'standard', name: 'minicreds', worker: false },
  { fixture: 'celery-redis', name: 'license-manager', worker: true },
];
const OVERLAYS = ['example', 'blue-green', 'vault-agent', 'external-secrets'] as const;
type Overlay = (typeof OVERLAYS)[number];
/** The ClusterSecretStore the external-secrets overlay names, as a cluster would define it: Vault's KV v2 at secret/. */
const STORE = { kind: 'ClusterSecretStore', name: 'vault', mount: 'secret' };
const WORK = workDir('kubernetes-pod');
let ctmpl = '';

beforeAll(() => {
  prepareEngines();
  prepareServices();
  fs.ensureDirSync(WORK);
  ctmpl = buildCtmpl(join(WORK, 'bin'));
}, 1_800_000);

/** A pod to run: its spec after the operators, the container, and what fills its volumes. */
interface Pod {
  pod: Json;
  container: Json;
  volumes: PodVolumes;
  /** The files the Vault Agent wrote into the pod (vault-agent only). */
  injected: InjectedFile[];
}

describe.each(FIXTURES)('$fixture pods', ({ fixture, name, worker }) => {
  const repo = join(WORK, fixture);
  const files = join(WORK, `${fixture}-volumes`);
  const image = `openedx-ida-e2e-${E2E_ID}/${fixture}:k8s`;
  const container = `openedx-ida-e2e-${E2E_ID}-k8s-${fixture}`;
  const rendered = new Map<Overlay, Json[]>();
  let filled = '';
  let vault: Record<string, Record<string, string>> = {};

  beforeAll(() => {
    copyFixture(fixture, repo);
    for (const args of [
      [repo, '--yes'],
      ['kubernetes', repo, '--yes', '--k8s-image', image],
    ]) {
      const result = cli(args);
      expect(result.status, result.stderr).toBe(0);
    }
    dockerBuild(repo, image);
    // The operator's part: fill the overlay's copy of the example YAML for servers on 127.0.0.1.
    const overlays = join(repo, 'deploy/kubernetes/overlays');
    const configFile = fs.readdirSync(join(overlays, 'example')).find((file) => file.endsWith('.yml'))!;
    const password = `db-${Math.random().toString(36).slice(2)}`;
    filled = fillExampleConfig(fs.readFileSync(join(overlays, 'example', configFile), 'utf8'), {
      host: '127.0.0.1',
      placeholders: { 'CHANGE-ME-database-password': password, 'CHANGE-ME-broker-password': '' },
      fallback: (placeholder) => `${placeholder.replace('CHANGE-ME-', 'e2e-')}-${Math.random().toString(36).slice(2)}`,
    }).text;
    fs.writeFileSync(join(overlays, 'example', configFile), filled);
    // ... and the same YAML in Vault, as the vault-agent overlay's notes say: the "config" field of secret/<name>.
    vault = { [`secret/data/${name}`]: { config: filled } };
    const db = parse(filled).DATABASES.default;
    createDatabase({ name: db.NAME, user: db.USER, password });
    for (const overlay of OVERLAYS) {
      const text = must('kubectl', ['kustomize', join(overlays, overlay)]);
      rendered.set(
        overlay,
        parseAllDocuments(text).map((doc) => doc.toJS()),
      );
    }
    fs.emptyDirSync(files);
  }, 1_800_000);

  afterAll(() => {
    for (const overlay of OVERLAYS) {
      removeContainer(`${container}-${overlay}`);
      removeContainer(`${container}-${overlay}-worker`);
    }
  });

  /** The Secrets the cluster holds for an overlay: those it renders, and the one ESO writes from its ExternalSecret. */
  function clusterSecrets(overlay: Overlay): Json[] {
    const objects = rendered.get(overlay)!;
    const secrets = objects.filter((object) => object.kind === 'Secret');
    for (const external of objects.filter((object) => object.kind === 'ExternalSecret')) {
      secrets.push(externalSecretsSecret(external, STORE, vault, ctmpl, join(files, overlay)));
    }
    return secrets;
  }

  /** One workload's pod in an overlay, after the operators that act on it. */
  function podOf(overlay: Overlay, kind: string, workload: string): Pod {
    const template = podTemplate(rendered.get(overlay)!, kind, workload);
    const volumes: PodVolumes = { secrets: clusterSecrets(overlay), into: join(files, overlay) };
    let pod = template.spec;
    let injected: InjectedFile[] = [];
    if (template.metadata?.annotations?.['vault.hashicorp.com/agent-inject'] === 'true') {
      const injection = vaultInject(template, vault, ctmpl, join(files, overlay, `${kind}-${workload}`));
      pod = injection.pod;
      volumes.prefilled = injection.prefilled;
      injected = injection.files;
    }
    return { pod, container: pod.containers[0], volumes, injected };
  }

  /** Where the pod's YAML is: the injected file, else the Secret key mounted at its subPath. */
  function configPath({ container: spec, injected }: Pod): string {
    if (injected.length > 0) return injected[0]!.path;
    const mount = spec.volumeMounts.find((candidate: Json) => candidate.subPath);
    if (!mount) throw new Error('the pod mounts no YAML');
    return mount.mountPath;
  }

  const webKind = (overlay: Overlay) => (overlay === 'blue-green' ? 'Rollout' : 'Deployment');

  it.each(OVERLAYS)(
    "%s: the service's env names the YAML file the pod gets, and that file is the filled YAML",
    (overlay) => {
      for (const [kind, workload] of [
        [webKind(overlay), name],
        ['Job', `${name}-migrate`],
        ...(worker ? [['Deployment', `${name}-worker`]] : []),
      ] as [string, string][]) {
        const pod = podOf(overlay, kind, workload);
        const path = configPath(pod);
        expect(
          pod.container.env.map((variable: Json) => variable.value),
          `${kind}/${workload}`,
        ).toContain(path);
        for (const file of pod.injected) expect(parse(file.text)).toEqual(parse(filled));
      }
      if (overlay === 'vault-agent') {
        expect(podOf(overlay, 'Deployment', name).injected.map((file) => file.text)).toEqual([filled]);
      }
      if (overlay === 'external-secrets') {
        const [secret] = clusterSecrets(overlay);
        const values = Object.values(secret!.data as Record<string, string>);
        expect(values.map((value) => parse(Buffer.from(value, 'base64').toString('utf8')))).toEqual([parse(filled)]);
      }
    },
  );

  it.each(OVERLAYS)(
    "%s: the migrations Job's pod runs to completion, then the web pod passes its readiness probe as declared",
    async (overlay) => {
      const job = podOf(overlay, 'Job', `${name}-migrate`);
      const migrate = run('docker', ['run', '--rm', ...dockerRunArgs(job.pod, job.container, job.volumes)]);
      expect(migrate.status, `${migrate.stdout.slice(-2000)}\n${migrate.stderr.slice(-2000)}`).toBe(0);
      expect(migrate.stdout).toMatch(/Applying |No migrations to apply/);

      const web = podOf(overlay, webKind(overlay), name);
      const running = `${container}-${overlay}`;
      removeContainer(running);
      must('docker', ['run', '-d', '--name', running, ...dockerRunArgs(web.pod, web.container, web.volumes)]);
      try {
        const answers = await pollReadiness(web.container);
        expect(answers.at(-1)).toBe(200);
        // As the pod's user, reading the filled YAML where its env says, with nothing else writable.
        expect(must('docker', ['exec', running, 'id', '-u']).trim()).toBe(String(web.pod.securityContext.runAsUser));
        expect(parse(must('docker', ['exec', running, 'cat', configPath(web)]))).toEqual(parse(filled));
        const write = run('docker', ['exec', running, 'touch', '/edx/app/x']);
        expect(write.status).not.toBe(0);
      } catch (error) {
        const logs = run('docker', ['logs', running]);
        throw new Error(`${String(error)}\n${logs.stdout.slice(-2000)}\n${logs.stderr.slice(-3000)}`, {
          cause: error,
        });
      } finally {
        removeContainer(running);
      }
    },
  );

  it.runIf(worker).each(OVERLAYS)(
    "%s: the Celery worker's pod runs; its liveness command passes in it",
    async (overlay) => {
      const { pod, container: spec, volumes } = podOf(overlay, 'Deployment', `${name}-worker`);
      const running = `${container}-${overlay}-worker`;
      removeContainer(running);
      must('docker', ['run', '-d', '--name', running, ...dockerRunArgs(pod, spec, volumes)]);
      try {
        const liveness = spec.livenessProbe;
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        let result = run('docker', ['exec', running, ...liveness.exec.command]);
        for (let attempt = 1; result.status !== 0 && attempt < liveness.failureThreshold + 3; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 5_000));
          result = run('docker', ['exec', running, ...liveness.exec.command]);
        }
        const logs = run('docker', ['logs', running]);
        expect(result.status, `${result.stdout}${result.stderr}\n${logs.stderr.slice(-3000)}`).toBe(0);
        expect(result.stdout).toMatch(/pong/);
      } finally {
        removeContainer(running);
      }
    },
  );
});
