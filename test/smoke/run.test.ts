/** The smoke run's steps against a scripted docker and HTTP probe: what it runs, and what it says when it fails. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type DockerResult, type SmokeDeps, lastErrorLine, redact, runSmoke } from '../../src/smoke/run.js';
import type { SmokeTarget } from '../../src/smoke/target.js';
import { operatorSmokeConfig } from '../../src/smoke/config.js';

const TARGET: SmokeTarget = {
  service: 'minicreds',
  configVar: 'MINICREDS_CFG',
  configPath: '/edx/etc/minicreds.yml',
  exampleFile: 'minicreds.example.yml',
  exampleYaml:
    'SECRET_KEY: CHANGE-ME-secret-key\nALLOWED_HOSTS: [minicreds.example.com, localhost]\n' +
    'DATABASES:\n  default:\n    NAME: minicreds\n    USER: minicreds001\n    PASSWORD: CHANGE-ME-database-password\n' +
    '    HOST: db.example.internal\n    PORT: 3306\n',
  port: 18150,
  uid: 1000,
  healthPath: '/health/',
};

const OPTIONS = {
  image: 'minicreds:test',
  addresses: { dbHost: '127.0.0.1', dbPort: 3306, dbPassword: 'db-pw-123', cacheHost: '127.0.0.1', cachePort: 11211 },
  network: 'host',
  timeoutSeconds: 5,
};

const ok = (stdout = ''): DockerResult => ({ status: 0, stdout, stderr: '', timedOut: false });
const IMAGE = JSON.stringify([{ Config: { Env: ['MINICREDS_CFG=/edx/etc/minicreds.yml'] } }]);

/** A docker that answers by subcommand (`image`, `run`, `inspect`, `logs`...); every call is recorded. */
function fakeDeps(script: {
  docker?: Partial<Record<string, (args: string[]) => DockerResult>>;
  probe?: () => Promise<number>;
}) {
  const calls: string[][] = [];
  let clock = 0;
  let mounted = '';
  const deps: SmokeDeps = {
    docker: (args) => {
      calls.push(args);
      const mount = args.indexOf('-v');
      if (mount > 0) mounted = fs.readFileSync(args[mount + 1].split(':')[0], 'utf8');
      const key = args[0] === 'run' ? (args.includes('migrate') ? 'migrate' : 'start') : args[0];
      return script.docker?.[key]?.(args) ?? (key === 'image' ? ok(IMAGE) : ok('true 0'));
    },
    probe: script.probe ?? (async () => 200),
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
  };
  return { deps, calls, mounted: () => mounted };
}

