/**
 * The generated pods run as a kubelet would run them. For each runnable fixture with a database:
 * the fixture's image is built with the legacy builder (tagged with E2E_ID and passed as
 * --k8s-image), the example overlay's YAML is filled as an operator would (src/config/fill.ts,
 * servers on 127.0.0.1), `kubectl kustomize` renders the overlay, and each rendered pod spec is
 * translated into a `docker run --network host` of that image: the user and group, the read-only
 * root, the dropped capabilities and no-new-privileges, each emptyDir as a tmpfs, the Secret's file
 * at its subPath (read-only), env, command and args, the memory and CPU limits. The migrations Job
 * runs to completion against MariaDB, then the web pod's readiness probe is polled exactly as
 * declared (path, port, Host header, period, timeout, failure threshold) until it passes.
 * Boots containers, binds ports and creates databases: run it under the e2e lock
 * (`flock /tmp/openedx-ida-e2e.lock npx vitest run --project e2e test/e2e/kubernetes-pod.test.ts`).
 */
import fs from 'fs-extra';
import http from 'node:http';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillExampleConfig } from '../../src/config/fill.js';
import { quantityValue } from '../../src/model/kubernetes.js';
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const FIXTURES = [
  { fixture: 'standard', name: 'minicreds', worker: false },
  { fixture: 'celery-redis', name: 'license-manager', worker: true },
];
const WORK = workDir('kubernetes-pod');

beforeAll(() => {
  prepareEngines();
  prepareServices();
  fs.ensureDirSync(WORK);
}, 1_800_000);

/** The files the pod's volumes hold on the host: a Secret's keys written out, as the kubelet does. */
function secretFile(secrets: Json[], secretName: string, key: string, into: string): string {
  const secret = secrets.find((candidate) => candidate.metadata.name === secretName);
  if (!secret) throw new Error(`the pod mounts Secret ${secretName}, which the overlay does not render`);
  const data = secret.data?.[key];
  if (data === undefined) throw new Error(`Secret ${secretName} has no key ${key}`);
  const file = join(into, `${secretName}-${key}`);
  fs.writeFileSync(file, Buffer.from(data.replace(/\s+/g, ''), 'base64'));
  // The kubelet writes Secret files 0644 by default (defaultMode), readable by the pod's user.
  fs.chmodSync(file, 0o644);
  return file;
}

/**
 * `docker run` arguments for one container of a pod spec, as the kubelet would start it. Throws on
 * anything it does not translate, so a manifest change the translation misses fails loudly.
 */
function dockerRunArgs(pod: Json, container: Json, secrets: Json[], into: string): string[] {
  const security = { ...pod.securityContext, ...container.securityContext };
  const args: string[] = ['--network', 'host'];
  if (security.runAsUser === undefined || security.runAsGroup === undefined) throw new Error('no runAsUser/Group');
  args.push('--user', `${security.runAsUser}:${security.runAsGroup}`);
  if (security.readOnlyRootFilesystem) args.push('--read-only');
  if (security.allowPrivilegeEscalation === false) args.push('--security-opt', 'no-new-privileges');
  for (const capability of security.capabilities?.drop ?? []) args.push('--cap-drop', capability);
  if (security.seccompProfile && security.seccompProfile.type !== 'RuntimeDefault') throw new Error('seccomp');
  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.volumes.find((candidate: Json) => candidate.name === mount.name);
    if (volume?.emptyDir) {
      const size = volume.emptyDir.sizeLimit ? `:size=${quantityValue(volume.emptyDir.sizeLimit)}` : '';
      args.push('--tmpfs', `${mount.mountPath}${size}`);
    } else if (volume?.secret && mount.subPath) {
      const file = secretFile(secrets, volume.secret.secretName, mount.subPath, into);
      args.push('-v', `${file}:${mount.mountPath}${mount.readOnly ? ':ro' : ''}`);
    } else {
      throw new Error(`volume ${mount.name}: no translation for ${JSON.stringify(volume)}`);
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.value === undefined) throw new Error(`env ${variable.name}: only literal values are translated`);
    args.push('-e', `${variable.name}=${variable.value}`);
  }
  const limits = container.resources?.limits ?? {};
  if (limits.memory) args.push('--memory', String(quantityValue(limits.memory)));
  if (limits.cpu) args.push('--cpus', String(quantityValue(limits.cpu)));
  // command replaces the image's ENTRYPOINT (and drops its CMD); args replace CMD.
  const command: string[] | undefined = container.command;
  if (command) args.push('--entrypoint', command[0]!);
  args.push(container.image, ...(command?.slice(1) ?? []), ...(container.args ?? []));
  return args;
}

/** One HTTP probe attempt as the kubelet makes it: success is a status from 200 to 399 within the timeout. */
function probeOnce(probe: Json, port: number): Promise<number | string> {
  const headers = Object.fromEntries((probe.httpGet.httpHeaders ?? []).map((h: Json) => [h.name, h.value]));
  return new Promise((resolve) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: probe.httpGet.path, headers, timeout: (probe.timeoutSeconds ?? 1) * 1000 },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error) => resolve(error.message));
  });
}

/** The container port a probe names (by name or number). */
function probePort(container: Json, port: string | number): number {
  if (typeof port === 'number') return port;
  const named = container.ports.find((candidate: Json) => candidate.name === port);
  if (!named) throw new Error(`probe port ${port} is not a container port`);
  return named.containerPort;
}

