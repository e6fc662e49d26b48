import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { collectedOutsideApp, toDockerfileModel } from '../../src/model/dockerfile-model.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

function model(staticRoot: string, flags: Record<string, unknown> = {}) {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.production')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': `INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = ${staticRoot}\n`,
      'svc/settings/production.py':
        "from .base import *\nimport os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n",
      'requirements/base.txt': 'django==4.2.16\ngunicorn==23.0.0\n',
    }),
  );
  const config = resolveConfig(facts, { flags });
  return { where: collectedOutsideApp(facts, config), dockerfile: toDockerfileModel(facts, config) };
}

describe('collected static files', () => {
  it.each([
    { root: "'/edx/var/svc/staticfiles'", copied: '/edx/var/svc/staticfiles' },
    { root: "'/edx/var/svc/staticfiles/'", copied: '/edx/var/svc/staticfiles' },
    { root: "'/edx/app/svc/assets'", copied: null },
    { root: "root('assets')", copied: null },
  ])('STATIC_ROOT = $root: the production stage copies $copied', ({ root, copied }) => {
    const { where, dockerfile } = model(root);
    expect(where).toBe(copied);
    expect([dockerfile.hasStaticCopy, dockerfile.staticRoot]).toEqual([copied !== null, copied ?? '']);
  });

  it('copies nothing with --no-collectstatic', () => {
    expect(model("'/edx/var/svc/staticfiles'", { collectstatic: false }).where).toBeNull();
  });

  it('refuses a STATIC_ROOT that could break out of the COPY line, naming it', () => {
    expect(() => model("'/edx/var/svc static'")).toThrow(
      /STATIC_ROOT "\/edx\/var\/svc static" \(svc\/settings\/base\.py:2\)/,
    );
  });
});
