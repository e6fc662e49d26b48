/** Import from the Ansible configuration: Jinja with Ansible's semantics, layered vars, the operator's YAML. */
import fs from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { IdaError } from '../../src/errors.js';
import { importFromAnsible } from '../../src/config/ansible/import.js';
import { Jinja } from '../../src/config/ansible/jinja.js';
import { Scope } from '../../src/config/ansible/scope.js';
import { Unresolved } from '../../src/config/ansible/values.js';
import { parseVarsText } from '../../src/config/ansible/vars-file.js';
import { FIXTURES_DIR } from '../support/fixtures.js';

const CHECKOUT = join(FIXTURES_DIR, 'ansible-configuration');
const VARS = join(FIXTURES_DIR, 'ansible-vars');

function scopeOf(...texts: string[]): Scope {
  return new Scope(
    new Jinja(),
    texts.map((text, index) => parseVarsText(text, `layer${index}.yml`)),
  );
}

describe('Jinja with Ansible semantics', () => {
  const jinja = new Jinja();
  const none = () => undefined;
  it.each([
    ['a + b', { a: [1], b: [2] }, [1, 2]],
    ['d | combine(e)', { d: { x: 1, y: { p: 1 } }, e: { y: { q: 2 } } }, { x: 1, y: { q: 2 } }],
    ['d | combine(e, recursive=True)', { d: { y: { p: 1 } }, e: { y: { q: 2 } } }, { y: { p: 1, q: 2 } }],
    ["x | default('z')", { x: new Unresolved('x') }, 'z'],
    ["x | d('z')", {}, 'z'],
    ["x | default('z', true)", { x: '' }, 'z'],
    ['x | bool', { x: 'yes' }, true],
    ['x | bool', { x: 'off' }, false],
    ['x | string', { x: true }, 'True'],
    ['x | int', { x: '18150' }, 18150],
    ["x | join(',')", { x: ['a', 'b'] }, 'a,b'],
    ["x | regex_replace('^\\\\/', '')", { x: '/media/' }, 'media/'],
    ["x | regex_replace('^(.*)$', 'edx.\\\\1')", { x: 'high' }, 'edx.high'],
    ['x | lower', { x: 'DEBUG' }, 'debug'],
    ['x | upper', { x: 'en' }, 'EN'],
    ["x | ternary('on', 'off')", { x: false }, 'off'],
    ['x | to_json', { x: { b: 1, a: [true] } }, '{"a":[true],"b":1}'],
    ['x | to_nice_yaml', { x: { b: 1, a: 'on' } }, 'a: on\nb: 1\n'],
    [
      "w | selectattr('s', 'equalto', 'lms') | map(attribute='q') | list",
      {
        w: [
          { s: 'lms', q: 'a' },
          { s: 'cms', q: 'b' },
        ],
      },
      ['a'],
    ],
    ["x | map('upper') | list", { x: ['a'] }, ['A']],
    ["'y' if x is defined else 'n'", { x: new Unresolved('x') }, 'n'],
    ["'y' if x is none else 'n'", { x: null }, 'y'],
  ])('%s', (expression, context, expected) => {
    expect(jinja.evaluate(expression, context, none)).toEqual(expected);
  });

  it("writes Python's str() of a value into text", () => {
    expect(jinja.render('{{ t }} {{ l }} {{ n }} {{ d }}', { t: true, l: ['a'], n: null, d: { k: 1 } }, none)).toBe(
      "True ['a'] None {'k': 1}",
    );
  });

  it('runs {% do %} for its side effect, on a copy made with .copy()', () => {
    const template =
      '{% for k, v in c.copy().items() %}{% if v is none %}{% do c.pop(k) %}{% endif %}{% endfor %}{{ c | to_json }}';
    expect(jinja.render(template, { c: { a: 1, b: null } }, none)).toBe('{"a":1}');
  });

  it('reports an unresolved variable only when its placeholder reaches the output', () => {
    const seen: string[] = [];
    const record = (value: unknown) => seen.push((value as Unresolved).name);
    expect(jinja.render("{{ x | default('fine') }}", { x: new Unresolved('x') }, record)).toBe('fine');
    expect(seen).toEqual([]);
    expect(jinja.render('http://{{ x }}/a', { x: new Unresolved('lms_host') }, record)).toBe(
      'http://CHANGE-ME-lms-host/a',
    );
    expect(seen).toEqual(['lms_host']);
  });
});

