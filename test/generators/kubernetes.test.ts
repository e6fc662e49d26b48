import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import helpers from 'yeoman-test';
import { describe, expect, it } from 'vitest';
import KubernetesGenerator from '../../generators/kubernetes/index.js';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo, listFiles } from '../support/fixtures.js';

/** A fixture copy with the app generated (the manifests mount its example YAML). */
function withApp(name: string): string {
  const dir = fs.mkdtempSync(join(tmpdir(), `openedx-ida-k8s-${name}-`));
  copyFixtureRepo(name, dir);
  const result = cli([dir, '--yes']);
  expect(result.status, result.stderr).toBe(0);
  return dir;
}

function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((file) => [file, fs.readFileSync(join(dir, file), 'utf8')]));
}

const K8S = 'deploy/kubernetes';

describe('openedx-ida kubernetes', () => {
  it('writes the base and the four overlays, and stores its decisions under kubernetes', () => {
    const repo = withApp('celery-redis');
    const result = cli(['kubernetes', repo, '--yes', '--k8s-host', 'licenses.example.org', '--k8s-replicas', '3']);
    expect(result.status, result.stderr).toBe(0);
    const files = listFiles(join(repo, K8S)).sort();
    expect(files).toEqual(
      [
        'base/deployment.yaml',
        'base/hpa.yaml',
        'base/ingress.yaml',
        'base/kustomization.yaml',
        'base/migrations-job.yaml',
        'base/networkpolicy.yaml',
        'base/pdb.yaml',
        'base/service.yaml',
        'base/worker.yaml',
        'overlays/blue-green/kustomization.yaml',
        'overlays/blue-green/preview-service.yaml',
        'overlays/blue-green/rollout.yaml',
        'overlays/example/kustomization.yaml',
        'overlays/example/license_manager.yml',
        'overlays/external-secrets/external-secret.yaml',
        'overlays/external-secrets/kustomization.yaml',
        'overlays/vault-agent/kustomization.yaml',
        'overlays/vault-agent/serviceaccount.yaml',
      ].sort(),
    );
    const stored = fs.readJsonSync(join(repo, '.yo-rc.json'))['generator-openedx-ida'].kubernetes;
    expect(stored).toMatchObject({ host: 'licenses.example.org', replicas: 3, namespace: 'license-manager' });
    expect(parse(fs.readFileSync(join(repo, K8S, 'base/ingress.yaml'), 'utf8')).spec.rules[0].host).toBe(
      'licenses.example.org',
    );
    // The overlay's YAML is the example YAML, byte for byte.
    expect(fs.readFileSync(join(repo, K8S, 'overlays/example/license_manager.yml'), 'utf8')).toBe(
      fs.readFileSync(join(repo, 'license_manager.example.yml'), 'utf8'),
    );
  });

  it.each([
    [['--k8s-host', 'not a host'], /^--k8s-host "not a host" is not valid \(use a DNS name/],
    [['--k8s-host', 'Upper.example.com'], /^--k8s-host "Upper.example.com" is not valid/],
    [['--k8s-replicas', '0'], /^--k8s-replicas "0" is not valid \(use a replica count between 1 and 1000\)/],
    [['--k8s-cpu-request', '-1'], /^--k8s-cpu-request "-1" is not valid \(use a CPU quantity above 0/],
    [['--k8s-memory-limit', '0'], /^--k8s-memory-limit "0" is not valid/],
    [['--k8s-namespace', 'my_ns'], /^--k8s-namespace "my_ns" is not valid \(use a DNS label/],
    [['--k8s-namespace', 'kube-system'], /^--k8s-namespace "kube-system" is not valid \(use a namespace of your own/],
    [['--k8s-image', 'Bad Image'], /^--k8s-image "Bad Image" is not valid/],
    [
      ['--k8s-memory-request', '2Gi', '--k8s-memory-limit', '1Gi'],
      /^the memory request 2Gi is above the memory limit 1Gi/,
    ],
  ])('refuses %j with a one-line error and writes nothing', (flags, message) => {
    const repo = withApp('standard');
    const before = snapshot(repo);
    const result = cli(['kubernetes', repo, '--yes', ...flags]);
    expect(result.status).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^openedx-ida: ${message.source.slice(1)}`));
    expect(lines).toHaveLength(1);
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses a bad stored decision, naming .yo-rc.json and the key', () => {
    const repo = withApp('standard');
    const yoRc = join(repo, '.yo-rc.json');
    const state = fs.readJsonSync(yoRc);
    state['generator-openedx-ida'].kubernetes = { host: 'bad_host!' };
    fs.writeJsonSync(yoRc, state);
    const result = cli(['kubernetes', repo, '--yes']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/kubernetes\.host in \.yo-rc\.json \(--k8s-host\) is "bad_host!": not valid/);
    expect(fs.existsSync(join(repo, K8S))).toBe(false);
  });

  it('writes the same files on a second run (identical), and from stored decisions alone', () => {
    const repo = withApp('standard');
    expect(cli(['kubernetes', repo, '--yes', '--k8s-replicas', '4']).status).toBe(0);
    const first = snapshot(repo);
    const again = cli(['kubernetes', repo, '--yes']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/\b(create|force|conflict)\b.*deploy\/kubernetes/);
    expect(snapshot(repo)).toEqual(first);
    expect(parse(fs.readFileSync(join(repo, K8S, 'base/hpa.yaml'), 'utf8')).spec.minReplicas).toBe(4);
  });

  it('is covered by check: identical after generation, drift when the repo changes what the manifests use', () => {
    const repo = withApp('standard');
    expect(cli(['kubernetes', repo, '--yes']).status).toBe(0);
    const clean = cli(['check', repo]);
    expect(clean.status, clean.stdout).toBe(0);
    expect(clean.stdout).toContain('deploy/kubernetes/base/deployment.yaml: identical');
    // The port comes from the gunicorn config: a new port must reach the Deployment and its probes.
    const gunicorn = join(repo, 'minicreds/docker_gunicorn_configuration.py');
    fs.writeFileSync(gunicorn, fs.readFileSync(gunicorn, 'utf8').replace('0.0.0.0:18150', '0.0.0.0:18151'));
    const drift = cli(['check', repo]);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain('deploy/kubernetes/base/deployment.yaml: stale');
    expect(drift.stdout).toMatch(/^\s+\+\s+containerPort: 18151$/m);
  });

  it('runs through Yeoman as yo openedx-ida:kubernetes', async () => {
    const result = await helpers
      .run(KubernetesGenerator, {
        resolved: join(__dirname, '..', '..', 'generators', 'kubernetes', 'index.ts'),
        namespace: 'openedx-ida:kubernetes',
      })
      .inTmpDir((tmp) => copyFixtureRepo('standard', tmp))
      .withOptions({ yes: true, k8sNamespace: 'creds' } as never);
    const kustomization = parse(fs.readFileSync(join(result.cwd, K8S, 'base/kustomization.yaml'), 'utf8'));
    expect(kustomization.namespace).toBe('creds');
    expect(fs.readJsonSync(join(result.cwd, '.yo-rc.json'))['generator-openedx-ida'].kubernetes.namespace).toBe(
      'creds',
    );
  });
});
