import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { toExampleConfigModel } from '../../src/model/example-config.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

/** A minimal IDA whose package name has an underscore, as license_manager or enterprise_reports do. */
function repo(pkg: string) {
  return new MemoryReader({
    'manage.py': `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${pkg}.settings.local")\n`,
    [`${pkg}/__init__.py`]: '',
    [`${pkg}/wsgi.py`]: 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
    [`${pkg}/settings/__init__.py`]: '',
    [`${pkg}/settings/base.py`]: 'SECRET_KEY = "x"\n',
    [`${pkg}/settings/production.py`]: `import yaml\nfrom os import environ\nfrom ${pkg}.settings.base import *\n`
      + `with open(environ["${pkg.toUpperCase()}_CFG"]) as f:\n    vars().update(yaml.safe_load(f))\n`,
    'requirements/production.txt': 'django==4.2.30\ngunicorn==23.0.0\npyyaml==6.0.2\n',
  });
}

describe('toExampleConfigModel', () => {
  it.each([
    ['license_manager', 'license-manager.example.com'],
    ['minicreds', 'minicreds.example.com'],
  ])('writes a valid host name for service %s in ALLOWED_HOSTS (no underscore: Django rejects it)', (pkg, host) => {
    const facts = analyzeRepo(repo(pkg));
    const config = resolveConfig(facts, {});
    expect(config.service).toBe(pkg);
    const hosts = toExampleConfigModel(facts, config).required.find((entry) => entry.key === 'ALLOWED_HOSTS');
    expect(hosts?.value).toEqual([host, 'localhost']);
  });
});
