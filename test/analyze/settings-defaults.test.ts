import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

function defaultOf(name: string, base: string, production: string) {
  const facts = analyzeRepo(
    new MemoryReader({
      'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
      'svc/__init__.py': '',
      'svc/settings/base.py': base,
      'svc/settings/production.py':
        'from .base import *\nimport yaml\nwith open(environ["SVC_CFG"]) as f:\n' +
        `    vars().update(yaml.safe_load(f))\n${production}`,
    }),
  );
  return facts.settingsDefaults.find((setting) => setting.name === name);
}

const es = "ES_DISABLED = False\nELASTICSEARCH_DSL = {'default': {'hosts': '127.0.0.1:9200'}}\n";

describe('settings defaults', () => {
  it.each([
    {
      // edx-notes-api's yaml_config.py:45; the default is common.py:22.
      shape: 'an assignment under an if does not replace the unconditional default',
      name: 'ELASTICSEARCH_DSL',
      base: es,
      production: 'if ES_DISABLED:\n    ELASTICSEARCH_DSL = {}\n',
      value: { default: { hosts: '127.0.0.1:9200' } },
      source: 'svc/settings/base.py:2',
    },
    {
      // The YAML cannot set what the settings assign unconditionally after loading it.
      shape: 'an unconditional assignment after the load leaves nothing to offer',
      name: 'ELASTICSEARCH_DSL',
      base: es,
      production: "ELASTICSEARCH_DSL = {'default': {'hosts': 'search:9200'}}\n",
      value: undefined,
      source: '',
    },
    {
      shape: 'a setting assigned only under an if is still offered',
      name: 'ES_INDEX',
      base: 'ES_DISABLED = False\n',
      production: "if not ES_DISABLED:\n    ES_INDEX = 'notes'\n",
      value: 'notes',
      source: 'svc/settings/production.py:6',
    },
  ])('$shape', ({ name, base, production, value, source }) => {
    expect(defaultOf(name, base, production)).toEqual(value === undefined ? undefined : { name, value, source });
  });
});
