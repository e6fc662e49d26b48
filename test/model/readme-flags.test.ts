import fs from 'fs-extra';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTIONS, type OptionSpec } from '../../src/model/options.js';

const README_PATH = join(__dirname, '..', '..', 'README.md');
const README = fs.readFileSync(README_PATH, 'utf8');

/** The README row an option must have: flag, stored keys, generators, prompt, default. */
function readmeRow(spec: OptionSpec): string {
  const flag = `\`--${spec.flag}\`${spec.alias ? ` / \`-${spec.alias}\`` : ''}`;
  const keys = spec.stored.length > 0 ? spec.stored.map((key) => `\`${key}\``).join(', ') : 'not stored';
  return `| ${flag} | ${keys} | ${spec.generators.join(', ')} | ${spec.prompt ? 'yes' : 'no'} | ${spec.defaultText} |`;
}

/** Rows of the README's flag table (the one whose header starts with `| flag | key |`). */
function readmeFlagRows(): string[] {
  const lines = README.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| flag | key |'));
  const rows: string[] = [];
  for (let index = start + 2; start >= 0 && lines[index]?.startsWith('|'); index += 1) rows.push(lines[index]!);
  return rows;
}

describe('README flag table', () => {
  // UPDATE_README=1 rewrites the table from the options table (review the diff), as `npm run golden` does for fixtures.
  if (process.env.UPDATE_README === '1') {
    const rows = readmeFlagRows();
    const updated = README.replace(rows.join('\n'), OPTIONS.map(readmeRow).join('\n'));
    if (rows.length > 0 && updated !== README) fs.writeFileSync(README_PATH, updated);
  }

  it('has every option of the options table, as the table declares it, and nothing else', () => {
    // On failure, the expected rows are the table to paste into README.md.
    expect(readmeFlagRows().join('\n')).toBe(OPTIONS.map(readmeRow).join('\n'));
  });

  it('names every flag only once', () => {
    const flags = readmeFlagRows().map((row) => /`--([a-z0-9-]+)`/.exec(row)?.[1]);
    expect(new Set(flags).size).toBe(flags.length);
  });
});
