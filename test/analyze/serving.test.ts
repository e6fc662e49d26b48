import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const base = {
  'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
  'svc/__init__.py': '',
  'svc/settings/production.py':
    "from .base import *\nimport yaml\nwith open(environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n",
  'svc/settings/base.py': "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = root('assets')\n",
};

describe('serving facts', () => {
  it.each<{ shape: string; files: Record<string, string>; port: number; source: string | null }>([
    {
      shape: 'gunicorn bind',
      files: { 'svc/docker_gunicorn_configuration.py': 'bind = "0.0.0.0:18150"\n' },
      port: 18150,
      source: 'svc/docker_gunicorn_configuration.py:1',
    },
    {
      shape: 'docker-compose runserver',
      files: { 'docker-compose.yml': 'services:\n  app:\n    command: python manage.py runserver 0.0.0.0:18381\n' },
      port: 18381,
      source: 'docker-compose.yml:3',
    },
    {
      shape: 'Makefile runserver',
      files: { Makefile: 'serve:\n\tpython manage.py runserver localhost:8003\n' },
      port: 8003,
      source: 'Makefile:2',
    },
    { shape: 'nothing', files: {}, port: 8000, source: null },
  ])('reads the port from $shape', ({ files, port, source }) => {
    expect(analyzeRepo(new MemoryReader({ ...base, ...files })).port).toMatchObject({ value: port, source });
  });

  it('finds health/, staticfiles with STATIC_ROOT, and Node assets', () => {
    const facts = analyzeRepo(
      new MemoryReader({
        ...base,
        'svc/urls.py': "urlpatterns = [re_path(r'^health/$', health)]\n",
        'package.json': '{"scripts": {"build": "webpack"}}',
        '.nvmrc': 'v18.20.4\n',
      }),
    );
    expect(facts.healthPath).toMatchObject({ value: '/health/', source: 'svc/urls.py:1' });
    expect(facts.staticFiles).toMatchObject({
      value: { collectstatic: true, staticRoot: "root('assets')" },
      source: 'svc/settings/base.py:2',
    });
    expect(facts.nodeAssets.value).toEqual({ buildCommand: 'npm run build', nodeVersion: '18', lockfile: null });
  });

  it('builds assets with the repo webpack config when package.json has no build script', () => {
    const facts = analyzeRepo(
      new MemoryReader({
        ...base,
        'package.json': '{"scripts": {"lint": "eslint ."}}',
        'webpack.config.js': '',
        'package-lock.json': '{}',
      }),
    );
    expect(facts.nodeAssets).toMatchObject({
      value: {
        buildCommand: 'npx webpack --config webpack.config.js',
        nodeVersion: '20',
        lockfile: 'package-lock.json',
      },
      source: 'webpack.config.js:1',
    });
  });

  it('skips collectstatic with a warning when STATIC_ROOT is missing', () => {
    const facts = analyzeRepo(
      new MemoryReader({ ...base, 'svc/settings/base.py': "INSTALLED_APPS = ['django.contrib.staticfiles']\n" }),
    );
    expect(facts.staticFiles.value.collectstatic).toBe(false);
    expect(facts.warnings.map((w) => w.message)).toContain(
      'django.contrib.staticfiles is installed but STATIC_ROOT is not set; collectstatic is skipped',
    );
  });

  it.each([
    { shape: "''", code: "STATIC_ROOT = ''\n", shown: "''" },
    { shape: 'None', code: 'STATIC_ROOT = None\n', shown: 'None' },
  ])('skips collectstatic with a warning naming the line when STATIC_ROOT is $shape', ({ code, shown }) => {
    const facts = analyzeRepo(
      new MemoryReader({ ...base, 'svc/settings/base.py': `INSTALLED_APPS = ['django.contrib.staticfiles']\n${code}` }),
    );
    expect(facts.staticFiles).toMatchObject({
      value: { collectstatic: false, staticRoot: null },
      source: 'svc/settings/base.py:2',
    });
    expect(facts.warnings).toContainEqual({
      message: `STATIC_ROOT is ${shown} at svc/settings/base.py:2; collectstatic is skipped (set STATIC_ROOT to serve static files from the image)`,
      source: 'svc/settings/base.py:2',
    });
  });

  it('warns about a package.json that is not JSON', () => {
    const facts = analyzeRepo(new MemoryReader({ ...base, 'package.json': '{' }));
    expect(facts.nodeAssets.value).toBeNull();
    expect(facts.warnings.some((w) => w.message.startsWith('package.json is not valid JSON'))).toBe(true);
  });
});

describe('source URL', () => {
  it.each<{ from: string; files: Record<string, string>; source: string }>([
    {
      from: 'setup.py',
      files: { 'setup.py': "setup(name='svc', url='https://github.com/o/svc')\n" },
      source: 'setup.py:1',
    },
    {
      from: 'setup.cfg',
      files: { 'setup.cfg': '[metadata]\nname = svc\nurl = https://github.com/o/svc\n' },
      source: 'setup.cfg:3',
    },
    {
      from: 'pyproject.toml',
      files: { 'pyproject.toml': '[project]\nname = "svc"\n[project.urls]\nSource = "https://github.com/o/svc"\n' },
      source: 'pyproject.toml:4',
    },
  ])('reads it from $from', ({ files, source }) => {
    expect(analyzeRepo(new MemoryReader({ ...base, ...files })).sourceUrl).toMatchObject({
      value: 'https://github.com/o/svc',
      source,
    });
  });

  it('is null when nothing names one', () => {
    expect(analyzeRepo(new MemoryReader(base)).sourceUrl).toMatchObject({ value: null, source: null });
  });
});

