import { DECISIONS } from '../model/decisions.js';
import { DEFAULT_NEWRELIC_VERSION } from '../model/derivatives.js';

/** A CLI flag declaration: name and Yeoman option spec (also read by the fast path's parser). */
export type OptionDeclaration = readonly [
  string,
  { type: typeof String | typeof Boolean; description: string; alias?: string },
];

/** A generator the CLI exposes. */
export type GeneratorName = 'app' | 'newrelic' | 'private';

// Numbers are declared as String: Yeoman's command line treats Number options as booleans.
// resolveConfig and the core coerce and validate them, naming the flag.
const OPTION_TYPES = { string: String, number: String, boolean: Boolean } as const;

/** The public image's name: also accepted by `app --newrelic --private`. */
const BASE_IMAGE: OptionDeclaration = ['base-image', { type: String, description: 'The public image with a tag (default: docker.io/openedx/<service>:main)' }];

/** Facts about the public image that an operator repo (no IDA source) gives as flags. */
const OPERATOR: OptionDeclaration[] = [
  ['service', { type: String, description: 'Operator repo: the service name' }],
  ['port', { type: String, description: 'Operator repo: the port the public image listens on' }],
  ['wsgi-app', { type: String, description: 'Operator repo: the WSGI app (pkg.wsgi:application)' }],
  ['gunicorn-config', { type: String, description: 'Operator repo: the gunicorn config file in the image (relative to the app dir)' }],
  ['uid', { type: String, description: 'The public image user (default 1000)' }],
  ['app-dir', { type: String, description: 'The public image app dir (default /edx/app/<service>)' }],
  ['workers', { type: String, description: 'gunicorn workers (default 2)' }],
];

/** The New Relic variant's own flags (also accepted by `app --newrelic`). */
const NEWRELIC: OptionDeclaration[] = [
  ['newrelic-version', { type: String, description: `newrelic version to install when the requirements do not pin it (default ${DEFAULT_NEWRELIC_VERSION})` }],
  ['newrelic-file', { type: String, description: 'Where to write it (default Dockerfile.newrelic)' }],
];

/** The private variant's own flags (also accepted by `app --private`). */
const PRIVATE: OptionDeclaration[] = [
  ['private-requirements', { type: String, description: 'Requirements files with private packages (comma-separated; default requirements/private.txt when present)' }],
  ['pip-packages', { type: String, description: 'Extra pip packages: plugins, XBlocks (comma- or space-separated)' }],
  ['apt-packages', { type: String, description: 'Extra Debian packages (comma- or space-separated)' }],
  ['copy', { type: String, description: 'Files to copy in, SRC:DEST (comma-separated; DEST relative to the app dir)' }],
  ['index-secret', { type: String, description: 'BuildKit secret id holding the private index URL (default pip_index_url)' }],
  ['private-file', { type: String, description: 'Where to write it (default Dockerfile.private)' }],
];

const APP: OptionDeclaration[] = [
  ['yes', { type: Boolean, alias: 'y', description: 'Accept detected values and stored decisions without asking' }],
  ['django-package', { type: String, description: 'The Django package, when detection cannot find it' }],
  ['newrelic', { type: Boolean, description: 'Also write the New Relic variant (see openedx-ida newrelic --help)' }],
  ['private', { type: Boolean, description: 'Also write the private/operator variant (see openedx-ida private --help)' }],
  BASE_IMAGE,
  ...NEWRELIC,
  ...PRIVATE,
  ...DECISIONS.map((decision): OptionDeclaration => [decision.flag, { type: OPTION_TYPES[decision.kind], description: decision.description }]),
];

const DERIVATIVE: OptionDeclaration[] = [
  ['yes', { type: Boolean, alias: 'y', description: 'Accept stored decisions and defaults without asking' }],
  BASE_IMAGE,
  ...OPERATOR,
];

/**
 * Each generator's flags, declared once: the generators register them with Yeoman and
 * the CLI's fast path parses them without loading Yeoman.
 */
export function generatorOptions(name: GeneratorName): OptionDeclaration[] {
  if (name === 'app') return APP;
  return [...DERIVATIVE, ...(name === 'newrelic' ? NEWRELIC : PRIVATE)];
}
