import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { toDockerfileModel } from '../../src/model/dockerfile-model.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

function nodeStage(files: Record<string, string>) {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.production')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/production.py': "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = '/app/static'\n",
      'requirements/base.txt': 'django==4.2.16\ngunicorn==23.0.0\n',
      ...files,
    }),
  );
  const model = toDockerfileModel(facts, resolveConfig(facts, { flags: {} }));
  return { image: model.nodeImage, install: model.nodeInstall, build: model.nodeBuild };
}

const withDev = JSON.stringify({ dependencies: { webpack: '5' }, devDependencies: { geckodriver: '3' } });

describe('Node assets stage in the Dockerfile model', () => {
  it.each<{ shape: string; files: Record<string, string>; install: string }>([
    {
      shape: 'a lockfile, devDependencies the build does not name',
      files: { 'package.json': withDev, 'package-lock.json': '{}', 'webpack.config.js': '' },
      install: 'npm ci --omit=dev',
    },
    {
      shape: 'no lockfile, devDependencies the build does not name',
      files: { 'package.json': withDev, 'webpack.config.js': '' },
      install: 'npm install --omit=dev',
    },
    {
      shape: 'Node 14 (npm 6 has no --omit)',
      files: { 'package.json': withDev, 'package-lock.json': '{}', 'webpack.config.js': '', '.nvmrc': '14\n' },
      install: 'npm ci --production',
    },
    {
      shape: 'a devDependency the build needs',
      files: {
        'package.json': JSON.stringify({ scripts: { build: 'webpack' }, devDependencies: { webpack: '5' } }),
        'package-lock.json': '{}',
      },
      install: 'npm ci',
    },
  ])('$shape: $install', ({ files, install }) => {
    expect(nodeStage(files).install).toBe(install);
  });

  it("takes the Node image from the repo's own Dockerfile", () => {
    const stage = nodeStage({
      'package.json': withDev,
      'webpack.config.js': '',
      Dockerfile: 'FROM python:3.8\nRUN nodeenv /n --node=16.14.0 --prebuilt\n',
    });
    expect(stage.image).toBe('docker.io/library/node:16-bookworm-slim');
  });
});