/**
 * Polls the readiness probe as declared: first after initialDelaySeconds, then every periodSeconds;
 * returns once an attempt succeeds, with what the attempts answered. Gives up when the startup
 * probe's whole budget (period × failureThreshold) and the readiness threshold have passed.
 */
async function pollReadiness(container: Json): Promise<(number | string)[]> {
  const readiness = container.readinessProbe;
  const startup = container.startupProbe ?? { periodSeconds: 0, failureThreshold: 0 };
  const port = probePort(container, readiness.httpGet.port);
  const budget =
    (startup.periodSeconds * startup.failureThreshold + readiness.periodSeconds * readiness.failureThreshold) * 1000;
  const deadline = Date.now() + budget;
  const answers: (number | string)[] = [];
  await new Promise((resolve) => setTimeout(resolve, (readiness.initialDelaySeconds ?? 0) * 1000));
  while (Date.now() < deadline) {
    const answer = await probeOnce(readiness, port);
    answers.push(answer);
    if (typeof answer === 'number' && answer >= 200 && answer < 400) return answers;
    await new Promise((resolve) => setTimeout(resolve, readiness.periodSeconds * 1000));
  }
  throw new Error(`the readiness probe did not pass within ${budget} ms: ${answers.join(', ')}`);
}

describe.each(FIXTURES)('$fixture pod', ({ fixture, name, worker }) => {
  const repo = join(WORK, fixture);
  const files = join(WORK, `${fixture}-volumes`);
  const image = `openedx-ida-e2e-${E2E_ID}/${fixture}:k8s`;
  const container = `openedx-ida-e2e-${E2E_ID}-k8s-${fixture}`;
  let objects: Json[] = [];

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
    const overlay = join(repo, 'deploy/kubernetes/overlays/example');
    const configFile = fs.readdirSync(overlay).find((file) => file.endsWith('.yml'))!;
    const password = `db-${Math.random().toString(36).slice(2)}`;
    const filled = fillExampleConfig(fs.readFileSync(join(overlay, configFile), 'utf8'), {
      host: '127.0.0.1',
      placeholders: { 'CHANGE-ME-database-password': password, 'CHANGE-ME-broker-password': '' },
      fallback: (placeholder) => `${placeholder.replace('CHANGE-ME-', 'e2e-')}-${Math.random().toString(36).slice(2)}`,
    });
    fs.writeFileSync(join(overlay, configFile), filled.text);
    const db = parse(filled.text).DATABASES.default;
    createDatabase({ name: db.NAME, user: db.USER, password });
    objects = parseAllDocuments(must('kubectl', ['kustomize', overlay])).map((doc) => doc.toJS());
    fs.emptyDirSync(files);
  }, 1_800_000);

  afterAll(() => {
    removeContainer(container);
    removeContainer(`${container}-worker`);
  });

  const secrets = () => objects.filter((object) => object.kind === 'Secret');
  const workload = (kind: string, objectName: string) =>
    objects.find((object) => object.kind === kind && object.metadata.name === objectName)!;

  it("runs the migrations Job's pod to completion, then the web pod passes its readiness probe as declared", async () => {
    const job = workload('Job', `${name}-migrate`).spec.template.spec;
    const migrate = run('docker', ['run', '--rm', ...dockerRunArgs(job, job.containers[0], secrets(), files)]);
    expect(migrate.status, `${migrate.stdout.slice(-2000)}\n${migrate.stderr.slice(-2000)}`).toBe(0);
    expect(migrate.stdout).toMatch(/Applying |No migrations to apply/);

    const pod = workload('Deployment', name).spec.template.spec;
    const web = pod.containers[0];
    removeContainer(container);
    must('docker', ['run', '-d', '--name', container, ...dockerRunArgs(pod, web, secrets(), files)]);
    try {
      const answers = await pollReadiness(web);
      expect(answers.at(-1)).toBe(200);
      // As the pod's user, with the YAML at its path and nothing else writable.
      expect(must('docker', ['exec', container, 'id', '-u']).trim()).toBe(String(pod.securityContext.runAsUser));
      const write = run('docker', ['exec', container, 'touch', '/edx/app/x']);
      expect(write.status).not.toBe(0);
    } catch (error) {
      const logs = run('docker', ['logs', container]);
      throw new Error(`${String(error)}\n${logs.stdout.slice(-2000)}\n${logs.stderr.slice(-3000)}`, {
        cause: error,
      });
    }
  });

  it.runIf(worker)("runs the Celery worker's pod; its liveness command passes in it", async () => {
    const pod = workload('Deployment', `${name}-worker`).spec.template.spec;
    const spec = pod.containers[0];
    removeContainer(`${container}-worker`);
    must('docker', ['run', '-d', '--name', `${container}-worker`, ...dockerRunArgs(pod, spec, secrets(), files)]);
    const liveness = spec.livenessProbe;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    let result = run('docker', ['exec', `${container}-worker`, ...liveness.exec.command]);
    for (let attempt = 1; result.status !== 0 && attempt < liveness.failureThreshold + 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      result = run('docker', ['exec', `${container}-worker`, ...liveness.exec.command]);
    }
    const logs = run('docker', ['logs', `${container}-worker`]);
    expect(result.status, `${result.stdout}${result.stderr}\n${logs.stderr.slice(-3000)}`).toBe(0);
    expect(result.stdout).toMatch(/pong/);
  });
});
