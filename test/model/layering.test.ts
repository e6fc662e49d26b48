import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';
import { renderAppFiles } from '../../src/render/render.js';

/** The rendered Dockerfile's stages: name → instructions (continuation lines joined, comments dropped). */
function stages(files: Record<string, string>): Map<string, string[]> {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.production')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py':
        "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = '/edx/var/svc/staticfiles'\n",
      'svc/settings/production.py':
        "from .base import *\nimport os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n",
      'svc/conf/locale/es/LC_MESSAGES/django.po': 'msgid ""\nmsgstr ""\n',
      'requirements/base.txt': 'django==4.2.16\ngunicorn==23.0.0\n',
      ...files,
    }),
  );
  const dockerfile = renderAppFiles(facts, resolveConfig(facts, {})).get('Dockerfile')!;
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const byStage = new Map<string, string[]>();
  let current: string[] = [];
  for (const instruction of instructions) {
    const from = /^FROM \S+ AS (\S+)$/.exec(instruction);
    if (from) byStage.set(from[1], (current = []));
    current.push(instruction);
  }
  return byStage;
}

const NODE = {
  'package.json': '{"scripts": {"build": "webpack --mode production"}}\n',
  'package-lock.json': '{}\n',
  'webpack.config.js': "module.exports = { entry: './svc/static/js/index.js' };\n",
};

describe('layering for cheap rebuilds', () => {
  it('builds Node assets from the context without its Python files, so a .py change leaves them cached', () => {
    const built = stages(NODE);
    expect(built.get('asset-sources')?.slice(1)).toEqual(['COPY . /src', "RUN find /src -type f -name '*.py' -delete"]);
    const assets = built.get('assets')!;
    // Only the stage whose files carry no Python reaches the Node build, after the install.
    expect(assets.filter((instruction) => instruction.startsWith('COPY'))).toEqual([
      'COPY package.json package-lock.json ./',
      'COPY --from=asset-sources /src ./',
    ]);
    expect(assets.at(-1)).toBe('RUN npm run build && rm -rf node_modules');
    // The app stage takes the code from the context and the built assets over it.
    expect(built.get('app')?.slice(1, 3)).toEqual(['COPY . .', 'COPY --from=assets /build .']);
  });

  it('copies the context into no stage but the app stage when there are no Node assets', () => {
    const built = stages({});
    expect([...built.keys()]).toEqual(['base', 'builder', 'app', 'production']);
    const contextCopies = [...built].flatMap(([name, instructions]) =>
      instructions.filter((instruction) => instruction.startsWith('COPY . ')).map(() => name),
    );
    expect(contextCopies).toEqual(['app']);
  });

  it('puts only the copies and the version labels after the code in the production image', () => {
    const production = stages({}).get('production')!;
    const firstCopy = production.findIndex((instruction) => instruction.startsWith('COPY'));
    expect(production.slice(firstCopy - 1).map((instruction) => instruction.split(' ')[0])).toEqual([
      'USER',
      'COPY',
      'COPY',
      'COPY',
      'ARG',
      'ARG',
      'LABEL',
    ]);
    expect(production[firstCopy - 1]).toBe('USER 1000:1000');
  });
});
