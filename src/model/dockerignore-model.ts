import { schemaFileOf } from './example-schema.js';
import type { RepoFacts } from '../analyze/analyze.js';
import { headerLines } from './dockerfile-model.js';
import type { GeneratorConfig } from './decisions.js';

/** Template input for `templates/app/dockerignore.ejs`. */
export interface DockerignoreModel {
  headerLines: string[];
  /** Groups of patterns, each with a comment saying why they are left out. */
  groups: { why: string; patterns: string[] }[];
}

// Secrets by name, each under any folder: Docker's `**` also matches no folder, so one
// pattern covers the root and every depth. None of these is a build input: the image reads
// requirements, locale files, package.json and its lock, and manage.py.
const SECRETS = [
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  '**/.ssh',
  '**/.aws',
  '**/.gnupg',
  '**/.netrc',
  '**/.pypirc',
  '**/.npmrc',
  '**/.git-credentials',
  '**/.docker/config.json',
];

/** Local settings and databases a developer's checkout may hold. */
const LOCAL_STATE = ['**/settings/private.py', '**/*.sqlite3', '**/*.sqlite', '**/*.db'];

/**
 * A small build context that still holds everything the build reads: the code,
 * requirements, manage.py, locale files and (for Node assets) the front-end sources.
 */
export function toDockerignoreModel(facts: RepoFacts, config: GeneratorConfig): DockerignoreModel {
  const groups = [
    { why: 'version control and CI', patterns: ['.git', '.github', '.gitignore'] },
    {
      why: 'container build files and generator state (the builder reads them outside the context)',
      patterns: [
        'Dockerfile*',
        '.dockerignore',
        'docker-compose*.yml',
        'docker-compose*.yaml',
        'compose*.yml',
        'compose*.yaml',
        '.yo-rc.json',
        '.openedx-ida',
      ],
    },
    // openedx-ida compose's <service>.local.yml: a config for one machine, mounted at run time.
    { why: 'YAML filled for a local run, with local-only values', patterns: ['*.local.yml', '*.local.yaml'] },
    {
      why: 'local environments, caches and test output',
      patterns: [
        '.venv',
        'venv',
        '.tox',
        '.nox',
        '.cache',
        '.pytest_cache',
        '.mypy_cache',
        '.ruff_cache',
        '.coverage',
        'coverage.xml',
        'htmlcov',
        '**/__pycache__',
        '**/*.py[cod]',
        '*.egg-info',
        'docs/_build',
      ],
    },
    { why: 'secrets at any depth: keys, tokens and credentials never belong in an image layer', patterns: SECRETS },
    config.configVar === ''
      ? { why: 'local config and databases', patterns: LOCAL_STATE }
      : {
          why: 'local config and databases: configuration comes from the mounted YAML',
          patterns: [...LOCAL_STATE, config.exampleConfig, schemaFileOf(config.exampleConfig, config.service)],
        },
    { why: 'editor files', patterns: ['.idea', '.vscode', '*.swp', '.DS_Store'] },
  ];
  if (facts.nodeAssets.value)
    groups.push({
      why: 'Node dependencies are installed in the assets stage',
      patterns: ['node_modules', 'npm-debug.log*'],
    });
  else groups.push({ why: 'Node dependencies (not used in the image)', patterns: ['node_modules'] });
  return { headerLines: headerLines(`build context filter for ${config.service}`), groups };
}
