import { DockerfileParser } from 'dockerfile-ast';
import { LineCounter, parseDocument, isMap, isSeq, isScalar } from 'yaml';
import type { RepoReader } from '../reader/reader.js';
import { type AnalysisWarning, type Fact, byDefault, found } from './fact.js';
import { lineOfIniKey, parseConfigParserIni } from './ini.js';
import type { SyntaxNode } from '@lezer/common';
import type { PyModule } from './python.js';
import type { PythonFiles } from './python-files.js';
import type { Requirement } from './requirements.js';

/** The port gunicorn listens on when nothing in the repo names one (Django's default). */
export const DEFAULT_PORT = 8000;

/** `<pkg>/docker_gunicorn_configuration.py`, or another gunicorn config the repo ships. */
export function detectGunicornConfig(reader: RepoReader, pkg: string): Fact<string | null> {
  const candidates = [
    `${pkg}/docker_gunicorn_configuration.py`,
    `${pkg}/gunicorn_configuration.py`,
    'gunicorn.conf.py',
    `${pkg}/gunicorn.conf.py`,
  ];
  const file = candidates.find((candidate) => reader.isFile(candidate));
  return file ? found(file, file, 1, 'gunicorn configuration file') : byDefault(null, 'no gunicorn configuration file');
}

/** The gunicorn the image installs when no requirement names a WSGI server. */
export const GUNICORN_FALLBACK_VERSION = '23.0.0';

/** The WSGI server the image runs. */
export interface Server {
  kind: 'gunicorn' | 'uwsgi';
  /** False when no requirement installs it: the image then installs gunicorn itself, pinned. */
  installed: boolean;
  /** The repo's uwsgi ini file the command runs with (repo-relative), or null. */
  uwsgiIni: string | null;
}

/** Ini files that are never uwsgi's. */
const NOT_UWSGI = new Set(['tox.ini', 'pytest.ini', 'setup.cfg', 'mypy.ini', '.coveragerc']);

/** `uwsgi.ini` in the usual places, else a root `*.ini` with a `[uwsgi]` section. */
function findUwsgiIni(reader: RepoReader, pkg: string): string | null {
  const usual = ['uwsgi.ini', `${pkg}/uwsgi.ini`, 'conf/uwsgi.ini', 'deploy/uwsgi.ini', 'docker/uwsgi.ini'];
  const roots = reader
    .list('')
    .filter((entry) => entry.kind === 'file' && entry.name.endsWith('.ini') && !NOT_UWSGI.has(entry.name));
  for (const file of [...usual, ...roots.map((entry) => entry.name)]) {
    const text = reader.readText(file);
    if (text !== undefined && /^\s*\[uwsgi\]/m.test(text)) return file;
  }
  return null;
}

/**
 * The WSGI server from the requirements: gunicorn when installed; uwsgi when it is installed
 * and gunicorn is not (run with the repo's uwsgi ini when it has one); neither → gunicorn,
 * which the image then installs pinned, with a warning.
 */
export function detectServer(
  reader: RepoReader,
  pkg: string,
  pins: Requirement[],
  warnings: AnalysisWarning[],
): Fact<Server> {
  const gunicorn = pins.find((pin) => pin.name === 'gunicorn');
  if (gunicorn && predatesSignature(gunicorn.version)) {
    // gunicorn < 19.8 validates its hooks with inspect.getargspec (config.py), which Python 3.11
    // removed: every start fails before the app loads (ecommerce pins 19.7.1 in every commit).
    warnings.push({
      message:
        `gunicorn ${gunicorn.version} calls inspect.getargspec, removed in Python 3.11: it starts only on ` +
        'Python 3.10 or older; pin gunicorn>=19.8 in the requirements to run on a newer Python',
      source: `${gunicorn.file}:${gunicorn.line}`,
    });
  }
  if (gunicorn)
    return found(
      { kind: 'gunicorn', installed: true, uwsgiIni: null },
      gunicorn.file,
      gunicorn.line,
      'gunicorn in the requirements',
    );
  const uwsgi = pins.find((pin) => pin.name === 'uwsgi');
  if (uwsgi) {
    const ini = findUwsgiIni(reader, pkg);
    return found(
      { kind: 'uwsgi', installed: true, uwsgiIni: ini },
      uwsgi.file,
      uwsgi.line,
      `uwsgi in the requirements, no gunicorn${ini ? `; runs with ${ini}` : ''}`,
    );
  }
  warnings.push({
    message: `neither gunicorn nor uwsgi is in the requirements: the image installs gunicorn==${GUNICORN_FALLBACK_VERSION} after them; pin gunicorn in the requirements to choose the version`,
    source: null,
  });
  return byDefault(
    { kind: 'gunicorn', installed: false, uwsgiIni: null },
    `no WSGI server in the requirements; the image installs gunicorn==${GUNICORN_FALLBACK_VERSION}`,
  );
}

