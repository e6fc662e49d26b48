import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { resolveConfig } from '../../src/model/decisions.js';
import { toExampleConfigModel } from '../../src/model/example-config.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const LOAD = "import os, yaml\nwith open(os.environ['SVC_CFG']) as f:\n    vars().update(yaml.safe_load(f))\n";
const DEFAULT =
  "import copy\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'svc', 'ATOMIC_REQUESTS': True}}\n";

/** The example's DATABASES aliases and the analysis warnings about DATABASES, for base settings `base`. */
function aliasesOf(base: string) {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/wsgi.py': 'application = get_wsgi_application()\n',
      'svc/settings/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py': `from .base import *\n${LOAD}`,
      'requirements/base.txt': 'django==4.2.16\nmysqlclient==2.2.4\n',
    }),
  );
  const model = toExampleConfigModel(facts, resolveConfig(facts, {}));
  const databases = model.required.find((entry) => entry.key === 'DATABASES')!.value as Record<
    string,
    Record<string, unknown>
  >;
  const warnings = facts.warnings
    .filter((warning) => warning.message.includes("example's DATABASES may miss aliases"))
    .map((warning) => warning.source);
  return { databases, aliases: Object.keys(databases), warnings };
}

describe('example YAML: DATABASES aliases the settings add after the dict literal', () => {
  it.each([
    {
      shape: 'a subscript assignment of a dict literal',
      code: "DATABASES['replica'] = {'ENGINE': 'django.db.backends.mysql', 'CONN_MAX_AGE': 60}\n",
      aliases: ['default', 'replica'],
    },
    {
      shape: '.update() with a dict literal',
      code: "DATABASES.update({'reports': {'NAME': 'reports'}, 'audit': {'NAME': 'audit'}})\n",
      aliases: ['default', 'reports', 'audit'],
    },
    {
      shape: '.update() with keyword arguments',
      code: "DATABASES.update(reports={'NAME': 'reports'})\n",
      aliases: ['default', 'reports'],
    },
    {
      shape: 'a copy of the default alias (dict(), .copy(), copy.deepcopy())',
      code:
        "DATABASES['a'] = dict(DATABASES['default'], NAME='a')\nDATABASES['b'] = DATABASES['default'].copy()\n" +
        "DATABASES['c'] = copy.deepcopy(DATABASES['default'])\n",
      aliases: ['default', 'a', 'b', 'c'],
    },
    {
      shape: 'a change under an if (one configuration still needs the alias)',
      code: "if READ_REPLICA:\n    DATABASES['replica'] = {'NAME': 'r'}\n",
      aliases: ['default', 'replica'],
    },
  ])('$shape: every alias is in the example, no warning', ({ code, aliases }) => {
    const found = aliasesOf(`READ_REPLICA = True\n${DEFAULT}${code}`);
    expect(found.aliases).toEqual(aliases);
    expect(found.warnings).toEqual([]);
  });

  it('keeps what the copied alias takes from the default (ATOMIC_REQUESTS)', () => {
    const found = aliasesOf(`${DEFAULT}DATABASES['replica'] = copy.deepcopy(DATABASES['default'])\n`);
    expect(found.databases.replica.ATOMIC_REQUESTS).toBe(true);
  });

  it("a key inside an alias adds no alias and no warning (DATABASES['default']['PASSWORD'])", () => {
    const found = aliasesOf(`${DEFAULT}DATABASES['default']['PASSWORD'] = os.environ['PW']\n`);
    expect(found).toMatchObject({ aliases: ['default'], warnings: [] });
  });

  it('a loop that changes keys inside a named alias (DB_OVERRIDES) adds no alias and no warning', () => {
    const code = "for key, value in DB_OVERRIDES.items():\n    DATABASES['default'][key] = value\n";
    expect(aliasesOf(`DB_OVERRIDES = {}\n${DEFAULT}${code}`)).toMatchObject({ aliases: ['default'], warnings: [] });
  });

  it.each([
    {
      shape: 'a loop',
      code: "for alias in ('a', 'b'):\n    DATABASES[alias] = dict(DATABASES['default'], NAME=alias)\n",
      line: 4,
    },
    { shape: 'a computed key', code: 'ALIAS = name()\nDATABASES[ALIAS] = {}\n', line: 4 },
    { shape: 'a computed alias value', code: "DATABASES['replica'] = replica_settings()\n", line: 3 },
    { shape: 'a computed .update() argument', code: 'DATABASES.update(more_databases())\n', line: 3 },
    {
      shape: 'a comprehension',
      code: "DATABASES = {alias: dict(DATABASES['default'], NAME=alias) for alias in ('a', 'b')}\n",
      line: 3,
    },
    { shape: 'a deepcopy of something not followed', code: 'DATABASES = copy.deepcopy(OTHER.DATABASES)\n', line: 3 },
  ])('$shape: a one-line warning naming file:line', ({ code, line }) => {
    expect(aliasesOf(`${DEFAULT}${code}`).warnings).toEqual([`svc/settings/base.py:${line}`]);
  });
});
