import fs from 'fs-extra';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/core/generate.js';
import { InvalidOptionError } from '../../src/errors.js';
import { resolveTutorConfig } from '../../src/model/tutor.js';
import { OFFICIAL_PLUGINS, tutorPluginName } from '../../src/model/tutor-grammar.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { toTutorConfigTemplate } from '../../src/render/tutor-config.js';
import { cli } from '../e2e/engines.js';
import { copyFixtureRepo, fixtureRepo, listFiles } from '../support/fixtures.js';

const PLUGIN_DIR = 'tutor-contrib-minicreds';

/** A generated copy of a fixture: the app first (its decisions), then the Tutor plugin. */
function generated(name = 'standard', flags: string[] = []): string {
  const dir = fs.mkdtempSync(join(tmpdir(), `openedx-ida-tutor-${name}-`));
  copyFixtureRepo(name, dir);
  for (const args of [
    [dir, '--yes'],
    ['tutor', dir, '--yes', ...flags],
  ]) {
    const result = cli(args);
    expect(result.status, result.stderr).toBe(0);
  }
  return dir;
}

describe('Tutor decisions', () => {
  it('default to the service: plugin name, host under the LMS, image tag main', () => {
    expect(resolveTutorConfig({}, undefined, 'license-manager')).toEqual({
      plugin: 'ida_license_manager',
      host: 'ida-license-manager.{{ LMS_HOST }}',
      version: 'main',
    });
  });

  it.each([...OFFICIAL_PLUGINS, 'mysql', 'openedx', 'jwt', 'id'])(
    'default for a service named %s to a plugin that shadows no official one',
    (service) => {
      const { plugin } = resolveTutorConfig({}, undefined, service);
      expect(plugin).toBe(`ida_${service}`);
      expect(tutorPluginName(plugin)).toBe(true);
      for (const official of OFFICIAL_PLUGINS) {
        expect(plugin).not.toBe(official);
        expect(`tutor${plugin.replace(/_/g, '')}`).not.toBe(`tutor${official}`);
        expect(plugin.toUpperCase().startsWith(`${official.toUpperCase()}_`)).toBe(false);
      }
    },
  );

  it.each([
    ['credentials', /shadow Tutor's official credentials plugin .*such as ida_credentials/],
    ['discovery', /official discovery plugin/],
    ['ecommerce', /official ecommerce plugin/],
    ['xqueue', /official xqueue plugin/],
    ['forum', /official forum plugin/],
    ['license_manager', /official license plugin .*LICENSE_\* config/],
    ['mf_e', /official mfe plugin .*module tutormfe/],
    ['jwt_common', /Tutor's own name jwt or its JWT_\* config/],
    ['platform_name', /Tutor's own name platform or its PLATFORM_\* config/],
  ])('refuse an explicit --tutor-plugin %s that would shadow another, in one line', (name, message) => {
    const attempt = () => resolveTutorConfig({ tutorPlugin: name }, undefined, 'minicreds');
    expect(attempt).toThrow(InvalidOptionError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(new RegExp(`^--tutor-plugin "${name}" is not valid \\([^\\n]*\\)$`));
  });

  it('accept a name of its own', () => {
    expect(resolveTutorConfig({ tutorPlugin: 'creds_service' }, undefined, 'credentials').plugin).toBe('creds_service');
  });

  it.each([
    [{ tutorPlugin: 'mysql' }, undefined, /--tutor-plugin "mysql" is not valid \(.*name a plugin of its own/],
    [{ tutorPlugin: 'Bad-Name' }, undefined, /--tutor-plugin "Bad-Name" is not valid/],
    [{ tutorHost: 'x.{{ 7*7 }}' }, undefined, /--tutor-host "x\.\{\{ 7\*7 \}\}" is not valid/],
    [{ tutorHost: 'a.{{ LMS_HOST }}.{{ LMS_HOST }}' }, undefined, /--tutor-host .* is not valid/],
    [{}, { host: 'evil"\nhost' }, /tutor\.host in \.yo-rc\.json \(--tutor-host\) is "evil\\"\\nhost": not valid/],
    [{}, { version: 'a b' }, /tutor\.version in \.yo-rc\.json \(--tutor-version\)/],
    [{}, { plugin: 7 }, /tutor\.plugin in \.yo-rc\.json/],
  ])('refuse %j / stored %j in one line', (flags, stored, message) => {
    const attempt = () => resolveTutorConfig(flags, stored as never, 'minicreds');
    expect(attempt).toThrow(InvalidOptionError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('the Tutor template of the YAML', () => {
  const input = { prefix: 'SVC', serviceHost: 'svc', exampleHost: 'svc.example.com' };

  it('writes repo text that Jinja would read as a template as a JSON literal, never as template text', () => {
    const example = [
      'SECRET_KEY: CHANGE-ME-secret-key',
      'GREETING: "Hello {{ user }} {% if x %}"',
      '"{{ KEY }}": 1',
      'MARKER: tutor__expr__0__',
      'PLAIN: plain',
    ].join('\n');
    const { template } = toTutorConfigTemplate(example, input, ['header']);
    expect(template).toContain('GREETING: {{ ("Hello {{ user }} {% if x %}")|tojson }}');
    expect(template).toContain('{{ ("{{ KEY }}")|tojson }}: 1');
    expect(template).toContain('MARKER: {{ ("tutor__expr__0__")|tojson }}');
    expect(template).toContain('SECRET_KEY: {{ (SVC_SECRET_KEY)|tojson }}');
    expect(template).toContain('PLAIN: plain');
    expect(template).not.toContain('ALLOWED_HOSTS');
    // Outside the expressions the generator wrote, no Jinja syntax is left.
    const outside = template.replace(/\{\{ \((?:"(?:[^"\\]|\\.)*"|[A-Z_]+)\)\|tojson \}\}/g, '');
    expect(outside).not.toMatch(/\{\{|\{%|\{#/);
  });

  it('turns every placeholder into generated config and every example host into Tutor config', () => {
    const example = [
      'OTHER_TOKEN: CHANGE-ME-other-token',
      'URL: https://svc.example.com/path',
      'BROKER: redis://redis.example.internal:6379/1',
      'LMS: http://lms.example.internal/api',
      'ALLOWED_HOSTS: [svc.example.com, localhost]',
    ].join('\n');
    const { template, needs } = toTutorConfigTemplate(example, input, []);
    expect(template).not.toMatch(/CHANGE-ME|example\./);
    expect(needs.unique.get('OTHER_TOKEN')).toBe('{{ 24|random_string }}');
    expect(template).toContain(
      'URL: {{ (("https" if ENABLE_HTTPS else "http") ~ "://" ~ SVC_HOST ~ "/path")|tojson }}',
    );
    expect(template).toContain('BROKER: {{ ("redis://" ~ REDIS_HOST ~ ":" ~ REDIS_PORT ~ "/1")|tojson }}');
    expect(template).toContain('LMS: {{ ("http://lms:8000" ~ "/api")|tojson }}');
    // Other containers reach the service by its compose/Kubernetes name.
    expect(template).toContain('ALLOWED_HOSTS: [ {{ (SVC_HOST)|tojson }}, localhost, svc ]');
  });
});

describe('the Tutor template of a broker URL built from its parts (enterprise-catalog)', () => {
  const input = { prefix: 'SVC', serviceHost: 'svc', exampleHost: 'svc.example.com' };

  it("takes every part from Tutor's Redis, never a generated password", () => {
    const example = [
      'CELERY_BROKER_TRANSPORT: redis',
      'CELERY_BROKER_USER: ""',
      'CELERY_BROKER_PASSWORD: CHANGE-ME-broker-password',
      'CELERY_BROKER_HOSTNAME: redis.example.internal:6379',
      'CELERY_BROKER_VHOST: "0"',
    ].join('\n');
    const { template, needs } = toTutorConfigTemplate(example, input, []);
    expect(template.trim().split('\n')).toEqual([
      'CELERY_BROKER_TRANSPORT: redis',
      'CELERY_BROKER_USER: {{ (REDIS_USERNAME)|tojson }}',
      'CELERY_BROKER_PASSWORD: {{ (REDIS_PASSWORD)|tojson }}',
      'CELERY_BROKER_HOSTNAME: {{ (REDIS_HOST ~ ":" ~ REDIS_PORT)|tojson }}',
      'CELERY_BROKER_VHOST: {{ (SVC_CELERY_REDIS_DB)|tojson }}',
    ]);
    expect([...needs.unique.keys()]).toEqual([]);
    expect(needs.defaults.get('CELERY_REDIS_DB')).toBe(0);
  });
});

describe('openedx-ida tutor', () => {
  it('writes the plugin with every key of the example YAML, and a second run is identical', () => {
    const repo = generated();
    const files = listFiles(join(repo, PLUGIN_DIR));
    expect(files).toEqual(
      expect.arrayContaining([
        'pyproject.toml',
        'README.md',
        'tutoridaminicreds/plugin.py',
        'tutoridaminicreds/patches/local-docker-compose-services',
        'tutoridaminicreds/patches/local-docker-compose-jobs-services',
        'tutoridaminicreds/patches/k8s-deployments',
        'tutoridaminicreds/patches/k8s-services',
        'tutoridaminicreds/patches/k8s-jobs',
        'tutoridaminicreds/patches/caddyfile',
        'tutoridaminicreds/templates/ida_minicreds/apps/config/minicreds.yml',
        'tutoridaminicreds/templates/ida_minicreds/tasks/mysql/init',
        'tutoridaminicreds/templates/ida_minicreds/tasks/lms/init',
        'tutoridaminicreds/templates/ida_minicreds/tasks/ida-minicreds/init',
      ]),
    );
    const pyproject = fs.readFileSync(join(repo, PLUGIN_DIR, 'pyproject.toml'), 'utf8');
    expect(pyproject).toContain('dependencies = ["tutor>=22.0.0,<23.0.0"]');
    expect(pyproject).toContain('[project.entry-points."tutor.plugin.v1"]\nida_minicreds = "tutoridaminicreds.plugin"');
    const stored = fs.readJsonSync(join(repo, '.yo-rc.json'))['generator-openedx-ida'];
    // The version follows the public image's tag (--base-image): not stored.
    expect(stored.tutor).toEqual({ plugin: 'ida_minicreds', host: 'ida-minicreds.{{ LMS_HOST }}' });
    const before = Object.fromEntries(
      files.map((file) => [file, fs.readFileSync(join(repo, PLUGIN_DIR, file), 'utf8')]),
    );
    const again = cli(['tutor', repo, '--yes']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr + again.stdout).not.toMatch(/\b(create|force|conflict)\b.*tutor-contrib/);
    for (const file of files) expect(fs.readFileSync(join(repo, PLUGIN_DIR, file), 'utf8')).toBe(before[file]);
  });

  it('declares in plugin.py exactly the config its YAML template reads', () => {
    const generation = generate(new DiskReader(fixtureRepo('standard')), {}, { targets: ['app', 'tutor'] });
    const plugin = generation.files.get(`${PLUGIN_DIR}/tutoridaminicreds/plugin.py`)!;
    const template = generation.files.get(
      `${PLUGIN_DIR}/tutoridaminicreds/templates/ida_minicreds/apps/config/minicreds.yml`,
    )!;
    const own = new Set([...template.matchAll(/\bIDA_MINICREDS_([A-Z0-9_]+)/g)].map((match) => match[1]));
    const declared = new Set([...plugin.matchAll(/^ {8}"([A-Z0-9_]+)": /gm)].map((match) => match[1]));
    for (const key of own) expect(declared).toContain(key);
    const example = parse(generation.files.get('minicreds.example.yml')!) as Record<string, unknown>;
    for (const key of Object.keys(example)) expect(template).toMatch(new RegExp(`^${key}:`, 'm'));
  });

  it.each([
    ['standard', 'minicreds', ['mysql', 'lms', 'ida-minicreds']],
    ['optional-load', 'enterprise_reports', ['mysql', 'ida-enterprise-reports']],
    ['celery-redis', 'license_manager', ['mysql', 'ida-license-manager']],
  ])(
    '%s: declares every config key its init tasks read, and has the LMS task only for its OAuth2 keys',
    (fixture, service, tasks) => {
      const generation = generate(new DiskReader(fixtureRepo(fixture)), {}, { targets: ['app', 'tutor'] });
      const plugin = `ida_${service}`;
      const pkg = `tutor${plugin.replace(/_/g, '')}`;
      const dir = `tutor-contrib-${service}/${pkg}`;
      const source = generation.files.get(`${dir}/plugin.py`)!;
      const declared = new Set([...source.matchAll(/^ {8}"([A-Z0-9_]+)": /gm)].map((match) => match[1]));
      const taskDir = `${dir}/templates/${plugin}/tasks/`;
      const taskFiles = [...generation.files.keys()].filter((file) => file.startsWith(taskDir));
      expect(taskFiles.map((file) => file.slice(taskDir.length)).sort()).toEqual(
        tasks.map((task) => `${task}/init`).sort(),
      );
      expect(source).toContain(`for service in ${JSON.stringify(tasks)}:`);
      const prefix = plugin.toUpperCase();
      for (const file of taskFiles) {
        const own = [...generation.files.get(file)!.matchAll(new RegExp(`\\b${prefix}_([A-Z0-9_]+)`, 'g'))];
        for (const [, key] of own) expect(declared, `${file} reads ${prefix}_${key}`).toContain(key);
      }
    },
  );

  it('refuses a bad decision in one line and writes nothing', () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'openedx-ida-tutor-bad-'));
    copyFixtureRepo('standard', dir);
    const result = cli(['tutor', dir, '--yes', '--tutor-host', 'x.{{ 7*7 }}']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('--tutor-host');
    expect(fs.existsSync(join(dir, PLUGIN_DIR))).toBe(false);
    expect(fs.existsSync(join(dir, '.yo-rc.json'))).toBe(false);
  });

  it('is covered by check: identical after generation, drift when the repo changes what it renders', () => {
    const repo = generated();
    const clean = cli(['check', repo]);
    expect(clean.status, clean.stdout).toBe(0);
    const gunicorn = join(repo, 'minicreds/docker_gunicorn_configuration.py');
    fs.writeFileSync(gunicorn, fs.readFileSync(gunicorn, 'utf8').replace('0.0.0.0:18150', '0.0.0.0:18151'));
    const stale = cli(['check', repo]);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain(`${PLUGIN_DIR}/tutoridaminicreds/patches/caddyfile: stale`);
  });
});
