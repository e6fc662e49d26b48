import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

/** A minimal IDA around one production settings file. */
function repo(production: string, extra: Record<string, string> = {}) {
  return new MemoryReader({
    'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'svc.settings.local')\n",
    'svc/__init__.py': '',
    'svc/wsgi.py': 'application = get_wsgi_application()\n',
    'svc/settings/__init__.py': '',
    'svc/settings/base.py': 'DEBUG = False\n',
    'svc/settings/production.py': production,
    ...extra,
  });
}

describe('config variable detection', () => {
  it.each([
    {
      shape: 'get_env_setting then with open',
      code: "import yaml\nCONFIG_FILE = get_env_setting('SVC_CFG')\nwith open(CONFIG_FILE) as f:\n    config = yaml.safe_load(f)\n",
      expected: { variable: 'SVC_CFG', required: true, fileInDirectory: null, loader: 'yaml.safe_load' },
    },
    {
      shape: 'a name the package does not suggest',
      code: "import os, yaml\nwith open(os.environ['DISCOVERY_CFG']) as f:\n    config = yaml.load(f, Loader=yaml.FullLoader)\n",
      expected: { variable: 'DISCOVERY_CFG', required: true, loader: 'yaml.load(Loader=yaml.FullLoader)' },
    },
    {
      shape: 'an optional load',
      code: "from os import environ\nimport yaml\nif 'SVC_CFG' in environ:\n    with open(environ['SVC_CFG']) as f:\n        config = yaml.safe_load(f)\n",
      expected: { variable: 'SVC_CFG', required: false },
    },
    {
      shape: 'a directory variable with a fixed file name',
      code: "import os, yaml\nROOT = os.environ['SVC_CONFIG_ROOT']\nwith open(os.path.join(ROOT, 'svc.yml')) as f:\n    config = yaml.safe_load(f)\n",
      expected: { variable: 'SVC_CONFIG_ROOT', required: true, fileInDirectory: 'svc.yml' },
    },
    {
      shape: 'open inside the load call',
      code: "import os, yaml\nconfig = yaml.safe_load(open(os.environ.get('OTHER_CFG')))\n",
      expected: { variable: 'OTHER_CFG', required: false },
    },
  ])('finds the variable: $shape', ({ code, expected }) => {
    const facts = analyzeRepo(repo(code));
    expect(facts.configLoad.value).toMatchObject(expected);
    expect(facts.configVar.source).toMatch(/^svc\/settings\/production\.py:\d+$/);
  });

  it.each([
    {
      shape: 'a helper called with an environment read',
      files: {
        'svc/settings/production.py':
          "import os, yaml\n\ndef load_config(path):\n    with open(path) as f:\n        return yaml.safe_load(f)\n\nvars().update(load_config(os.environ['VIDEO_PIPELINE_CFG']))\n",
      },
      expected: { variable: 'VIDEO_PIPELINE_CFG', required: true, module: 'svc/settings/production.py', line: 7 },
      source: 'svc/settings/production.py:7',
    },
    {
      shape: 'a helper with a keyword argument',
      files: {
        'svc/settings/production.py':
          "import os, yaml\n\ndef load_config(name=None, path=None):\n    with open(path) as f:\n        return yaml.safe_load(f)\n\nCONFIG = load_config(path=os.environ.get('VIDEO_PIPELINE_CFG'))\n",
      },
      expected: { variable: 'VIDEO_PIPELINE_CFG', required: false, line: 7 },
      source: 'svc/settings/production.py:7',
    },
    {
      shape: 'an imported helper that reads the variable itself, falling back on KeyError',
      files: {
        'svc/settings/production.py': 'from svc.utils import get_config\n\nCONFIG_DATA = get_config()\n',
        'svc/utils.py':
          "import os\nimport yaml\n\ndef get_config(yaml_config_file='instance_config.yaml'):\n    try:\n        yaml_config_file = os.environ['VIDEO_PIPELINE_CFG']\n" +
          "    except KeyError:\n        yaml_config_file = os.path.join('/x', yaml_config_file)\n    with open(yaml_config_file, 'r') as config:\n        return yaml.safe_load(config)\n",
      },
      expected: { variable: 'VIDEO_PIPELINE_CFG', required: false, module: 'svc/settings/production.py', line: 3 },
      source: 'svc/utils.py:6',
    },
    {
      shape: 'a helper that reads a required variable itself',
      files: {
        'svc/settings/production.py':
          "import os, yaml\n\ndef get_config():\n    with open(os.environ['VIDEO_PIPELINE_CFG']) as f:\n        return yaml.safe_load(f)\n\nCONFIG = get_config()\n",
      },
      expected: { variable: 'VIDEO_PIPELINE_CFG', required: true, line: 7 },
      source: 'svc/settings/production.py:4',
    },
  ])('follows a YAML load inside $shape', ({ files, expected, source }) => {
    const facts = analyzeRepo(repo(files['svc/settings/production.py'], files as Record<string, string>));
    expect(facts.configLoad.value).toMatchObject(expected);
    expect(facts.configLoad.source).toBe(source);
    expect(facts.service.value).toBe('video_pipeline');
  });

  it('does not take a helper that is defined but never called at import', () => {
    const facts = analyzeRepo(
      repo(
        "import os, yaml\n\ndef get_config():\n    with open(os.environ['X_CFG']) as f:\n        return yaml.safe_load(f)\n",
      ),
    );
    expect(facts.configLoad.source).toBeNull();
  });

  it('follows star imports to the module that loads the YAML', () => {
    const facts = analyzeRepo(
      repo('from .base import *\nfrom .yaml_config import *\n', {
        'svc/settings/yaml_config.py':
          "import os, yaml\nCFG = os.environ['LEDGER_CFG']\nwith open(CFG) as s:\n    c = yaml.safe_load(s)\nDICT_UPDATE_KEYS = ['JWT_AUTH', 'CACHES']\n",
      }),
    );
    expect(facts.configLoad.value).toMatchObject({
      variable: 'LEDGER_CFG',
      module: 'svc/settings/yaml_config.py',
      dictUpdateKeys: ['JWT_AUTH', 'CACHES'],
    });
    expect(facts.service.value).toBe('ledger');
  });

  it('finds no config variable, with a warning saying how to add the loader, when nothing loads YAML', () => {
    const facts = analyzeRepo(repo('DEBUG = False\n'));
    expect(facts.configVar).toMatchObject({ value: null, source: null });
    expect(facts.configLoad.value).toBeNull();
    expect(facts.configVar.rule).toMatch(/^default: .*the service reads no YAML/);
    const warning = facts.warnings
      .map((w) => w.message)
      .find((message) => message.startsWith('the service reads no YAML'));
    expect(warning).toMatch(/add the standard loader .*get_env_setting\('SVC_CFG'\).*or pass --config-var/);
    expect(facts.service.value).toBe('svc');
  });

  it('still assumes <PKG>_CFG when the settings do not parse (the parser may have lost the load)', () => {
    const facts = analyzeRepo(repo('def broken(:\n'));
    expect(facts.configVar).toMatchObject({ value: 'SVC_CFG', source: null });
  });

  it('warns about a settings file that does not parse and still returns facts', () => {
    const facts = analyzeRepo(repo('def broken(:\n'));
    expect(facts.warnings[0].message).toMatch(/svc\/settings\/production\.py does not parse as Python \(line 1\)/);
    expect(facts.settingsModule.value).toBe('svc.settings.production');
  });
});
