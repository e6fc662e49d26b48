import { describe, expect, it } from 'vitest';
import * as g from '../../src/grammar.js';

/** Per grammar: values it must accept and values it must refuse. */
const TABLE: [string, g.Grammar, string[], string[]][] = [
  [
    'absolutePath',
    g.absolutePath,
    ['/edx/app/credentials', '/opt/venv', '/srv/my_app-2', '/a/.hidden'],
    ['relative', '/a/../etc', '/a//b', '/a/', '/a b', '/a"b', '/a$HOME', '/a\nRUN x', '/a\\b', '/-rf', '/a/./b', '/'],
  ],
  [
    'relativePath',
    g.relativePath,
    ['themes', 'requirements/private.txt', '.env.example', 'a/b-c_d.e'],
    ['/abs', '../up', 'a/../b', 'a//b', 'a b', '-rf', 'a\nb', '"x"', '.', 'a/'],
  ],
  [
    'debianPackage',
    g.debianPackage,
    ['libmagic1', 'g++', 'libxml2-dev', 'python3.11', 'libfoo:amd64', 'curl=7.88.1-10+deb12u5'],
    ['A', 'x', 'lib magic', '-y', 'libmagic1;id', 'curl&&id', 'pkg\nRUN'],
  ],
  [
    'pipRequirement',
    g.pipRequirement,
    ['plugin', 'my-plugin==1.2.0', 'xblock[extra]>=2.0', 'Django~=4.2', 'pkg@https://example.com/pkg-1.0.tar.gz'],
    [
      '--index-url=https://x',
      '-e',
      'pkg; id',
      'pkg@https://user:pass@host/p',
      'pkg==1.0 --pre',
      'pkg\nRUN',
      "pkg'",
      'https://host/x',
    ],
  ],
  [
    'imageReference',
    g.imageReference,
    [
      'docker.io/openedx/credentials:redwood',
      'localhost:5000/x:1',
      'registry.example.com/openedx/minicreds:redwood.1',
      'ubuntu',
      `img@sha256:${'a'.repeat(64)}`,
    ],
    ['Upper/Case:tag', 'x:tag\nRUN id', 'x y', 'x:"t"', 'x:$TAG', ':tag', 'x::t', '-x'],
  ],
  [
    'pep440Release',
    g.pep440Release,
    ['9.13.0', '10', '1.2rc1', '1.0.post2', '1.0.dev3'],
    ['v9', '9.13.0 && id', '', '9.x', '1\n'],
  ],
  ['secretId', g.secretId, ['pip_index_url', 'index.url-2'], ['x,src=/etc/passwd', 'a/b', '', 'a b', '../x']],
  [
    'serviceName',
    g.serviceName,
    ['credentials', 'course-discovery', 'ecommerce_worker'],
    ['Credentials', '-x', 'a b', 'a"', ''],
  ],
  ['envName', g.envName, ['CREDENTIALS_CFG', '_X'], ['1X', 'A-B', 'A B', '$X']],
  ['wsgiApp', g.wsgiApp, ['credentials.wsgi:application', 'app:create_app()'], ['x', 'x:y;id', 'x y:z', 'a:b:c']],
  [
    'copySpec',
    g.copySpec,
    ['themes:themes', 'a/b:/abs/c', 'static:.'],
    ['themes', 'a:b:c', '/etc:x', '../x:y', 'x:../../etc', 'x:y z', '--from=x:y', '.:x', 'x:'],
  ],
  [
    'integerIn(1, 65535)',
    g.integerIn(1, 65535, 'a port'),
    ['1', '18150', '65535'],
    ['0', '65536', '-1', '1.5', '8000 ', '1e3', ''],
  ],
];

describe('grammars', () => {
  for (const [name, grammar, good, bad] of TABLE) {
    it.each(good)(`${name} accepts %j`, (value) => expect(grammar(value)).toBe(true));
    it.each(bad)(`${name} refuses %j, saying what to use`, (value) =>
      expect(grammar(value)).toMatch(/^(use|SRC|DEST|a |name)/),
    );
  }
});
