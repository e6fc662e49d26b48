import fs from 'fs-extra';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../src/package-info.js';
import { listFiles } from './support/fixtures.js';

describe('templates', () => {
  const templates = listFiles(TEMPLATES_DIR).filter((file) => file.endsWith('.ejs'));

  it('exist', () => expect(templates.length).toBeGreaterThan(0));

  it.each(templates)('%s uses only <%%- (<%%= would HTML-escape && into &amp;&amp;)', (file) => {
    expect(fs.readFileSync(join(TEMPLATES_DIR, file), 'utf8')).not.toContain('<%=');
  });

  it.each(templates)('%s calls no helpers and does no arithmetic', (file) => {
    const tags = fs.readFileSync(join(TEMPLATES_DIR, file), 'utf8').match(/<%[-_]?([\s\S]*?)[-_]?%>/g) ?? [];
    for (const tag of tags) expect(tag).not.toMatch(/\w\(|[+*/]|\.(join|map|filter|replace)\b/);
  });
});