/** Whether an exact gunicorn version is older than 19.8, the first to read hook arity with inspect.signature. */
function predatesSignature(version: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  return match !== null && (Number(match[1]) < 19 || (Number(match[1]) === 19 && Number(match[2]) < 8));
}

/** `http-socket` or `http` in the uwsgi ini. */
function fromUwsgiIni(reader: RepoReader, ini: string | null): Fact<number> | undefined {
  const text = ini ? reader.readText(ini) : undefined;
  if (!ini || text === undefined) return undefined;
  const section = parseConfigParserIni(text).uwsgi ?? {};
  for (const key of ['http-socket', 'http']) {
    const port = section[key] ? portOf(section[key]) : undefined;
    if (port) return found(port, ini, lineOfIniKey(text, 'uwsgi', key), `${key} in the uwsgi ini`);
  }
  return undefined;
}

function portOf(text: string): number | undefined {
  const match = /(?:^|[\s:])(\d{2,5})$/.exec(text.trim());
  const port = match ? Number(match[1]) : NaN;
  return port > 0 && port < 65536 ? port : undefined;
}

/** The `bind` in the gunicorn config. */
function fromGunicorn(python: PythonFiles, config: string | null): Fact<number> | undefined {
  const module = config ? python.load(config) : undefined;
  const bind = module?.assignments().get('bind');
  const value = bind && module?.literal(bind.value);
  const text = Array.isArray(value) ? value[0] : value;
  const port = typeof text === 'string' ? portOf(text) : undefined;
  return module && bind && port ? found(port, module.file, bind.line, 'bind in the gunicorn configuration') : undefined;
}

/** gunicorn's own default graceful_timeout, in seconds. */
export const GUNICORN_GRACEFUL_TIMEOUT = 30;

/**
 * How long gunicorn lets workers finish their requests after SIGTERM: `graceful_timeout` in the
 * gunicorn config when it is a literal number of seconds, else gunicorn's default. A deployment's
 * grace period must outlast it.
 */
export function detectGracefulTimeout(python: PythonFiles, config: string | null): Fact<number> {
  const module = config ? python.load(config) : undefined;
  const assignment = module?.assignments().get('graceful_timeout');
  const value = assignment && module?.literal(assignment.value);
  if (module && assignment && typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 86400) {
    return found(value, module.file, assignment.line, 'graceful_timeout in the gunicorn configuration');
  }
  return byDefault(GUNICORN_GRACEFUL_TIMEOUT, "gunicorn's default graceful_timeout");
}

/** The container port of the service in docker-compose (the one running this repo's code). */
function fromCompose(reader: RepoReader, pkg: string): Fact<number> | undefined {
  for (const file of ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml']) {
    const text = reader.readText(file);
    if (text === undefined) continue;
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    if (doc.errors.length > 0) continue;
    const services = doc.get('services');
    if (!isMap(services)) continue;
    for (const pair of services.items) {
      if (!isMap(pair.value)) continue;
      const command = String(pair.value.get('command') ?? '');
      const runsThisRepo =
        command.includes('runserver') ||
        command.includes('gunicorn') ||
        command.includes('uwsgi') ||
        command.includes(pkg);
      if (!runsThisRepo) continue;
      const runserver = /runserver\s+(?:[\d.]+:)?(\d+)/.exec(command);
      if (runserver)
        return found(
          Number(runserver[1]),
          file,
          lineCounter.linePos(pair.value.range![0]).line,
          'runserver port in docker-compose',
        );
      const ports = pair.value.get('ports', true);
      if (isSeq(ports)) {
        for (const item of ports.items) {
          if (!isScalar(item)) continue;
          const port = portOf(String(item.value));
          if (port)
            return found(port, file, lineCounter.linePos(item.range![0]).line, 'container port in docker-compose');
        }
      }
    }
  }
  return undefined;
}

