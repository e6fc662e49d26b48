import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { InvalidOptionError, UnusableRepoValueError } from '../../src/errors.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';
import { renderAppFiles } from '../../src/render/render.js';

const base = {
  'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
  'svc/__init__.py': '',
  'svc/wsgi.py': 'application = get_wsgi_application()\n',
  'svc/settings/production.py':
    "from .base import *\nimport yaml\nwith open(environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n",
  'svc/settings/base.py': 'DEBUG = False\n',
  'requirements/production.txt': 'django==4.2\n',
};

const dockerfileOf = (files: Record<string, string>) => {
  const facts = analyzeRepo(new MemoryReader({ ...base, ...files }));
  return { facts, dockerfile: renderAppFiles(facts, resolveConfig(facts, {})).get('Dockerfile')! };
};

describe('the source URL goes into a quoted LABEL only when it is a plain http(s) URL', () => {
  it.each([
    ['setup.py', { 'setup.py': "setup(name='svc', url='https://github.com/openedx/svc')\n" }],
    ['setup.cfg', { 'setup.cfg': '[metadata]\nurl = https://github.com/openedx/svc\n' }],
    [
      'pyproject.toml',
      { 'pyproject.toml': '[project]\nname = "svc"\n[project.urls]\nSource = "https://github.com/openedx/svc"\n' },
    ],
  ])('keeps a plain URL from %s', (_file, files) => {
    const { dockerfile } = dockerfileOf(files);
    expect(dockerfile).toContain('org.opencontainers.image.source="https://github.com/openedx/svc"');
  });

  it.each([
    ['a quote closing the label', 'https://x.example/" \\\nRUN touch /pwned #'],
    ['a newline', 'https://x.example/a\nRUN id'],
    ['credentials', 'https://user:token@git.example.com/svc'],
    ['whitespace', 'https://x.example/a b'],
    ['a backslash', 'https://x.example/a\\'],
    ['a variable', 'https://x.example/${HOME}'],
  ])('drops a URL with %s, with a warning naming setup.py', (_what, url) => {
    const { facts, dockerfile } = dockerfileOf({ 'setup.py': `setup(name='svc', url=${JSON.stringify(url)})\n` });
    expect(facts.sourceUrl.value).toBeNull();
    expect(facts.warnings.map((warning) => warning.message).join('\n')).toMatch(
      /source URL in setup\.py:1 .* not a plain http\(s\) URL/,
    );
    expect(dockerfile).not.toContain('image.source');
    expect(dockerfile).not.toContain('pwned');
  });
});

describe('other strings read from the repo', () => {
  it('refuses a requirements file whose name the shell or COPY would split, naming it', () => {
    expect(() =>
      dockerfileOf({ 'requirements/production.txt': '-r base;id.txt\n', 'requirements/base;id.txt': 'django==4.2\n' }),
    ).toThrow(UnusableRepoValueError);
    expect(() =>
      dockerfileOf({ 'requirements/production.txt': '-r base;id.txt\n', 'requirements/base;id.txt': 'django==4.2\n' }),
    ).toThrow(/requirements\/base;id\.txt/);
  });

  it('refuses a hostile --django-package or --settings-module hint before building paths from it', () => {
    expect(() => analyzeRepo(new MemoryReader(base), { djangoPackage: '../etc' })).toThrow(InvalidOptionError);
    expect(() => analyzeRepo(new MemoryReader(base), { settingsModule: 'svc.settings\nRUN id' })).toThrow(
      /--settings-module/,
    );
  });

  it('checks detected decisions too: a hostile config variable in the settings stops generation', () => {
    const facts = analyzeRepo(
      new MemoryReader({
        ...base,
        'svc/settings/production.py':
          "from .base import *\nimport yaml\nwith open(environ['SVC_CFG x']) as f:\n    vars().update(yaml.safe_load(f))\n",
      }),
    );
    expect(() => resolveConfig(facts, {})).toThrow(/detected configVar "SVC_CFG x"/);
  });
});
