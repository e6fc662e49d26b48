import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/errors.js';
import {
  type KubernetesService,
  kubernetesName,
  quantityValue,
  resolveKubernetesConfig,
} from '../../src/model/kubernetes.js';
import { PRESTOP_SECONDS, renderKubernetesFiles } from '../../src/render/kubernetes.js';

const SERVICE: KubernetesService = {
  service: 'license_manager',
  port: 18170,
  uid: 1000,
  config: {
    path: '/edx/etc/license_manager.yml',
    variable: 'LICENSE_MANAGER_CFG',
    variableValue: '/edx/etc/license_manager.yml',
    exampleFile: 'license_manager.example.yml',
    exampleText: 'SECRET_KEY: CHANGE-ME-secret-key\n',
  },
  healthPath: '/health/',
  celeryApp: 'license_manager',
  gracefulSeconds: 30,
};

describe('resolveKubernetesConfig', () => {
  it('defaults from the service name, made a DNS label', () => {
    expect(resolveKubernetesConfig({}, undefined, 'license_manager')).toEqual({
      dir: 'deploy/kubernetes',
      host: 'license-manager.example.com',
      namespace: 'license-manager',
      replicas: 2,
      image: 'docker.io/openedx/license_manager:main',
      cpuRequest: '250m',
      memoryRequest: '512Mi',
      cpuLimit: '1',
      memoryLimit: '1Gi',
    });
  });

  it('takes a flag over a stored value, and checks both', () => {
    const config = resolveKubernetesConfig({ k8sReplicas: '5' }, { replicas: 3, host: 'a.example.org' }, 'x');
    expect([config.replicas, config.host]).toEqual([5, 'a.example.org']);
    expect(() => resolveKubernetesConfig({}, { replicas: 0 }, 'x')).toThrow(
      /kubernetes\.replicas in \.yo-rc\.json \(--k8s-replicas\) is 0: not valid/,
    );
    expect(() => resolveKubernetesConfig({}, { namespace: 'a.b' }, 'x')).toThrow(InvalidOptionError);
  });

  it.each(['kube-system', 'kube-public', 'kube-node-lease', 'kube-anything'])(
    "refuses the namespace %s, Kubernetes' own, from a flag, a stored value or the service name",
    (namespace) => {
      const why = "use a namespace of your own: kube-* (kube-system, kube-public, kube-node-lease) is Kubernetes' own";
      expect(() => resolveKubernetesConfig({ k8sNamespace: namespace }, undefined, 'x')).toThrow(
        `--k8s-namespace "${namespace}" is not valid (${why})`,
      );
      expect(() => resolveKubernetesConfig({}, { namespace }, 'x')).toThrow(InvalidOptionError);
      expect(() => resolveKubernetesConfig({}, undefined, namespace.replace('-', '_'))).toThrow(
        `the namespace ${namespace} made from the service name is not valid (${why})`,
      );
    },
  );

  it('takes default, and a kube-like name that is not the kube- prefix', () => {
    expect(resolveKubernetesConfig({ k8sNamespace: 'default' }, undefined, 'x').namespace).toBe('default');
    expect(resolveKubernetesConfig({}, { namespace: 'kubeflow' }, 'x').namespace).toBe('kubeflow');
  });

  it('compares requests with limits across units', () => {
    expect(() => resolveKubernetesConfig({ k8sCpuRequest: '1500m', k8sCpuLimit: '1' }, undefined, 'x')).toThrow(
      'the cpu request 1500m is above the cpu limit 1',
    );
    expect(resolveKubernetesConfig({ k8sMemoryRequest: '1G', k8sMemoryLimit: '1Gi' }, undefined, 'x').memoryLimit).toBe(
      '1Gi',
    );
  });
});

describe('kubernetes names and quantities', () => {
  it.each([
    ['license_manager', 'license-manager'],
    ['a.b_c', 'a-b-c'],
    ['x-', 'x'],
    ['0abc', 'ida-0abc'],
    ['a'.repeat(63), 'a'.repeat(55)],
    [`${'a'.repeat(54)}_b`, 'a'.repeat(54)],
  ])('%s → %s', (service, name) => expect(kubernetesName(service)).toBe(name));

  it.each([
    ['250m', 0.25],
    ['1', 1],
    ['64Mi', 64 * 2 ** 20],
    ['1G', 1e9],
  ])('%s = %d', (quantity, value) => expect(quantityValue(quantity)).toBe(value));
});