describe('runSmoke', () => {
  it('migrates, then starts the image read-only, tmpfs /tmp, as the uid, on the host network, the YAML mounted read-only', async () => {
    const fake = fakeDeps({});
    const result = await runSmoke(TARGET, OPTIONS, fake.deps);
    expect(result.healthy).toBe(true);
    expect(result.verdict).toMatch(/^healthy: minicreds answered \/health\/ in/);
    const migrate = fake.calls.find((args) => args.includes('migrate'))!;
    const start = fake.calls.find((args) => args[0] === 'run' && args.includes('-d'))!;
    for (const args of [migrate, start]) {
      expect(args.join(' ')).toContain('--network host --read-only --tmpfs /tmp --user 1000:1000 -v ');
      expect(args.find((arg) => arg.endsWith(':/edx/etc/minicreds.yml:ro'))).toBeDefined();
    }
    expect(migrate.slice(-5)).toEqual(['minicreds:test', 'python', 'manage.py', 'migrate', '--noinput']);
    expect(start.at(-1)).toBe('minicreds:test');
    expect(parse(fake.mounted()).DATABASES.default).toMatchObject({ PASSWORD: 'db-pw-123', HOST: '127.0.0.1' });
    // Removed afterwards: the container and the YAML.
    expect(fake.calls.at(-1)?.slice(0, 2)).toEqual(['rm', '-f']);
    const mountArg = migrate[migrate.indexOf('-v') + 1].split(':')[0];
    expect(fs.existsSync(mountArg)).toBe(false);
  });

  it('sends a Host header ALLOWED_HOSTS accepts, to the health path', async () => {
    const seen: string[] = [];
    const fake = fakeDeps({});
    fake.deps.probe = async (url, host) => {
      seen.push(`${url} ${host}`);
      return 200;
    };
    await runSmoke(TARGET, OPTIONS, fake.deps);
    expect(seen).toEqual(['http://127.0.0.1:18150/health/ localhost']);
  });

  it('says why when migrate cannot reach the database: its last error line, without the password', async () => {
    const fake = fakeDeps({
      docker: {
        migrate: () => ({
          status: 1,
          stdout: '',
          stderr:
            'Traceback (most recent call last):\n  File "x", line 1\n' +
            'MySQLdb.OperationalError: (1045, "Access denied for user \'minicreds001\' (password db-pw-123)")\n\n' +
            'The above exception was the direct cause of the following exception:\n' +
            'django.db.utils.OperationalError: (1045, "Access denied for user \'minicreds001\' (password db-pw-123)")\n',
          timedOut: false,
        }),
      },
    });
    const result = await runSmoke(TARGET, OPTIONS, fake.deps);
    expect(result.healthy).toBe(false);
    expect(result.verdict).toBe(
      'unhealthy: migrate failed: django.db.utils.OperationalError: (1045, "Access denied for user \'minicreds001\' (password ***)")',
    );
    expect(JSON.stringify(result)).not.toContain('db-pw-123');
    expect(fake.calls.some((args) => args.includes('-d'))).toBe(false);
  });

  it("says so when the image finds no YAML: the ENTRYPOINT's message", async () => {
    const message = 'MINICREDS_CFG=/edx/etc/minicreds.yml: no readable YAML config at /edx/etc/minicreds.yml';
    const fake = fakeDeps({
      docker: { migrate: () => ({ status: 78, stdout: '', stderr: `${message}\n`, timedOut: false }) },
    });
    const result = await runSmoke(TARGET, OPTIONS, fake.deps);
    expect(result.reason).toBe(`migrate failed (no YAML config): ${message}`);
  });

  it('says so when the container exits while starting, with its last log line', async () => {
    const fake = fakeDeps({
      docker: {
        inspect: () => ok('false 3'),
        logs: () => ({ status: 0, stdout: '', stderr: 'booting\nImportError: no module named x\n', timedOut: false }),
      },
      probe: async () => {
        throw new Error('ECONNREFUSED');
      },
    });
    const result = await runSmoke(TARGET, OPTIONS, fake.deps);
    expect(result.reason).toBe('the container exited with 3: ImportError: no module named x');
  });

  it('times out with the last answer and the last log lines', async () => {
    const fake = fakeDeps({
      docker: { logs: () => ok('line 1\nSECRET smoke\nline 3\n') },
      probe: async () => 503,
    });
    const result = await runSmoke(TARGET, OPTIONS, fake.deps);
    expect(result.reason).toMatch(/did not answer 200-399 within 5 s \(last: HTTP 503\)/);
    expect(result.steps.at(-1)?.lines).toEqual(['line 1', 'SECRET smoke', 'line 3']);
  });

  it('counts an answer as the kubelet does: 200-399 healthy, 4xx and 5xx not', async () => {
    for (const [status, healthy] of [
      [200, true],
      [204, true],
      [302, true],
      [399, true],
      [400, false],
      [404, false],
      [503, false],
    ] as const) {
      const result = await runSmoke(TARGET, OPTIONS, fakeDeps({ probe: async () => status }).deps);
      expect(result.healthy, `HTTP ${status}`).toBe(healthy);
    }
  });

  it("mounts an operator's YAML (--config) as it is: nothing filled, no database password needed", async () => {
    const text = 'SECRET_KEY: op-secret-value-1\nLMS_BASE_URL: http://lms.local\nALLOWED_HOSTS: [svc.local]\n';
    const fake = fakeDeps({});
    const { dbPassword: _, ...addresses } = OPTIONS.addresses;
    const result = await runSmoke(
      TARGET,
      { ...OPTIONS, addresses, operatorConfig: { file: 'ops.yml', config: operatorSmokeConfig(text, 'ops.yml') } },
      fake.deps,
    );
    expect(result.healthy).toBe(true);
    expect(fake.mounted()).toBe(text);
    expect(result.steps.find((entry) => entry.step === 'config')?.detail).toBe(
      'ops.yml as given, mounted read-only at /edx/etc/minicreds.yml',
    );
  });

  it('keeps the container and its YAML under the given name with --keep', async () => {
    const fake = fakeDeps({});
    const result = await runSmoke(TARGET, { ...OPTIONS, keep: 'kept-one' }, fake.deps);
    expect(result.container).toBe('kept-one');
    expect(fs.existsSync(result.configFile!)).toBe(true);
    expect(fake.calls.filter((args) => args[0] === 'rm')).toEqual([['rm', '-f', 'kept-one']]);
    fs.rmSync(result.configFile!);
  });

  it('publishes the port on 127.0.0.1 on another network', async () => {
    const fake = fakeDeps({});
    await runSmoke(TARGET, { ...OPTIONS, network: 'ci' }, fake.deps);
    const start = fake.calls.find((args) => args.includes('-d'))!;
    expect(start.join(' ')).toContain('--network ci');
    expect(start.join(' ')).toContain('-p 127.0.0.1:18150:18150');
  });

  it('refuses to run without a database password when the example needs one (exit 2)', async () => {
    const fake = fakeDeps({});
    const options = { ...OPTIONS, addresses: { ...OPTIONS.addresses, dbPassword: undefined } };
    await expect(runSmoke(TARGET, options, fake.deps)).rejects.toMatchObject({ exitCode: 2 });
  });

  it('refuses an image the engine does not have (exit 2)', async () => {
    const fake = fakeDeps({
      docker: { image: () => ({ status: 1, stdout: '', stderr: 'No such image', timedOut: false }) },
    });
    await expect(runSmoke(TARGET, OPTIONS, fake.deps)).rejects.toThrow(/no image minicreds:test/);
  });

  it('notes an image whose config variable differs from the repo', async () => {
    const fake = fakeDeps({
      docker: { image: () => ok(JSON.stringify([{ Config: { Env: ['MINICREDS_CFG=/x.yml'] } }])) },
    });
    const result = await runSmoke(TARGET, OPTIONS, fake.deps);
    expect(result.steps[0].detail).toContain('the image sets MINICREDS_CFG=/x.yml: was it built from this repo?');
  });
});

describe('lastErrorLine and redact', () => {
  it('takes the last error line, else the last line', () => {
    expect(lastErrorLine('a\nValueError: x\nb\n')).toBe('ValueError: x');
    expect(lastErrorLine('a\nb\n')).toBe('b');
    expect(lastErrorLine('', 'out\n')).toBe('out');
  });

  it('removes every secret, the longer first', () => {
    expect(redact('pw pw-long', ['pw', 'pw-long', ''])).toBe('*** ***');
  });
});
