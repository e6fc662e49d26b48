import type { RepoReader } from '../reader/reader.js';
import { type AnalysisWarning, type Fact, byDefault, found } from './fact.js';
import type { PyModule } from './python.js';

/** Whether the image should run collectstatic, and where Django collects to. */
export interface StaticFiles {
  collectstatic: boolean;
  /** STATIC_ROOT as written in settings (a literal path or an expression). */
  staticRoot: string | null;
}

/** A Node build of static assets. */
export interface NodeAssets {
  /** The command that builds the assets: `npm run <script>`, or webpack with the repo's config. */
  buildCommand: string;
  /** Major Node version for the build stage. */
  nodeVersion: string;
  lockfile: string | null;
}

export const DEFAULT_NODE_VERSION = '20';

/** staticfiles in INSTALLED_APPS and a STATIC_ROOT, read across the production settings. */
export function detectStaticFiles(settings: PyModule[], warnings: AnalysisWarning[]): Fact<StaticFiles> {
  const app = settings
    .flatMap((module) => module.strings().map((s) => ({ ...s, file: module.file })))
    .find((s) => s.value === 'django.contrib.staticfiles');
  let root: { module: PyModule; line: number; text: string } | undefined;
  for (const module of settings) {
    const assignment = module.assignments().get('STATIC_ROOT');
    if (assignment) root = { module, line: assignment.line, text: module.textOf(assignment.value) };
  }
  if (!app)
    return byDefault({ collectstatic: false, staticRoot: null }, 'django.contrib.staticfiles not in the settings');
  if (!root) {
    warnings.push({
      message: 'django.contrib.staticfiles is installed but STATIC_ROOT is not set; collectstatic is skipped',
      source: `${app.file}:${app.line}`,
    });
    return found({ collectstatic: false, staticRoot: null }, app.file, app.line, 'staticfiles without STATIC_ROOT');
  }
  const literal = root.module.literal(root.module.assignments().get('STATIC_ROOT')!.value);
  // collectstatic refuses an empty STATIC_ROOT ("You're using the staticfiles app without
  // having set the STATIC_ROOT setting"): the build would fail.
  if (literal === '' || literal === null) {
    const source = `${root.module.file}:${root.line}`;
    warnings.push({
      message: `STATIC_ROOT is ${literal === null ? 'None' : "''"} at ${source}; collectstatic is skipped (set STATIC_ROOT to serve static files from the image)`,
      source,
    });
    return found({ collectstatic: false, staticRoot: null }, root.module.file, root.line, 'STATIC_ROOT is empty');
  }
  return found(
    { collectstatic: true, staticRoot: typeof literal === 'string' ? literal : root.text },
    root.module.file,
    root.line,
    'django.contrib.staticfiles with STATIC_ROOT',
  );
}

/** package.json with a build script: static assets need Node at build time. */
export function detectNodeAssets(reader: RepoReader, warnings: AnalysisWarning[]): Fact<NodeAssets | null> {
  const text = reader.readText('package.json');
  if (text === undefined) return byDefault(null, 'no package.json');
  let manifest: { scripts?: Record<string, string>; engines?: { node?: string } };
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    warnings.push({
      message: `package.json is not valid JSON (${(error as Error).message}); Node assets are skipped`,
      source: 'package.json:1',
    });
    return byDefault(null, 'package.json does not parse');
  }
  const scripts = manifest.scripts ?? {};
  const buildScript = ['build', 'build:prod', 'build-prod'].find((name) => typeof scripts[name] === 'string');
  // Older IDAs have no build script: the Makefile runs webpack with the repo's config.
  const webpackConfig = ['webpack.config.js', 'webpack.prod.config.js', 'webpack.config.prod.js']
    .filter((file) => reader.isFile(file))
    .at(-1);
  if (!buildScript && !webpackConfig)
    return byDefault(null, 'package.json has no build script and there is no webpack config');
  const nvmrc = reader.readText('.nvmrc');
  const nvmrcMajor = nvmrc && /^\s*v?(\d+)/.exec(nvmrc)?.[1];
  const enginesMajor = manifest.engines?.node && /(\d+)/.exec(manifest.engines.node)?.[1];
  const nodeVersion = nvmrcMajor || enginesMajor || DEFAULT_NODE_VERSION;
  const lockfile = ['package-lock.json', 'npm-shrinkwrap.json'].find((file) => reader.isFile(file)) ?? null;
  const versionRule = nvmrcMajor
    ? 'Node from .nvmrc'
    : enginesMajor
      ? 'Node from engines.node'
      : `Node ${DEFAULT_NODE_VERSION} by default`;
  if (buildScript) {
    const line = text.split('\n').findIndex((l) => l.includes(`"${buildScript}"`)) + 1;
    return found(
      { buildCommand: `npm run ${buildScript}`, nodeVersion, lockfile },
      'package.json',
      Math.max(line, 1),
      `build script in package.json; ${versionRule}`,
    );
  }
  return found(
    { buildCommand: `npx webpack --config ${webpackConfig}`, nodeVersion, lockfile },
    webpackConfig!,
    1,
    `webpack config without a build script; ${versionRule}`,
  );
}

const LOCALE_DIRS = (pkg: string) => [`${pkg}/conf/locale`, `${pkg}/locale`, 'conf/locale', 'locale'];

/** Translations to compile: committed .po files under a locale directory. */
export function detectTranslations(reader: RepoReader, pkg: string): Fact<boolean> {
  for (const dir of LOCALE_DIRS(pkg)) {
    for (const language of reader.list(dir)) {
      if (language.kind !== 'dir') continue;
      const po = reader.list(`${dir}/${language.name}/LC_MESSAGES`).find((entry) => entry.name.endsWith('.po'));
      if (po) return found(true, `${dir}/${language.name}/LC_MESSAGES/${po.name}`, 1, '.po files to compile');
    }
  }
  return byDefault(false, 'no .po files in a locale directory');
}
