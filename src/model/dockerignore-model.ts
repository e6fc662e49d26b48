import type { RepoFacts } from '../analyze/analyze.js';
import { headerLines } from './dockerfile-model.js';
import type { GeneratorConfig } from './decisions.js';

/** Template input for `templates/app/dockerignore.ejs`. */
export interface DockerignoreModel {
  headerLines: string[];
  /** Groups of patterns, each with a comment saying why they are left out. */
  groups: { why: string; patterns: string[] }[];
}

/**
 * A small build context that still holds everything the build reads: the code,
 * requirements, manage.py, locale files and (for Node assets) the front-end sources.
 */
export function toDockerignoreModel(facts: RepoFacts, config: GeneratorConfig): DockerignoreModel {
  const groups = [
    { why: 'version control and CI', patterns: ['.git', '.github', '.gitignore'] },
    { why: 'container build files and generator state (the builder reads them outside the context)', patterns: ['Dockerfile*', '.dockerignore', 'docker-compose*.yml', 'compose*.yml', '.yo-rc.json', '.openedx-ida'] },
    { why: 'local environments, caches and test output', patterns: ['.venv', 'venv', '.tox', '.nox', '.cache', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.coverage', 'coverage.xml', 'htmlcov', '**/__pycache__', '**/*.py[cod]', '*.egg-info', 'docs/_build'] },
    config.configVar === ''
      ? { why: 'secrets and local config', patterns: ['.env', '.env.*', '*.pem', '*.key', '**/settings/private.py'] }
      : { why: 'secrets and local config: configuration comes from the mounted YAML', patterns: ['.env', '.env.*', '*.pem', '*.key', '**/settings/private.py', config.exampleConfig] },
    { why: 'editor files', patterns: ['.idea', '.vscode', '*.swp', '.DS_Store'] },
  ];
  if (facts.nodeAssets.value) groups.push({ why: 'Node dependencies are installed in the assets stage', patterns: ['node_modules', 'npm-debug.log*'] });
  else groups.push({ why: 'Node dependencies (not used in the image)', patterns: ['node_modules'] });
  return { headerLines: headerLines(`build context filter for ${config.service}`), groups };
}
