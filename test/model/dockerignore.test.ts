import type { Ignore } from '@balena/dockerignore';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { renderAppFiles } from '../../src/render/render.js';
import { fixtureRepo } from '../support/fixtures.js';

// A CommonJS module whose typings declare an ES default export: required, as Node loads it.
const ignore = createRequire(import.meta.url)('@balena/dockerignore') as () => Ignore;

/** The generated .dockerignore, read by a matcher with Docker's semantics (`**`, root-relative, last match wins). */
function matcherFor(fixture: string) {
  const facts = analyzeRepo(new DiskReader(fixtureRepo(fixture)));
  const text = renderAppFiles(facts, resolveConfig(facts, {})).get('.dockerignore')!;
  return ignore().add(text.split('\n'));
}

describe.each(['standard', 'node-assets'])('the generated .dockerignore (%s)', (fixture) => {
  const matcher = matcherFor(fixture);

  it.each([
    '.env',
    'svc/.env',
    'deploy/.env.production',
    'server.pem',
    'deploy/keys/server.pem',
    'certs/tls.key',
    'id_rsa',
    'ops/id_rsa',
    'ops/id_rsa.pub',
    'ops/id_ed25519',
    'home/.ssh/config',
    '.ssh/id_ecdsa',
    '.aws/credentials',
    'sub/.aws/config',
    '.netrc',
    'sub/.netrc',
    'sub/.pypirc',
    'frontend/.npmrc',
    '.npmrc',
    'db.sqlite3',
    'svc/db.sqlite3',
    'data/local.db',
    'cert.p12',
    'sub/.git-credentials',
    'minicreds/settings/private.py',
    'minicreds.local.yml',
  ])('leaves out the secret %s', (path) => {
    expect(matcher.ignores(path)).toBe(true);
  });

  it.each([
    'manage.py',
    'requirements/production.txt',
    'requirements/base.txt',
    'requirements/pip.txt',
    'requirements.txt',
    'minicreds/settings/production.py',
    'minicreds/conf/locale/en/LC_MESSAGES/django.po',
    'minicreds/conf/locale/en/LC_MESSAGES/django.mo',
    'package.json',
    'package-lock.json',
    '.nvmrc',
    'webpack.config.js',
    'minicreds/static/app.js',
    'minicreds/docker_gunicorn_configuration.py',
    'setup.py',
  ])('keeps the build input %s', (path) => {
    expect(matcher.ignores(path)).toBe(false);
  });
});
