/**
 * Property: for any value of any option, from a flag or from `.yo-rc.json`, either the
 * options table refuses it (InvalidOptionError) or the rendered Dockerfile parses with
 * exactly the instructions the same option with a plain value gives: no extra instruction
 * lines, and no character in the value that means something to sh or the Dockerfile parser.
 */
import fc from 'fast-check';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { InvalidOptionError } from '../../src/errors.js';
import { type GeneratorConfig, resolveConfig } from '../../src/model/decisions.js';
import {
  type NewrelicConfig,
  type PrivateConfig,
  resolveNewrelicConfig,
  resolvePrivateConfig,
  toNewrelicModel,
  toPrivateModel,
} from '../../src/model/derivatives.js';
import { optionFor } from '../../src/model/options.js';
import { publicImageFromFlags } from '../../src/model/public-image.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { renderAppFiles, renderTemplate } from '../../src/render/render.js';
import { fixtureRepo } from '../support/fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const facts = analyzeRepo(new DiskReader(fixtureRepo('standard')));
const OPERATOR = {
  baseImage: 'docker.io/openedx/minicreds:main',
  service: 'minicreds',
  port: '18150',
  wsgiApp: 'minicreds.wsgi:application',
};

/** Per fuzzed option: a plain value, and how to render the Dockerfile the value reaches. */
const TARGETS: {
  flag: string;
  plain: string;
  render: (flags: Record<string, unknown>, stored: Record<string, unknown>) => string;
}[] = [
  ...[
    'service',
    'settings-module',
    'config-var',
    'config-path',
    'python-version',
    'port',
    'debian-release',
    'workers',
    'uid',
    'venv-path',
    'app-dir',
    'example-config',
  ].map((flag) => ({
    flag,
    plain: String(resolveConfig(facts, {})[optionFor(flag).key as keyof GeneratorConfig]),
    render: (flags: Record<string, unknown>, stored: Record<string, unknown>) =>
      renderAppFiles(facts, resolveConfig(facts, { flags, stored })).get('Dockerfile')!,
  })),
  ...['newrelic-version', 'newrelic-file'].map((flag) => ({
    flag,
    plain: flag === 'newrelic-version' ? '9.13.0' : 'Dockerfile.nr',
    render: (flags: Record<string, unknown>, stored: Record<string, unknown>) =>
      renderTemplate(
        'newrelic/Dockerfile.ejs',
        toNewrelicModel(
          publicImageFromFlags(OPERATOR, 'fuzz'),
          resolveNewrelicConfig(flags, stored as Partial<NewrelicConfig>),
        ),
      ),
  })),
  ...(
    [
      ['apt-packages', 'libmagic1'],
      ['pip-packages', 'plugin==1.0'],
      ['private-requirements', 'requirements/private.txt'],
      ['copy', 'themes:themes'],
      ['index-secret', 'pip_index_url'],
      ['private-file', 'Dockerfile.priv'],
    ] as const
  ).map(([flag, plain]) => ({
    flag,
    plain,
    render: (flags: Record<string, unknown>, stored: Record<string, unknown>) =>
      renderTemplate(
        'private/Dockerfile.ejs',
        toPrivateModel(
          publicImageFromFlags(OPERATOR, 'fuzz'),
          resolvePrivateConfig(flags, stored as Partial<PrivateConfig>),
        ),
      ),
  })),
  ...['base-image', 'service', 'port', 'wsgi-app', 'gunicorn-config', 'uid', 'app-dir', 'workers'].map((flag) => ({
    flag: `operator ${flag}`,
    plain:
      { 'gunicorn-config': 'minicreds/gunicorn.py', uid: '1000', 'app-dir': '/edx/app/minicreds', workers: '2' }[
        flag
      ] ?? (OPERATOR as Record<string, string>)[optionFor(flag).key]!,
    render: (flags: Record<string, unknown>) =>
      renderTemplate(
        'newrelic/Dockerfile.ejs',
        toNewrelicModel(
          publicImageFromFlags({ ...OPERATOR, gunicornConfig: 'minicreds/gunicorn.py', ...flags }, 'fuzz'),
          resolveNewrelicConfig({}),
        ),
      ),
  })),
];

/** The option behind a target (operator targets fuzz the flag after the prefix). */
const optionOf = (target: { flag: string }) => optionFor(target.flag.replace(/^operator /, ''));

/** Strings built to break out: newlines, quotes, $, backslashes, separators, flags, plus any text. */
const hostile = fc.oneof(
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc
    .array(
      fc.constantFrom(
        '\n',
        '\r',
        '"',
        "'",
        '$',
        '`',
        '\\',
        ' ',
        ';',
        '&&',
        '|',
        '..',
        '/',
        ':',
        ',',
        '=',
        '@',
        '-',
        '--',
        '#',
        '\t',
        'RUN',
        'x',
        '1',
        '.yml',
        'a',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

function keywords(dockerfile: string): string[] {
  return DockerfileParser.parse(dockerfile)
    .getInstructions()
    .map((instruction) => instruction.getKeyword());
}

describe('every option value is refused or harmless', () => {
  it.each(TARGETS.map((target) => [target.flag, target] as const))('%s', (_flag, target) => {
    const spec = optionOf(target);
    // A list keeps the plain item first, so the value never empties the list (which drops a RUN).
    const withPlain = (value: string) => (spec.kind === 'list' ? `${target.plain},${value}` : value);
    fc.assert(
      fc.property(hostile, fc.boolean(), (value, fromStored) => {
        const raw = withPlain(value);
        const asStored = spec.kind === 'list' ? raw.split(',') : raw;
        const storedKey = spec.stored[spec.stored.length - 1]!.split('.').pop()!;
        const stored = target.flag.startsWith('operator') ? {} : { [spec.decision ? spec.key : storedKey]: asStored };
        let rendered: string;
        try {
          rendered =
            fromStored && !target.flag.startsWith('operator')
              ? target.render({}, stored)
              : target.render({ [spec.key]: raw }, {});
        } catch (error) {
          if (error instanceof InvalidOptionError) return;
          throw error;
        }
        // Accepted: same instructions as for the plain value (as many items, for a list).
        const items =
          spec.kind === 'list'
            ? raw
                .split(/[\s,]+/)
                .filter(Boolean)
                .map(() => target.plain)
                .join(',')
            : target.plain;
        // An empty --config-var is a decision of its own (the settings read no YAML: no config
        // check ENTRYPOINT), so it is compared with itself rendered from a flag.
        const same = spec.key === 'configVar' && raw === '' ? '' : items;
        expect(keywords(rendered)).toEqual(keywords(target.render({ [spec.key]: same }, {})));
        for (const item of spec.kind === 'list' ? raw.split(/[\s,]+/) : [raw.trim()])
          expect(item).not.toMatch(/[\n\r"'$`\\;| \t]/);
      }),
      { numRuns: 150 * RUNS },
    );
  });
});
