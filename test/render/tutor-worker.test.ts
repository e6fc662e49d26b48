/** The Tutor plugin runs a Celery worker beside a Celery service, as compose and kubernetes do. */
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { renderExampleConfig, toExampleConfigModel } from '../../src/model/example-config.js';
import { resolveTutorConfig } from '../../src/model/tutor.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { renderTutorFiles } from '../../src/render/tutor.js';
import { fixtureRepo } from '../support/fixtures.js';

function patches(fixture: string): {
  compose: Record<string, Record<string, unknown>>;
  k8s: Record<string, unknown>[];
} {
  const facts = analyzeRepo(new DiskReader(fixtureRepo(fixture)));
  const app = resolveConfig(facts, {});
  const tutor = resolveTutorConfig({}, undefined, app.service);
  const files = renderTutorFiles(facts, app, tutor, renderExampleConfig(toExampleConfigModel(facts, app)));
  const patch = (name: string) => [...files].find(([file]) => file.endsWith(`/patches/${name}`))![1];
  // Tutor's Jinja expressions stand in for values here: quote them so the YAML parses.
  const yaml = (text: string) => text.replace(/\{\{.*?\}\}/g, (jinja) => JSON.stringify(jinja));
  return {
    compose: parse(yaml(patch('local-docker-compose-services'))),
    k8s: parseAllDocuments(yaml(patch('k8s-deployments'))).map((doc) => doc.toJS()),
  };
}

describe('Tutor Celery worker', () => {
  it('celery-redis: a compose service and a Deployment run the worker with the service YAML, after Redis', () => {
    const { compose, k8s } = patches('celery-redis');
    const command = ['celery', '-A', 'license_manager.celery:app', 'worker', '--loglevel=INFO'];
    const worker = compose['ida-license-manager-worker'];
    expect(worker).toMatchObject({
      image: '{{ IDA_LICENSE_MANAGER_DOCKER_IMAGE }}',
      command,
      environment: compose['ida-license-manager'].environment,
      volumes: compose['ida-license-manager'].volumes,
    });
    expect(worker.depends_on).toContain('RUN_REDIS');
    const deployment = k8s.find((doc) => (doc.metadata as { name: string }).name === 'ida-license-manager-worker');
    const pod = (deployment as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }).spec
      .template.spec;
    expect(pod.containers[0]).toMatchObject({ command, image: '{{ IDA_LICENSE_MANAGER_DOCKER_IMAGE }}' });
    expect(pod.containers[0]).not.toHaveProperty('readinessProbe');
  });

  it('standard (no Celery): no worker', () => {
    const { compose, k8s } = patches('standard');
    expect(Object.keys(compose)).toEqual(['ida-minicreds']);
    expect(k8s.map((doc) => (doc.metadata as { name: string }).name)).toEqual(['ida-minicreds']);
  });
});
