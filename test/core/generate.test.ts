import { describe, expect, it } from 'vitest';
import { generate } from '../../src/core/generate.js';
import { InvalidOptionError, NoServiceSourceError } from '../../src/errors.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { fixtureRepo } from '../support/fixtures.js';

describe('generate', () => {
  const reader = new DiskReader(fixtureRepo('standard'));

  it('refuses stored decisions that give two generated files one name, naming both', () => {
    const stored = { newrelic: { file: 'Dockerfile.variant' }, private: { file: 'dockerfile.VARIANT' } };
    expect(() => generate(reader, stored, { targets: ['newrelic', 'private'] })).toThrow(InvalidOptionError);
    expect(() => generate(reader, stored, { targets: ['newrelic', 'private'] })).toThrow(
      /the private file \(private\.file\) and the New Relic file \(newrelic\.file\) both name dockerfile\.VARIANT/,
    );
  });

  it('renders both variants when their names differ', () => {
    const stored = { newrelic: { file: 'Dockerfile.nr' }, private: { file: 'Dockerfile.priv' } };
    const generation = generate(reader, stored, { targets: ['newrelic', 'private'] });
    expect([...generation.files.keys()]).toEqual(['Dockerfile.nr', 'Dockerfile.priv']);
  });

  it("refuses a run whose file is another stored output's file (compose over the CI workflow)", () => {
    const stored = { service: 'minicreds', ci: {}, compose: {} };
    const workflow = [...generate(reader, stored, { targets: ['ci'] }).files.keys()][0]!;
    const run = () => generate(reader, stored, { targets: ['compose'], flags: { localConfig: workflow } });
    expect(run).toThrow(InvalidOptionError);
    expect(run).toThrow(
      new RegExp(`names ${workflow.replace(/[.]/g, '\\.')}, which the stored .*ci.* output already writes`),
    );
    // The same name with nothing stored there is fine.
    expect(() =>
      generate(reader, { service: 'minicreds' }, { targets: ['compose'], flags: { localConfig: workflow } }),
    ).not.toThrow();
  });

  it.each([
    ['compose', 'the compose stack'],
    ['kubernetes', 'the Kubernetes manifests'],
    ['tutor', 'the Tutor plugin'],
    ['ci', 'the CI workflow'],
  ] as const)('refuses %s in a repo with no service with the one typed error, one line', (target, output) => {
    const operator = new DiskReader(fixtureRepo('operator'));
    let error: unknown;
    try {
      generate(operator, {}, { targets: [target] });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(NoServiceSourceError);
    const line = (error as NoServiceSourceError).oneLine;
    expect(line).toBe(
      `${operator.label} holds no Django service to generate ${output} from (it is made from the service's own ` +
        `source); ` +
        `run openedx-ida ${target} at the root of the service's repository`,
    );
    expect(line).not.toContain('\n');
  });
});
