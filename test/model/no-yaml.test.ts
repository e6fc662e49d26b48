import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { toDockerfileModel } from '../../src/model/dockerfile-model.js';
import { renderAppFiles } from '../../src/render/render.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

/** A service whose production settings load no YAML. */
const facts = analyzeRepo(
  new MemoryReader({
    'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.production')\n",
    'svc/__init__.py': '',
    'svc/wsgi.py': 'application = get_wsgi_application()\n',
    'svc/settings/production.py': "import os\nDEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\n",
    'requirements.txt': 'django==4.2.16\ngunicorn==23.0.0\n',
  }),
);

describe('a service that reads no YAML', () => {
  it('gets no config variable, no config check and no example YAML', () => {
    const config = resolveConfig(facts, {});
    expect(config.configVar).toBe('');
    expect(toDockerfileModel(facts, config)).toMatchObject({
      hasConfig: false,
      hasBuildConfig: false,
      buildConfigEnv: 'DJANGO_SETTINGS_MODULE=svc.settings.production',
    });
    const files = renderAppFiles(facts, config);
    expect([...files.keys()]).toEqual(['Dockerfile', '.dockerignore']);
    expect(files.get('Dockerfile')).not.toMatch(/ENTRYPOINT|_CFG/);
    expect(files.get('.dockerignore')).not.toMatch(/example\.yml|mounted YAML/);
  });

  it('gets them when --config-var forces one', () => {
    const config = resolveConfig(facts, { flags: { configVar: 'SVC_CFG' } });
    expect(toDockerfileModel(facts, config)).toMatchObject({
      hasConfig: true,
      configVar: 'SVC_CFG',
      configVarValue: '/edx/etc/svc.yml',
    });
    const files = renderAppFiles(facts, config);
    expect([...files.keys()]).toEqual(['Dockerfile', '.dockerignore', 'svc.example.yml', 'svc.schema.json']);
    expect(files.get('Dockerfile')).toMatch(/ENTRYPOINT .*SVC_CFG/);
  });
});