describe('renderKubernetesFiles', () => {
  const k8s = resolveKubernetesConfig({}, undefined, SERVICE.service);
  const read = (files: Map<string, string>, file: string) => parse(files.get(`deploy/kubernetes/${file}`)!);

  // A Service name is a DNS-1035 label; a Job's name is also its pods' job-name label: 63 characters at most.
  it.each(['a'.repeat(63), '0abc', `${'x'.repeat(40)}.${'y'.repeat(22)}`])(
    'names every object of %s as a DNS-1035 label, derived names included',
    (service) => {
      const files = renderKubernetesFiles({ ...SERVICE, service }, resolveKubernetesConfig({}, undefined, service));
      const names = [...files.values()].flatMap((text) =>
        parseAllDocuments(text).map((doc) => (doc.toJS() as { metadata?: { name?: string } } | null)?.metadata?.name),
      );
      const defined = names.filter((name): name is string => typeof name === 'string');
      expect(defined.length).toBeGreaterThan(5);
      for (const name of defined) expect(name).toMatch(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/);
    },
  );

  // The first client-side apply over a Deployment applied with replicas would send replicas: null (README: Deploying).
  it('leaves the count to the autoscaler and says how to upgrade a Deployment applied with replicas', () => {
    const text = renderKubernetesFiles(SERVICE, k8s).get('deploy/kubernetes/base/deployment.yaml')!;
    expect(parse(text).spec.replicas).toBeUndefined();
    expect(text).toContain('# kubectl -n license-manager apply set-last-applied -f deployment.yaml');
  });

  it.each([30, 120])(
    'gives the pods a grace period longer than the preStop pause plus a %d s graceful timeout',
    (graceful) => {
      const files = renderKubernetesFiles({ ...SERVICE, gracefulSeconds: graceful }, k8s);
      const pod = read(files, 'base/deployment.yaml').spec.template.spec;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(PRESTOP_SECONDS + graceful);
      expect(pod.containers[0].lifecycle.preStop.exec.command).toEqual(['sleep', String(PRESTOP_SECONDS)]);
    },
  );

  it('probes the detected health path with a Host header, or the port when there is none', () => {
    const withPath = read(renderKubernetesFiles(SERVICE, k8s), 'base/deployment.yaml').spec.template.spec.containers[0];
    expect(withPath.readinessProbe.httpGet).toEqual({
      path: '/health/',
      port: 'http',
      httpHeaders: [{ name: 'Host', value: 'localhost' }],
    });
    const without = read(renderKubernetesFiles({ ...SERVICE, healthPath: null }, k8s), 'base/deployment.yaml').spec
      .template.spec.containers[0];
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
      expect(without[probe].tcpSocket).toEqual({ port: 'http' });
  });

  it('writes no worker without Celery, and no config Secret or mount for a service that reads no YAML', () => {
    const files = renderKubernetesFiles({ ...SERVICE, celeryApp: null, config: null }, k8s);
    expect(files.has('deploy/kubernetes/base/worker.yaml')).toBe(false);
    const pod = read(files, 'base/deployment.yaml').spec.template.spec;
    expect(pod.volumes.map((volume: { name: string }) => volume.name)).toEqual(['tmp']);
    expect(pod.containers[0].env).toEqual([]);
    expect(read(files, 'overlays/example/kustomization.yaml').secretGenerator).toBeUndefined();
  });

  it('leaves the web pod count to the HPA: no replicas in the Deployment or the Rollout, the HPA from --k8s-replicas', () => {
    const files = renderKubernetesFiles(SERVICE, resolveKubernetesConfig({ k8sReplicas: '3' }, undefined, 'x'));
    expect(read(files, 'base/deployment.yaml').spec).not.toHaveProperty('replicas');
    expect(read(files, 'overlays/blue-green/rollout.yaml').spec).not.toHaveProperty('replicas');
    expect(read(files, 'base/hpa.yaml').spec).toMatchObject({ minReplicas: 3, maxReplicas: 9 });
    // The worker has no autoscaler: its count stays in its Deployment.
    expect(read(files, 'base/worker.yaml').spec.replicas).toBe(1);
  });

  it('serializes values through the YAML library: a value with YAML syntax stays one string', () => {
    const files = renderKubernetesFiles({ ...SERVICE, healthPath: '/health/: {x}' }, k8s);
    const probe = read(files, 'base/deployment.yaml').spec.template.spec.containers[0].readinessProbe;
    expect(probe.httpGet.path).toBe('/health/: {x}');
  });
});