/** `runserver 0.0.0.0:18150` in the Makefile. */
function fromMakefile(reader: RepoReader): Fact<number> | undefined {
  const text = reader.readText('Makefile');
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = /runserver\s+(?:[\d.]+:|localhost:)?(\d{2,5})\b/.exec(lines[i]);
    if (match) return found(Number(match[1]), 'Makefile', i + 1, 'runserver port in the Makefile');
  }
  return undefined;
}

/**
 * The last `EXPOSE` of the repo's Dockerfile (IDAs shipped their own until 2024), parsed with
 * dockerfile-ast; `generated` picks the Dockerfile this tool wrote or the repo's own. A generated
 * one ranks below docker-compose and the Makefile, so its first answer does not stick, but above
 * the default, so the run after the one that replaced the repo's own Dockerfile keeps its port.
 */
function fromDockerfile(reader: RepoReader, generated: boolean): Fact<number> | undefined {
  const text = reader.readText('Dockerfile');
  if (text === undefined || text.includes('Generated by generator-openedx-ida') !== generated) return undefined;
  const expose = DockerfileParser.parse(text)
    .getInstructions()
    .filter((instruction) => instruction.getKeyword() === 'EXPOSE')
    .at(-1);
  const port = Number(/^(\d{2,5})(\/tcp)?$/.exec(expose?.getArguments()[0]?.getValue() ?? '')?.[1]);
  if (!expose || !(port > 0 && port < 65536)) return undefined;
  const rule = generated ? 'EXPOSE kept from the generated Dockerfile' : "EXPOSE in the repo's own Dockerfile";
  return found(port, 'Dockerfile', expose.getRange().start.line + 1, rule);
}

/**
 * The service port: gunicorn `bind`, else the uwsgi ini, the repo's own Dockerfile, docker-compose,
 * the Makefile's runserver, else the Dockerfile this tool generated earlier, else the default.
 */
export function detectPort(
  reader: RepoReader,
  python: PythonFiles,
  pkg: string,
  gunicornConfig: string | null,
  uwsgiIni: string | null = null,
): Fact<number> {
  return (
    fromGunicorn(python, gunicornConfig) ??
    fromUwsgiIni(reader, uwsgiIni) ??
    fromDockerfile(reader, false) ??
    fromCompose(reader, pkg) ??
    fromMakefile(reader) ??
    fromDockerfile(reader, true) ??
    byDefault(
      DEFAULT_PORT,
      "no port found in the gunicorn config, the repo's own Dockerfile, docker-compose or Makefile",
    )
  );
}

/** The last URL segment of a health endpoint: `health/`, `heartbeat/`, `health_check/`, `healthz`, `ping/`... */
const HEALTH_SEGMENT = /^(health|healthz|healthcheck|health[_-]check|heartbeat|ping|alive|livez|readyz)$/;
/**
 * A weaker name, taken only when no route has one of the names above: xqueue answers its load
 * balancer at `/xqueue/status/`, while elsewhere `status/` may be a business route.
 */
const STATUS_SEGMENT = /^status$/;
const ROUTE_CALLS = new Set(['path', 're_path', 'url']);

/**
 * A route as a literal URL path: `path('heartbeat/')` as is; a `re_path`/`url` regex when it is
 * literal apart from `^`, `$` and an optional trailing slash. Undefined for a pattern with
 * parameters or other regex syntax.
 */
