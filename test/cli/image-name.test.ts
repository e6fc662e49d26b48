/** One image name across the outputs: what CI pushes is what Kubernetes and Tutor run and the derivatives build FROM. */
import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo } from '../support/fixtures.js';

const SERVICE = 'mini_creds';

function generated(args: string[] = []): string {
  const repo = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-image-'));
  copyFixtureRepo('standard', repo);
  for (const command of [[], ['kubernetes'], ['tutor'], ['ci'], ['newrelic']]) {
    const result = cli([...command, repo, '--yes', ...(command.length ? args : ['--service', SERVICE])]);
    expect(result.status, result.stderr).toBe(0);
  }
  return repo;
}

/** Every output's image for the service, as a pull would name it (`registry/path:tag`). */
function images(repo: string): Record<string, string> {
  const read = (file: string) => fs.readFileSync(join(repo, file), 'utf8');
  const deployment = parseAllDocuments(read('deploy/kubernetes/base/deployment.yaml'))[0].toJS();
  const plugin = read(`tutor-contrib-${SERVICE}/tutoridaminicreds/plugin.py`);
  const setting = (key: string) => JSON.parse(new RegExp(`"${key}": (".*?"),`).exec(plugin)![1]) as string;
  // Tutor renders the default with its own config: DOCKER_REGISTRY defaults to docker.io/.
  const tutor = setting('DOCKER_IMAGE')
    .replace('{{ DOCKER_REGISTRY }}', 'docker.io/')
    .replace(/\{\{ IDA_MINI_CREDS_VERSION \}\}/, setting('VERSION'));
  const workflow = parse(read(`.github/workflows/${SERVICE}-image.yml`));
  const meta = workflow.jobs.publish.steps.find((step: { id?: string }) => step.id === 'meta');
  // The default branch's build pushes the tag the others run, whatever the branch is called.
  const raw = /^type=raw,value=([^,]+),enable=\{\{is_default_branch\}\}$/m.exec(meta.with.tags);
  const ci = `${meta.with.images}:${raw?.[1]}`;
  return {
    kubernetes: deployment.spec.template.spec.containers[0].image,
    tutor,
    ci,
    newrelic: /^ARG BASE_IMAGE=(.*)$/m.exec(read('Dockerfile.newrelic'))![1],
  };
}

describe('one image name for a service with an underscore', () => {
  it('every output names docker.io/openedx/mini_creds:main by default', () => {
    const all = images(generated());
    expect(all).toEqual({
      kubernetes: 'docker.io/openedx/mini_creds:main',
      tutor: 'docker.io/openedx/mini_creds:main',
      ci: 'docker.io/openedx/mini_creds:main',
      newrelic: 'docker.io/openedx/mini_creds:main',
    });
  });

  it('a base image tagged 1.2.0: the default branch pushes :1.2.0, which the others run', () => {
    const all = images(generated(['--base-image', 'docker.io/acme/mini_creds:1.2.0']));
    expect(new Set(Object.values(all))).toEqual(new Set(['docker.io/acme/mini_creds:1.2.0']));
  });

  it('--base-image moves them all, and a later run of any output keeps them together', () => {
    const repo = generated(['--base-image', 'ghcr.io/acme/mini_creds:main']);
    const all = images(repo);
    expect(new Set(Object.values(all))).toEqual(new Set(['ghcr.io/acme/mini_creds:main']));
    expect(fs.readJsonSync(join(repo, '.yo-rc.json'))['generator-openedx-ida'].baseImage).toBe(
      'ghcr.io/acme/mini_creds:main',
    );
    const again = cli([repo, '--yes']);
    expect(again.status, again.stderr).toBe(0);
    expect(images(repo)).toEqual(all);
  });
});
