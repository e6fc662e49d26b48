import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { resolveNewrelicConfig, toNewrelicModel } from '../../src/model/derivatives.js';
import { toDockerfileModel } from '../../src/model/dockerfile-model.js';
import { publicImageFromFlags, publicImageFromRepo } from '../../src/model/public-image.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

function repo(files: Record<string, string>) {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/production.py':
        "import yaml\nwith open(environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n",
      ...files,
    }),
  );
  return { facts, config: resolveConfig(facts, {}) };
}

describe('the server command', () => {
  it('runs uwsgi in exec form when only uwsgi is installed, and the derivatives restate it', () => {
    const { facts, config } = repo({ 'requirements.txt': 'uwsgi==2.0.28\n' });
    const command = [
      'uwsgi',
      '--http-socket',
      ':8000',
      '--module',
      'svc.wsgi:application',
      '--processes=2',
      '--master',
      '--enable-threads',
      '--single-interpreter',
      '--die-on-term',
      '--need-app',
    ];
    const model = toDockerfileModel(facts, config);
    expect(JSON.parse(model.cmdJson)).toEqual(command);
    expect(model.installsGunicorn).toBe(false);
    const image = publicImageFromRepo(facts, config, undefined);
    expect(image.command).toEqual(command);
    expect(JSON.parse(toNewrelicModel(image, resolveNewrelicConfig({})).cmdJson)).toEqual([
      'newrelic-admin',
      'run-program',
      ...command,
    ]);
  });

  it("runs uwsgi with the repo's ini, which binds the port itself", () => {
    const { facts, config } = repo({
      'requirements.txt': 'uwsgi==2.0.28\n',
      'uwsgi.ini': '[uwsgi]\nhttp-socket = :8100\n',
    });
    expect(JSON.parse(toDockerfileModel(facts, config).cmdJson)).toEqual([
      'uwsgi',
      '--ini',
      '/edx/app/svc/uwsgi.ini',
      '--master',
      '--enable-threads',
      '--single-interpreter',
      '--die-on-term',
      '--need-app',
    ]);
  });

  it('installs a pinned gunicorn when no requirement names a server', () => {
    const { facts, config } = repo({ 'requirements.txt': 'django==4.2\n' });
    const model = toDockerfileModel(facts, config);
    expect(model).toMatchObject({ installsGunicorn: true, gunicornPin: 'gunicorn==23.0.0' });
    expect(JSON.parse(model.cmdJson)[0]).toBe('gunicorn');
  });
});

describe('the server command in an operator repo', () => {
  const flags = {
    baseImage: 'registry.example.com/svc:1',
    service: 'svc',
    port: 8000,
    wsgiApp: 'svc.wsgi:application',
  };

  it('is the uwsgi command the app generator writes when --server uwsgi', () => {
    const { facts, config } = repo({ 'requirements.txt': 'uwsgi==2.0.28\n' });
    expect(publicImageFromFlags({ ...flags, server: 'uwsgi' }, 'ops').command).toEqual(
      publicImageFromRepo(facts, config, undefined).command,
    );
  });

  it('rejects a server it cannot run', () => {
    expect(() => publicImageFromFlags({ ...flags, server: 'waitress' }, 'ops')).toThrow(
      /--server "waitress" is not valid/,
    );
  });
});