describe('WSGI server', () => {
  const req = (text: string) => ({ 'requirements/production.txt': text });
  it.each([
    {
      shape: 'gunicorn',
      files: req('django==4.2\ngunicorn==23.0.0\nuwsgi==2.0.28\n'),
      value: { kind: 'gunicorn', installed: true, uwsgiIni: null },
      source: 'requirements/production.txt:2',
    },
    {
      shape: 'uwsgi only',
      files: req('django==4.2\nuWSGI==2.0.28\n'),
      value: { kind: 'uwsgi', installed: true, uwsgiIni: null },
      source: 'requirements/production.txt:2',
    },
    {
      shape: 'uwsgi with the repo ini',
      files: {
        ...req('uwsgi==2.0.28\n'),
        'svc_uwsgi.ini': '[uwsgi]\nhttp-socket = :8100\nmodule = svc.wsgi\n',
        'tox.ini': '[uwsgi]\n',
      },
      value: { kind: 'uwsgi', installed: true, uwsgiIni: 'svc_uwsgi.ini' },
      source: 'requirements/production.txt:1',
    },
    {
      shape: 'neither',
      files: req('django==4.2\n'),
      value: { kind: 'gunicorn', installed: false, uwsgiIni: null },
      source: null,
    },
  ])('$shape', ({ files, value, source }) => {
    const facts = analyzeRepo(new MemoryReader({ ...base, ...files }));
    expect(facts.server).toMatchObject({ value, source });
    expect(facts.warnings.some((w) => /neither gunicorn nor uwsgi is in the requirements/.test(w.message))).toBe(
      !value.installed,
    );
  });

  it("reads the port from the uwsgi ini's http-socket", () => {
    const facts = analyzeRepo(
      new MemoryReader({
        ...base,
        'requirements.txt': 'uwsgi\n',
        'uwsgi.ini': '[uwsgi]\nmaster = true\nhttp-socket = 0.0.0.0:8100\n',
      }),
    );
    expect(facts.port).toMatchObject({ value: 8100, source: 'uwsgi.ini:3' });
  });
});

describe('health endpoint', () => {
  it.each([
    {
      shape: 'path heartbeat/',
      urls: "urlpatterns = [path('admin/', admin.site.urls), path('heartbeat/', heartbeat)]\n",
      value: '/heartbeat/',
      source: 'svc/urls.py:1',
    },
    {
      shape: 're_path health_check',
      urls: "urlpatterns = [\n    re_path(r'^health_check/?$', views.check),\n]\n",
      value: '/health_check/',
      source: 'svc/urls.py:2',
    },
    {
      shape: 'url healthz without a slash',
      urls: "urlpatterns = [url(r'^healthz$', views.ok)]\n",
      value: '/healthz',
      source: 'svc/urls.py:1',
    },
    {
      shape: 'ping/ under a prefix',
      urls: "urlpatterns = [path('api/', include('svc.api.urls'))]\n",
      extra: { 'svc/api/urls.py': "urlpatterns = [path('ping/', ping)]\n" },
      value: '/api/ping/',
      source: 'svc/api/urls.py:1',
    },
    {
      shape: 'an included heartbeat URLconf',
      urls: "urlpatterns = [\n    url(r'^heartbeat/', include('svc.heartbeat.urls')),\n]\n",
      extra: {
        'svc/heartbeat/__init__.py': '',
        'svc/heartbeat/urls.py': "urlpatterns = [url(r'^$', heartbeat, name='heartbeat')]\n",
      },
      value: '/heartbeat/',
      source: 'svc/heartbeat/urls.py:1',
    },
    {
      shape: 'a namespaced include',
      urls: "urlpatterns = [path('ops/', include(('svc.ops.urls', 'ops'), namespace='ops'))]\n",
      extra: { 'svc/ops/urls.py': "urlpatterns = [path('healthz', ok)]\n" },
      value: '/ops/healthz',
      source: 'svc/ops/urls.py:1',
    },
    {
      shape: 'a health include from outside the repo',
      urls: "urlpatterns = [path('health/', include('health_check.urls'))]\n",
      value: '/health/',
      source: 'svc/urls.py:1',
    },
    {
      shape: 'no health route',
      urls: "HEALTH = 'health/'\nurlpatterns = [path('api/<int:pk>/', detail), re_path(r'^(?P<x>health)/$', v)]\n",
      value: null,
      source: null,
    },
  ])('$shape', ({ urls, extra, value, source }) => {
    const facts = analyzeRepo(
      new MemoryReader({ ...base, 'svc/urls.py': urls, ...((extra ?? {}) as Record<string, string>) }),
    );
    expect(facts.healthPath).toMatchObject({ value, source });
  });
});
