import { parse as parseToml } from 'smol-toml';
import type { RepoReader } from '../reader/reader.js';
import { type AnalysisWarning, type Fact, byDefault, found } from './fact.js';
import { lineOfIniKey, parseConfigParserIni } from './ini.js';
import type { PythonFiles } from './python-files.js';

/** Any http(s) URL: a candidate, then checked by `usable`. */
const HTTP_URL = /^https?:\/\//;

/**
 * A URL that may go inside the quoted LABEL: plain http(s), host and path of characters
 * that mean nothing to the Dockerfile parser (no quotes, backslashes, `$`, whitespace,
 * newlines) and no `user:password@`.
 */
const PLAIN_URL =
  /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%!&()*+,;=:@/-]*)?(\?[A-Za-z0-9._~%!&()*+,;=:@/?-]*)?(#[A-Za-z0-9._~%!&()*+,;=:@/?-]*)?$/;

/** The URL, or null with a warning naming where it was read when it cannot go into the label. */
function usable(url: string, source: string, warnings: AnalysisWarning[]): string | null {
  if (PLAIN_URL.test(url)) return url;
  warnings.push({
    message: `the source URL in ${source} (${JSON.stringify(url).slice(0, 80)}) is not a plain http(s) URL; the image gets no source label`,
    source,
  });
  return null;
}

/**
 * The project's source URL (for the OCI source label): setup.py `url=`, setup.cfg, or
 * pyproject. A URL with quotes, backslashes, whitespace or credentials is dropped with a warning.
 */
export function detectSourceUrl(
  reader: RepoReader,
  python: PythonFiles,
  warnings: AnalysisWarning[] = [],
): Fact<string | null> {
  const setupPy = python.load('setup.py');
  for (const call of setupPy?.calls() ?? []) {
    const url = setupPy!.stringValue(call.keywords.get('url'));
    if (url && HTTP_URL.test(url)) {
      const plain = usable(url, `setup.py:${call.line}`, warnings);
      return plain
        ? found(plain, 'setup.py', call.line, 'url in setup.py')
        : byDefault(null, 'the url in setup.py is not a plain http(s) URL');
    }
  }
  const setupCfg = reader.readText('setup.cfg');
  const cfgUrl = setupCfg ? parseConfigParserIni(setupCfg).metadata?.url : undefined;
  if (setupCfg && cfgUrl && HTTP_URL.test(cfgUrl)) {
    const line = lineOfIniKey(setupCfg, 'metadata', 'url');
    const plain = usable(cfgUrl, `setup.cfg:${line}`, warnings);
    return plain
      ? found(plain, 'setup.cfg', line, 'url in setup.cfg')
      : byDefault(null, 'the url in setup.cfg is not a plain http(s) URL');
  }
  const pyproject = reader.readText('pyproject.toml');
  if (pyproject) {
    try {
      const urls = (parseToml(pyproject) as { project?: { urls?: Record<string, unknown> } }).project?.urls ?? {};
      const [key, url] =
        Object.entries(urls).find(
          ([name, value]) =>
            /^(source|repository|homepage)$/i.test(name) && typeof value === 'string' && HTTP_URL.test(value),
        ) ?? [];
      if (key && typeof url === 'string') {
        const line = pyproject.split('\n').findIndex((text) => text.includes(url)) + 1;
        const plain = usable(url, `pyproject.toml:${Math.max(line, 1)}`, warnings);
        if (plain) return found(plain, 'pyproject.toml', Math.max(line, 1), `project.urls.${key} in pyproject.toml`);
        return byDefault(null, 'the source url in pyproject.toml is not a plain http(s) URL');
      }
    } catch {
      // detectPythonVersion already warns about a pyproject.toml that does not parse
    }
  }
  return byDefault(null, 'no url in setup.py, setup.cfg or pyproject.toml');
}
