import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/errors.js';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolveNewrelicConfig, resolvePrivateConfig, toPrivateModel } from '../../src/model/derivatives.js';
import { DEFAULTS, OPTIONS, optionFor, validateOption, yeomanOptions } from '../../src/model/options.js';
import { publicImageFromFlags } from '../../src/model/public-image.js';

describe('generated file names', () => {
  const OWN = [
    '.yo-rc.json',
    '.openedx-ida/facts.json',
    '.openedx-ida/pristine/Dockerfile',
    '.dockerignore',
    'Dockerfile',
    'dockerfile',
  ];

  it.each([...OWN, 'Dockerfile.newrelic', 'x.example.yml'])(
    '--private-file %s is refused: the tool or another file owns it',
    (file) => {
      expect(() => resolvePrivateConfig({ privateFile: file })).toThrow(InvalidOptionError);
    },
  );

  it.each([...OWN, 'Dockerfile.private'])('--newrelic-file %s is refused', (file) => {
    expect(() => resolveNewrelicConfig({ newrelicFile: file })).toThrow(/--newrelic-file/);
  });

  it("refuses the other variant's file when both are given as flags", () => {
    expect(() => resolveNewrelicConfig({ newrelicFile: 'Dockerfile.ops', privateFile: 'Dockerfile.ops' })).toThrow(
      /other variant's file/,
    );
    expect(() => resolvePrivateConfig({ newrelicFile: 'Dockerfile.ops', privateFile: 'Dockerfile.ops' })).toThrow(
      /other variant's file/,
    );
  });

  it('refuses a stored file name, naming .yo-rc.json and the key', () => {
    expect(() => resolvePrivateConfig({}, { file: '.yo-rc.json' })).toThrow(
      /private\.file in \.yo-rc\.json \(--private-file\)/,
    );
  });

  it.each(['.openedx-ida/x.yml', '.openedx-ida/pristine/minicreds.example.yml'])(
    '--example-config %s is refused',
    (file) => {
      expect(() => validateOption(optionFor('example-config'), file, { from: 'flag' })).toThrow(/--example-config/);
    },
  );

  // Git's own directory: a write there corrupts the checkout and no `git status` shows it.
  it.each([
    ['k8s-dir', '.git'],
    ['k8s-dir', '.GIT/hooks'],
    ['compose-file', '.git/compose.yaml'],
    ['local-config', '.git/x.local.yml'],
    ['example-config', '.git/x.example.yml'],
  ])('--%s %s (inside .git) is refused', (flag, file) => {
    expect(() => validateOption(optionFor(flag), file, { from: 'flag' })).toThrow(new RegExp(`--${flag}`));
  });

  it('accepts files of their own', () => {
    expect(resolvePrivateConfig({ privateFile: 'docker/Dockerfile.ops' }).file).toBe('docker/Dockerfile.ops');
    expect(resolveNewrelicConfig({}).file).toBe(DEFAULTS.newrelicFile);
  });
});

describe('options table', () => {
  it('declares each flag once, each with a generator', () => {
    expect(new Set(OPTIONS.map((spec) => spec.flag)).size).toBe(OPTIONS.length);
    for (const spec of OPTIONS) expect(spec.generators.length).toBeGreaterThan(0);
  });

  it('gives each generator its Yeoman options, numbers and lists as String', () => {
    const names = yeomanOptions('newrelic').map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'yes',
        'base-image',
        'service',
        'port',
        'uid',
        'app-dir',
        'newrelic-version',
        'newrelic-file',
      ]),
    );
    expect(names).not.toContain('apt-packages');
    expect(Object.fromEntries(yeomanOptions('app'))['port']!.type).toBe(String);
    expect(Object.fromEntries(yeomanOptions('app'))['yes']!.alias).toBe('y');
  });

  it('types raw values: flags as text, stored lists as arrays', () => {
    expect(validateOption(optionFor('apt-packages'), 'libmagic1, curl', { from: 'flag' })).toEqual([
      'libmagic1',
      'curl',
    ]);
    expect(validateOption(optionFor('uid'), ' 1234 ', { from: 'flag' })).toBe(1234);
    expect(() =>
      validateOption(optionFor('apt-packages'), 'libmagic1', { from: 'stored', key: 'private.aptPackages' }),
    ).toThrow(/list of strings/);
    expect(() => validateOption(optionFor('cache-mounts'), 'maybe', { from: 'stored', key: 'cacheMounts' })).toThrow(
      /true or false/,
    );
    expect(() => validateOption(optionFor('uid'), { a: 1 }, { from: 'stored', key: 'uid' })).toThrow(
      /uid in \.yo-rc\.json/,
    );
  });

  it('defaults the operator image as the app does, from one place', () => {
    const image = publicImageFromFlags(
      { baseImage: 'docker.io/openedx/x:main', service: 'x', port: '8000' as never, wsgiApp: 'x.wsgi:application' },
      'repo',
    );
    expect(image).toMatchObject({ uid: DEFAULTS.uid, appDir: '/edx/app/x', port: 8000 });
    expect(image.command).toContain(`--workers=${DEFAULTS.workers}`);
  });
});

describe('pip requirements in the private RUN line', () => {
  it('reach pip as one word each, whatever sh makes of <, >, [ and ~', () => {
    const image = publicImageFromFlags(
      { baseImage: 'docker.io/openedx/x:main', service: 'x', port: 8000, wsgiApp: 'x.wsgi:application' },
      'repo',
    );
    const packages = ['plain==1.0', 'ranged>=1.0', 'capped<2', 'xb[extra]~=2.1', 'neq!=3'];
    const model = toPrivateModel(image, resolvePrivateConfig({ pipPackages: packages.join(',') }));
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${model.pipArgs}`], { cwd: tmpdir(), encoding: 'utf8' });
    expect(words.trim().split('\n')).toEqual(packages);
  });
});
