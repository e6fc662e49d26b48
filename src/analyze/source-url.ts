import { parse as parseToml } from 'smol-toml';
import type { RepoReader } from '../reader/reader.js';
import { type Fact, byDefault, found } from './fact.js';
import { lineOfIniKey, parseConfigParserIni } from './ini.js';
import type { PythonFiles } from './python-files.js';

const HTTP_URL = /^https?:\/\/\S+$/;

/** The project's source URL (for the OCI source label): setup.py `url=`, setup.cfg, or pyproject. */
export function detectSourceUrl(reader: RepoReader, python: PythonFiles): Fact<string | null> {
  const setupPy = python.load('setup.py');
  for (const call of setupPy?.calls() ?? []) {
    const url = setupPy!.stringValue(call.keywords.get('url'));
    if (url && HTTP_URL.test(url)) return found(url, 'setup.py', call.line, 'url in setup.py');
  }
  const setupCfg = reader.readText('setup.cfg');
  const cfgUrl = setupCfg ? parseConfigParserIni(setupCfg).metadata?.url : undefined;
  if (setupCfg && cfgUrl && HTTP_URL.test(cfgUrl)) return found(cfgUrl, 'setup.cfg', lineOfIniKey(setupCfg, 'metadata', 'url'), 'url in setup.cfg');
  const pyproject = reader.readText('pyproject.toml');
  if (pyproject) {
    try {
      const urls = (parseToml(pyproject) as { project?: { urls?: Record<string, unknown> } }).project?.urls ?? {};
      const [key, url] = Object.entries(urls).find(([name, value]) => /^(source|repository|homepage)$/i.test(name) && typeof value === 'string' && HTTP_URL.test(value)) ?? [];
      if (key && typeof url === 'string') return found(url, 'pyproject.toml', pyproject.split('\n').findIndex((line) => line.includes(url)) + 1, `project.urls.${key} in pyproject.toml`);
    } catch {
      // detectPythonVersion already warns about a pyproject.toml that does not parse
    }
  }
  return byDefault(null, 'no url in setup.py, setup.cfg or pyproject.toml');
}
