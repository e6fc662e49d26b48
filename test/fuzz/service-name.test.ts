/**
 * The service name the tool derives must pass its own validator: `app --yes` once rejected
 * the name `detect` had found (`--service "VEDA" is not valid`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeRepo } from '../../src/analyze/analyze.js';
import { detectServiceName } from '../../src/analyze/config-load.js';
import { DECISIONS, resolveConfig } from '../../src/model/decisions.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { fixtureNames, fixtureRepo } from '../support/fixtures.js';

const validate = DECISIONS.find((decision) => decision.key === 'service')!.validate!;
const RUNS = Number(process.env.FUZZ_RUNS ?? 1) * 300;

/** Python identifiers of every case, as package directories are named. */
const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);

describe('derived service names', () => {
  it.each(fixtureNames().filter((name) => !['not-django', 'operator'].includes(name)))(
    'are valid for fixture %s',
    (name) => {
      const facts = analyzeRepo(new DiskReader(fixtureRepo(name)));
      expect(validate(facts.service.value)).toBe(true);
      expect(() => resolveConfig(facts, {})).not.toThrow();
    },
  );

  it.each([
    ['VEDA', null, 'veda'],
    ['_private_pkg', null, 'private-pkg'],
    ['svc', 'VIDEO_PIPELINE_CFG', 'video_pipeline'],
    ['svc', '_X_CFG', 'x'],
  ])('package %s, variable %s → %s', (pkg, variable, expected) => {
    const configLoad = variable
      ? {
          value: {
            variable,
            required: true,
            fileInDirectory: null,
            loader: 'yaml.safe_load',
            module: 'm.py',
            line: 1,
            dictUpdateKeys: [],
          },
          source: 'm.py:1',
          rule: '',
        }
      : { value: null, source: null, rule: '' };
    expect(detectServiceName(configLoad, { value: pkg, source: null, rule: '' }).value).toBe(expected);
  });

  it('are valid for random package names and config variables', () => {
    fc.assert(
      fc.property(identifier, fc.option(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,24}$/)), (pkg, variable) => {
        const configLoad = variable
          ? {
              value: {
                variable,
                required: true,
                fileInDirectory: null,
                loader: 'yaml.safe_load',
                module: 'm.py',
                line: 1,
                dictUpdateKeys: [],
              },
              source: 'm.py:1',
              rule: '',
            }
          : { value: null, source: null, rule: '' };
        expect(validate(detectServiceName(configLoad, { value: pkg, source: null, rule: '' }).value)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
