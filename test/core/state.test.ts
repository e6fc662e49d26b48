import { describe, expect, it } from 'vitest';
import { readStoredDecisions } from '../../src/core/state.js';
import { BadStateFileError } from '../../src/core/state.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const yoRc = (decisions: unknown) =>
  new MemoryReader({ '.yo-rc.json': JSON.stringify({ 'generator-openedx-ida': decisions }) });

describe('readStoredDecisions', () => {
  // Each output reads its section as an object: a string or a list there was silently taken for
  // "no decisions" (compose, kubernetes, ci), so a hand-broken .yo-rc.json regenerated with defaults.
  it.each(['compose', 'kubernetes', 'ci', 'tutor', 'vault', 'newrelic', 'private', 'operator'])(
    'refuses a %s section that is not an object, in one line naming the key',
    (key) => {
      for (const value of ['x', [1], null, 3]) {
        let error: unknown;
        try {
          readStoredDecisions(yoRc({ [key]: value }));
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(BadStateFileError);
        expect((error as BadStateFileError).oneLine).toBe(
          `.yo-rc.json is not valid JSON ("${key}" is ${JSON.stringify(value)}: not an object); ` +
            'fix or remove .yo-rc.json, then run again',
        );
      }
    },
  );

  it('accepts sections that are objects and keys that are not sections', () => {
    const decisions = { compose: { file: 'compose.yaml' }, kubernetes: {}, port: 8000, baseImage: 'x:1' };
    expect(readStoredDecisions(yoRc(decisions))).toEqual(decisions);
  });
});
