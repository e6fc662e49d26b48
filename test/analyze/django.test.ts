import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { NotADjangoServiceError } from '../../src/errors.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

describe('Django service detection', () => {
  it('takes the package from manage.py', () => {
    const facts = analyzeRepo(
      new MemoryReader({
        'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credentials.settings.local")\n',
        'credentials/__init__.py': '',
        'credentials/settings/production.py': '',
      }),
    );
    expect(facts.djangoPackage).toMatchObject({ value: 'credentials', source: 'manage.py:1' });
    expect(facts.settingsModule.value).toBe('credentials.settings.production');
    expect(facts.wsgiApp).toMatchObject({ value: 'credentials.wsgi:application', source: null });
  });

  it('finds a package with wsgi.py and settings when manage.py is missing', () => {
    const facts = analyzeRepo(
      new MemoryReader({ 'svc/wsgi.py': 'application = get_wsgi_application()\n', 'svc/production.py': '' }),
    );
    expect(facts.djangoPackage.value).toBe('svc');
    expect(facts.settingsModule.value).toBe('svc.production');
    expect(facts.wsgiApp).toMatchObject({ value: 'svc.wsgi:application', source: 'svc/wsgi.py:1' });
  });

  it('reads WSGI_APPLICATION when wsgi.py has no application', () => {
    const facts = analyzeRepo(
      new MemoryReader({
        'svc/wsgi.py': '',
        'svc/settings/production.py': 'from .base import *\n',
        'svc/settings/base.py': "WSGI_APPLICATION = 'svc.custom_wsgi.app'\n",
      }),
    );
    expect(facts.wsgiApp).toMatchObject({ value: 'svc.custom_wsgi:app', source: 'svc/settings/base.py:1' });
  });

  it('throws a NotADjangoServiceError naming what it looked for', () => {
    expect(() => analyzeRepo(new MemoryReader({ 'setup.py': 'setup()\n', 'lib/__init__.py': '' }, 'mylib'))).toThrow(
      NotADjangoServiceError,
    );
    expect(() => analyzeRepo(new MemoryReader({}, 'empty'))).toThrow(
      /no Django service found in empty \(looked for manage.py/,
    );
  });

  it('uses the hints the user gives instead of detecting', () => {
    const facts = analyzeRepo(new MemoryReader({ 'odd/app.py': '' }), {
      djangoPackage: 'odd',
      settingsModule: 'odd.conf',
    });
    expect(facts.djangoPackage).toMatchObject({ value: 'odd', rule: 'given on the command line' });
  });
});
