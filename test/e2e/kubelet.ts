/**
 * A rendered pod spec run as the kubelet would run it, with `docker run --network host`: the
 * user and group, the read-only root, the dropped capabilities and no-new-privileges, each emptyDir
 * as a tmpfs, a Secret's key at its subPath, env, command and args, the memory and CPU limits; and
 * its probes polled as declared. Shared by every overlay's run (kubernetes-pod.test.ts), so each
 * overlay's pods go through the same translation.
 */
import fs from 'fs-extra';
import http from 'node:http';
import { join } from 'node:path';
import { quantityValue } from '../../src/model/kubernetes.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** What fills a pod's volumes on the host: the Secrets the cluster holds, and the folders init containers filled. */
export interface PodVolumes {
  /** Secret objects as the API server stores them (base64 `data`). */
  secrets: Json[];
  /** Where Secret files are written for the run. */
  into: string;
  /**
   * Volumes an init container filled before the app container starts (volume name -> host folder),
   * mounted read-only: the app only reads what was rendered for it.
   */
  prefilled?: Map<string, string>;
}

/** The pod template a workload runs: a Rollout with a workloadRef runs its Deployment's template, as Argo Rollouts does. */
export function podTemplate(objects: Json[], kind: string, name: string): Json {
  const find = (k: string, n: string) => {
    const found = objects.find((object) => object.kind === k && object.metadata.name === n);
    if (!found) throw new Error(`no ${k} ${n} in the rendered overlay`);
    return found;
  };
  const workload = find(kind, name);
  if (kind === 'Rollout' && !workload.spec.template) {
    const ref = workload.spec.workloadRef;
    const template = find(ref.kind, ref.name).spec.template;
    // Argo Rollouts refuses a workloadRef whose pods its selector does not select.
    for (const [label, value] of Object.entries(workload.spec.selector.matchLabels)) {
      if (template.metadata.labels?.[label] !== value) throw new Error(`the Rollout's selector misses ${label}`);
    }
    return template;
  }
  return workload.spec.template;
}

/** A Secret's key written out as the kubelet does: a file readable by the pod's user. */
function secretFile(secrets: Json[], secretName: string, key: string, into: string): string {
  const secret = secrets.find((candidate) => candidate.metadata.name === secretName);
  if (!secret) throw new Error(`the pod mounts Secret ${secretName}, which the overlay does not render`);
  const data = secret.data?.[key];
  if (data === undefined) throw new Error(`Secret ${secretName} has no key ${key}`);
  fs.ensureDirSync(into);
  const file = join(into, `${secretName}-${key}`);
  fs.writeFileSync(file, Buffer.from(data.replace(/\s+/g, ''), 'base64'));
  // The kubelet writes Secret files 0644 by default (defaultMode), readable by the pod's user.
  fs.chmodSync(file, 0o644);
  return file;
}

/**
 * `docker run` arguments for one container of a pod spec, as the kubelet would start it. Throws on
 * a volume or env source it does not translate, so a manifest change the translation misses fails loudly.
 */
export function dockerRunArgs(pod: Json, container: Json, volumes: PodVolumes): string[] {
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
    const filled = volumes.prefilled?.get(mount.name);
    if (filled !== undefined && !mount.subPath) {
      args.push('-v', `${filled}:${mount.mountPath}:ro`);
    } else if (volume?.emptyDir) {
      const size = volume.emptyDir.sizeLimit ? `:size=${quantityValue(volume.emptyDir.sizeLimit)}` : '';
      args.push('--tmpfs', `${mount.mountPath}${size}`);
    } else if (volume?.secret && mount.subPath) {
      const file = secretFile(volumes.secrets, volume.secret.secretName, mount.subPath, volumes.into);
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
export async function pollReadiness(container: Json): Promise<(number | string)[]> {
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
