import { describe, expect, it } from 'vitest';
import type { AnalysisWarning } from '../../src/analyze/fact.js';
import { detectRequirements, parseRequirementLine } from '../../src/analyze/requirements.js';
import { detectSystemPackages } from '../../src/analyze/system-packages.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

function detect(files: Record<string, string>) {
  const warnings: AnalysisWarning[] = [];
  return { ...detectRequirements(new MemoryReader(files), warnings), warnings };
}

describe('requirements detection', () => {
  it.each<{ shape: string; files: Record<string, string>; install: string | null }>([
    {
      shape: 'production.txt with requirements',
      files: { 'requirements/production.txt': 'gunicorn==23\n', 'requirements/base.txt': 'django\n' },
      install: 'requirements/production.txt',
    },
    {
      shape: 'empty production.txt',
      files: { 'requirements/production.txt': '# nothing\n\n', 'requirements/base.txt': 'django\n' },
      install: 'requirements/base.txt',
    },
    {
      shape: 'no production.txt',
      files: { 'requirements/base.txt': 'django\n', 'requirements.txt': '-r requirements/base.txt\n' },
      install: 'requirements/base.txt',
    },
    { shape: 'only a root requirements.txt', files: { 'requirements.txt': 'django\n' }, install: 'requirements.txt' },
    { shape: 'no requirements at all', files: {}, install: null },
  ])('installs the right file: $shape', ({ files, install }) => {
    expect(detect(files).fact.value.install).toBe(install);
  });

  it('follows -r and -c chains relative to each file and installs pip.txt first', () => {
    const { fact, requirements } = detect({
      'requirements/pip.txt': 'pip==24.2\n',
      'requirements/production.txt': '-r base.txt\n-c constraints.txt\ngunicorn==23.0.0\n',
      'requirements/base.txt': '--requirement common/django.txt\nmysqlclient==2.2.4  # via -r base.in\n',
      'requirements/common/django.txt': 'Django==4.2\n',
      'requirements/constraints.txt': 'urllib3<2\n',
    });
    expect(fact.value).toEqual({
      install: 'requirements/production.txt',
      bootstrap: 'requirements/pip.txt',
      files: [
        'requirements/base.txt',
        'requirements/common/django.txt',
        'requirements/constraints.txt',
        'requirements/pip.txt',
        'requirements/production.txt',
      ],
    });
    expect(requirements.map((r) => r.name)).toEqual(
      expect.arrayContaining(['gunicorn', 'mysqlclient', 'django', 'urllib3']),
    );
  });

  it('warns about a missing included file', () => {
    expect(detect({ 'requirements/production.txt': '-r missing.txt\n' }).warnings[0]).toEqual({
      message: 'requirements/missing.txt is referenced but missing',
      source: 'requirements/production.txt:1',
    });
  });

  it.each([
    ['Django==4.2.16', { name: 'django', vcs: false, version: '4.2.16' }],
    ['python_ldap[sasl]>=3  # via x', { name: 'python-ldap', vcs: false }],
    ['pymemcache[extra] == 4.0.0 \\', { name: 'pymemcache', vcs: false, version: '4.0.0' }],
    ['-e git+https://github.com/o/repo.git@v1#egg=edx_plugin', { name: 'edx-plugin', vcs: true }],
    ['plugin @ git+https://github.com/o/plugin.git@v1', { name: 'plugin', vcs: true }],
    ['# just a comment', undefined],
    ['--index-url https://example.com', undefined],
  ])('parses %s', (line, expected) => {
    expect(parseRequirementLine(line)).toEqual(expected);
  });
});

describe('system packages', () => {
  const none = { value: false, source: null, rule: 'default' };
  it('maps requirement names to Debian build and runtime packages, with sources', () => {
    const fact = detectSystemPackages(
      [
        { name: 'mysqlclient', file: 'requirements/base.txt', line: 4, vcs: false },
        { name: 'psycopg2', file: 'requirements/base.txt', line: 5, vcs: false },
        { name: 'psycopg2-binary', file: 'requirements/base.txt', line: 6, vcs: false },
      ],
      none,
    );
    expect(fact.value.build).toEqual(['default-libmysqlclient-dev', 'gcc', 'libc6-dev', 'libpq-dev', 'pkg-config']);
    expect(fact.value.runtime).toEqual(['libmariadb3', 'libpq5']);
    expect(fact.source).toBe('requirements/base.txt:4');
  });

  it('adds git for VCS requirements and gettext for translations', () => {
    const fact = detectSystemPackages([{ name: 'plugin', file: 'r.txt', line: 1, vcs: true }], {
      value: true,
      source: 'svc/conf/locale/es/LC_MESSAGES/django.po:1',
      rule: '',
    });
    expect(fact.value.build).toEqual(['gettext', 'git']);
    expect(fact.value.runtime).toEqual([]);
  });

  it('is a default when nothing needs a package', () => {
    expect(detectSystemPackages([{ name: 'django', file: 'r.txt', line: 1, vcs: false }], none)).toMatchObject({
      source: null,
      value: { build: [], runtime: [] },
    });
  });
});