describe('Scope', () => {
  it('templates variables recursively and lazily, the highest layer winning', () => {
    const scope = scopeOf("A: 'low'\nB: '{{ A }}/x'\nC: '{{ B }}'\n", "A: 'high'\n");
    expect(scope.resolve('C')).toBe('high/x');
  });

  it('types values as ansible-core 2.14 does (its output for the same vars, recorded by hand)', () => {
    const scope = scopeOf(
      [
        'A: 60',
        "B: '{{ A }}'",
        "C: '{{ B }}'",
        'OUT:',
        "  a: '{{ A }}'",
        "  b: '{{ B }}'",
        "  c: '{{ C }}'",
        "  d: '{{ A | int }}'",
        "  e: '{{ A + 1 }}'",
        `  f: "{{ '5' | int }}"`,
        "  g: '{{ N }}'",
        "  h: '{{ L }}'",
        "  i: '{{ T }}'",
        "  j: 'x{{ A }}'",
        'N: !!null',
        "L: ['{{ A }}']",
        "T: '{{ A == 60 }}'",
        "WRAP: '{{ OUT }}'",
      ].join('\n'),
    );
    expect(scope.resolve('WRAP')).toEqual({
      a: 60,
      b: '60',
      c: '60',
      d: '60',
      e: '61',
      f: '5',
      g: null,
      h: [60],
      i: true,
      j: 'x60',
    });
  });

  it('names a recursive loop with the file and line', () => {
    const scope = scopeOf("A: '{{ B }}'\nB: '{{ A }}'\n");
    expect(() => scope.resolve('A')).toThrow(/layer0\.yml:\d+ \(\w\): recursive loop: A -> B -> A/);
  });

  it('names the file and line of a value inside a dict that fails to render', () => {
    const scope = scopeOf("OK: 1\nD:\n  a: 1\n  b: '{{ OK | no_such_filter }}'\n");
    expect(() => scope.resolve('D')).toThrow(/Jinja error at layer0\.yml:4 \(D\.b\): .*no_such_filter/);
  });
});