function literalRoute(route: string, regex: boolean): string | undefined {
  if (!regex) return /[<>]/.test(route) ? undefined : route;
  const stripped = route.replace(/^\^/, '').replace(/\$$/, '').replace(/\/\?$/, '/').replace(/\\\//g, '/');
  return /[\\^$.*+?()[\]{}|]/.test(stripped) ? undefined : stripped;
}

function isHealthPath(path: string, names: RegExp): boolean {
  const segments = path.split('/').filter(Boolean);
  return segments.length > 0 && names.test(segments.at(-1)!);
}

/**
 * A health endpoint in the URLconf: a `path()`/`re_path()`/`url()` route whose last segment is
 * a health name, followed into `include()`d URLconfs of the repo (`path('heartbeat/',
 * include('svc.heartbeat.urls'))` with `path('', heartbeat)` inside). An include of a module
 * outside the repo (django-health-check, an edx-django-utils heartbeat) under a health prefix
 * counts as the endpoint itself.
 */
function findHealthRoute(
  python: PythonFiles,
  file: string,
  prefix: string,
  depth: number,
  seen: Set<string>,
  names: RegExp,
): Fact<string> | undefined {
  const module = depth < 4 && !seen.has(file) ? python.load(file) : undefined;
  if (!module) return undefined;
  seen.add(file);
  for (const call of module.calls()) {
    const callee = call.callee.split('.').at(-1)!;
    const route = ROUTE_CALLS.has(callee) ? module.stringValue(call.args[0]) : undefined;
    const literal = route === undefined ? undefined : literalRoute(route, callee !== 'path');
    if (literal === undefined) continue;
    const full = `${prefix}${literal}`;
    const target = call.args[1];
    const included =
      target?.name === 'CallExpression' && module.textOf(target.firstChild!).split('.').at(-1) === 'include';
    if (included) {
      const includeArgs =
        module.calls().find((inner) => inner.node.from === target.from && inner.node.to === target.to)?.args ?? [];
      // `include('m.urls')`, `include(('m.urls', 'namespace'))`, or a module object.
      const first =
        includeArgs[0]?.name === 'TupleExpression' ? includeArgs[0].firstChild?.nextSibling : includeArgs[0];
      const name =
        module.stringValue(first) ??
        (first?.name === 'VariableName' || first?.name === 'MemberExpression' ? module.textOf(first) : undefined);
      const includedFile = name ? python.fileOf(name) : undefined;
      const inside = includedFile ? findHealthRoute(python, includedFile, full, depth + 1, seen, names) : undefined;
      if (inside) return inside;
      if (!includedFile && isHealthPath(full, names)) {
        return found(`/${full}`, module.file, call.line, `health URL included from ${name ?? 'another URLconf'}`);
      }
      continue;
    }
    if (!isHealthPath(full, names)) continue;
    const redirect = redirectOf(module, target);
    // A redirect is not the endpoint (a probe that follows no redirect never sees its 200): take a
    // literal target, else look on for the route it points to (`reverse_lazy('health')` is one).
    if (redirect === null) return found(`/${full}`, module.file, call.line, 'health URL pattern');
    if (redirect !== undefined && isHealthPath(redirect, names))
      return found(redirect, module.file, call.line, `target of the redirect from /${full}`);
  }
  return undefined;
}

/**
 * What a route's view redirects to: the literal absolute path of `RedirectView.as_view(url='/x/')`
 * or `redirect('/x/')`, undefined for a redirect to a computed URL, null when the view is no redirect.
 */
function redirectOf(module: PyModule, view: SyntaxNode | undefined): string | null | undefined {
  if (!view || !/\b(RedirectView|redirect)\b/.test(module.textOf(view))) return null;
  const calls = module.calls().filter((call) => call.node.from >= view.from && call.node.to <= view.to);
  for (const call of calls) {
    const url = module.stringValue(
      call.keywords.get('url') ?? (call.callee.endsWith('redirect') ? call.args[0] : undefined),
    );
    if (url?.startsWith('/')) return url;
  }
  return undefined;
}

/** A health endpoint in the package's urls.py and the repo URLconfs it includes. */
export function detectHealthPath(python: PythonFiles, pkg: string): Fact<string | null> {
  return (
    findHealthRoute(python, `${pkg}/urls.py`, '', 0, new Set(), HEALTH_SEGMENT) ??
    findHealthRoute(python, `${pkg}/urls.py`, '', 0, new Set(), STATUS_SEGMENT) ??
    byDefault(null, `no health URL (health/, heartbeat/, healthz, status/...) in ${pkg}/urls.py or what it includes`)
  );
}