describe('importFromAnsible on a checkout shaped like openedx/configuration', () => {
  const both = [join(VARS, 'base.yml'), join(VARS, 'override.yml')];

  it("renders edx_service's config template with the role parameters, defaults and the operator's vars", () => {
    const result = importFromAnsible({ checkout: CHECKOUT, service: 'minicreds', varsFiles: both });
    expect(result.role).toBe('minicreds');
    const config = parse(result.text);
    expect(config).toEqual(result.config);
    expect(config).toMatchObject({
      // The role parameters pass the role's own variables to edx_django_service.
      DATABASES: {
        default: {
          HOST: 'db.example.internal',
          NAME: 'minicreds',
          USER: 'minicreds001',
          PORT: '3306',
          CONN_MAX_AGE: 60,
        },
      },
      CACHES: { default: { KEY_PREFIX: 'minicreds', LOCATION: ['memcache'] } },
      // A common var the operator overrides, read three templates deep.
      EDX_DRF_EXTENSIONS: { OAUTH2_USER_INFO_URL: 'https://lms.example.com/user_info' },
      JWT_AUTH: { JWT_ISSUERS: [{ ISSUER: 'https://lms.example.com/oauth2' }] },
      SECRET_KEY: 'operator-secret-key-1',
      EXTRA_KEY: 'from the operator',
      URL_ROOT: 'http://minicreds:18150',
      FEATURE_ENABLED: true,
      SANDBOX: false,
      LANGUAGES: 'EN,ES_419',
      CORS_ORIGIN_WHITELIST: ['minicreds'],
      MEDIA_PREFIX: 'media/',
      NGINX_PORT: '18150',
      PLATFORM_NAME: 'Open edX',
      MODE: 'on',
      LOG_LEVEL: 'debug',
      JSON_SETTINGS: '{"a":1}',
      BROKER_URL: 'redis://:@10.0.0.5:6379/0',
      API_ROOT: null,
      TIME_ZONE: 'UTC',
    });
    // The later vars file wins.
    expect(config.DATABASES.default.PASSWORD).toBe('operator-db-password-2');
    // An integer key stays one (django-parler looks PARLER_LANGUAGES up by SITE_ID).
    expect(result.text).toMatch(/^PARLER_LANGUAGES:\n {2}1:\n/m);
    // PyYAML would read a bare `on` as true.
    expect(result.text).toContain('MODE: "on"');
  });

  it('lists unresolved variables by name, where they are read and which file would define them', () => {
    const result = importFromAnsible({ checkout: CHECKOUT, service: 'minicreds', varsFiles: [join(VARS, 'base.yml')] });
    expect(result.unresolved.map((variable) => [variable.name, variable.definedIn])).toEqual([
      ['ansible_default_ipv4', null],
      ['EDXAPP_LMS_ROOT_URL', 'playbooks/roles/edxapp/defaults/main.yml'],
    ]);
    expect(result.unresolved[1]!.readAt).toEqual([
      'playbooks/roles/minicreds/defaults/main.yml:30 (minicreds_config.LMS_ROOT_URL)',
    ]);
    expect(result.config.LMS_ROOT_URL).toBe('CHANGE-ME-edxapp-lms-root-url');
    expect(result.config.BROKER_URL).toBe('redis://:@CHANGE-ME-ansible-default-ipv4:6379/0');
    expect(result.text).toMatch(/# unresolved: EDXAPP_LMS_ROOT_URL\nLMS_ROOT_URL:/);
    expect(result.text).toMatch(/^# {3}EDXAPP_LMS_ROOT_URL: defined in playbooks\/roles\/edxapp/m);
  });

  it("keeps the operator's secrets and names the secrets still at the role default", () => {
    const result = importFromAnsible({ checkout: CHECKOUT, service: 'minicreds', varsFiles: both });
    expect(result.defaultSecrets).toEqual(['JWT_AUTH.JWT_ISSUERS.0.SECRET_KEY']);
    expect(result.config.SECRET_KEY).toBe('operator-secret-key-1');
  });

  it('drops None values when the operator sets edx_service_config_filter_nones, as the template does', () => {
    const dir = fs.mkdtempSync(join(fs.realpathSync('/tmp'), 'ansible-vars-'));
    fs.writeFileSync(join(dir, 'nones.yml'), 'edx_service_config_filter_nones: true\n');
    const result = importFromAnsible({ checkout: CHECKOUT, service: 'minicreds', varsFiles: [join(dir, 'nones.yml')] });
    expect(result.config).not.toHaveProperty('API_ROOT');
    expect(result.config).toHaveProperty('TIME_ZONE', 'UTC');
  });

  it("renders an older role's <SVC>_SERVICE_CONFIG and the keys its own template adds", () => {
    const result = importFromAnsible({ checkout: CHECKOUT, service: 'worker', varsFiles: [] });
    expect(result.config).toEqual({
      LOG_DIR: '/var/log/worker',
      QUEUE_HIGH: 'high',
      QUEUE_LOW: 'low',
      BROKER_URL: 'amqp://worker:password@localhost:5672',
      MAX_RETRIES: 11,
    });
  });

  it('renders the config handed to edx_service_with_rendered_config (xqueue, minos), with its None filter', () => {
    const result = importFromAnsible({ checkout: CHECKOUT, service: 'rendered', varsFiles: [] });
    expect(result.config).toEqual({ QUEUE: 'rendered' });
  });

  it('reads a vault-encrypted value as unresolved, with what to do', () => {
    const result = importFromAnsible({
      checkout: CHECKOUT,
      service: 'minicreds',
      varsFiles: [join(VARS, 'vault.yml')],
    });
    const vault = result.unresolved.find((variable) => variable.name.startsWith('MINICREDS_MYSQL_PASSWORD'));
    expect(vault?.hint).toMatch(/ansible-vault decrypt/);
  });

  it.each([
    [
      { checkout: '/nonexistent-checkout', service: 'minicreds' },
      /\/nonexistent-checkout is not a checkout .*no such directory/,
    ],
    [{ checkout: FIXTURES_DIR, service: 'minicreds' }, /no playbooks\/roles\/ in it/],
    [{ checkout: CHECKOUT, service: 'minicred' }, /no role for the service "minicred" .*the nearest are minicreds, /],
    [
      { checkout: CHECKOUT, service: 'brokenjinja' },
      /Jinja error at playbooks\/roles\/brokenjinja\/defaults\/main\.yml:4 \(brokenjinja_overrides\.BROKEN\): .*no_such_filter/,
    ],
    [
      { checkout: CHECKOUT, service: 'minicreds', varsFiles: [join(VARS, 'broken.yml')] },
      /ansible-vars\/broken\.yml:4: not valid YAML/,
    ],
  ])('refuses bad input in one line: %o', (request, message) => {
    let error: IdaError | undefined;
    try {
      importFromAnsible({ varsFiles: [], ...request });
    } catch (caught) {
      error = caught as IdaError;
    }
    expect(error).toBeInstanceOf(IdaError);
    expect(error!.oneLine).toMatch(message);
    expect(error!.oneLine).not.toContain('\n');
    // A broken vars file is never quoted: it holds secrets.
    expect(error!.oneLine).not.toContain('unclosed');
  });
});
