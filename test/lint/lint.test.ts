import fs from 'fs-extra';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintDockerfile } from '../../src/lint/lint.js';
import { RULES } from '../../src/lint/rules.js';
import { FIXTURES_DIR, listFiles } from '../support/fixtures.js';

const codes = (text: string, builders?: ('legacy' | 'buildkit' | 'buildah')[]) =>
  lintDockerfile(text, 'Dockerfile', { builders }).map((finding) => `${finding.line}:${finding.code}`);

/** A clean final stage to append rule snippets to. */
const CLEAN_TAIL = 'USER 1000:1000\nLABEL org.opencontainers.image.title="x"\nCMD ["gunicorn"]\n';

describe('lint rules', () => {
  it.each([
    {
      code: 'OI001',
      bad: 'FROM python:3.11\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt\n',
      line: 2,
    },
    { code: 'OI002', bad: 'FROM python:3.11\nCOPY --chmod=755 run.sh /run.sh\n', line: 2 },
    { code: 'OI002', bad: 'FROM python:3.11\nCOPY --link . /app\n', line: 2 },
    { code: 'OI003', bad: 'FROM python:3.11\nRUN <<EOT\necho hi\nEOT\n', line: 2 },
    { code: 'OI004', bad: 'FROM python:3.11\nHEALTHCHECK --start-interval=1s CMD ["true"]\n', line: 2 },
    { code: 'OI005', bad: 'ARG BASE\nFROM ${BASE}\n', line: 2 },
    { code: 'OI006', bad: 'FROM python:3.11\n<<<<<<< your edit\nRUN a\n=======\nRUN b\n>>>>>>> generator\n', line: 2 },
    { code: 'OI006', bad: 'FROM python:3.11\n<<<<<<< your edit\nRUN a\n=======\nRUN b\n>>>>>>> generator\n', line: 6 },
    { code: 'OI007', bad: 'RUN echo no base\n', line: 1 },
    {
      code: 'OI010',
      bad: 'FROM python:3.11\nLABEL org.opencontainers.image.title="x"\nCMD ["gunicorn"]\n',
      line: 1,
      tail: '',
    },
    {
      code: 'OI010',
      bad: 'FROM python:3.11\nUSER 1000\nUSER root\nLABEL org.opencontainers.image.title="x"\n',
      line: 3,
      tail: '',
    },
    { code: 'OI011', bad: 'FROM python:3.11\nUSER app\nLABEL org.opencontainers.image.title="x"\n', line: 2, tail: '' },
    { code: 'OI020', bad: 'FROM python:3.11\nENTRYPOINT gunicorn app\n', line: 2 },
    { code: 'OI030', bad: 'FROM python:3.11\nENV DB_PASSWORD=hunter2\n', line: 2 },
    { code: 'OI030', bad: 'FROM python:3.11\nARG NEW_RELIC_LICENSE_KEY\n', line: 2 },
    { code: 'OI030', bad: 'FROM python:3.11\nLABEL api_token="x"\n', line: 2 },
    { code: 'OI040', bad: 'FROM python\n', line: 1 },
    { code: 'OI040', bad: 'ARG V=latest\nFROM python:${V}\n', line: 2 },
    {
      code: 'OI050',
      bad: 'FROM python:3.11\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      line: 2,
    },
    {
      code: 'OI051',
      bad: 'FROM python:3.11\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
      line: 2,
    },
    {
      code: 'OI052',
      bad: 'FROM python:3.11\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n',
      line: 2,
    },
    { code: 'OI060', bad: 'FROM python:3.11\nRUN pip install -r requirements.txt\n', line: 2 },
    { code: 'OI070', bad: 'FROM python:3.11\nADD . /app\n', line: 2 },
    { code: 'OI080', bad: 'FROM python:3.11\nWORKDIR app\n', line: 2 },
    {
      code: 'OI090',
      bad: 'FROM python:3.11 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*\nFROM base\n',
      line: 2,
    },
    { code: 'OI100', bad: 'FROM python:3.11\nUSER 1000\nCMD ["gunicorn"]\n', line: 1, tail: '' },
  ])('$code fires on line $line', ({ code, bad, line, tail }) => {
    const found = codes(bad + (tail ?? CLEAN_TAIL));
    expect(found).toContain(`${line}:${code}`);
  });

  it.each([
    'FROM python:3.11\nRUN pip install --no-cache-dir -r r.txt\n',
    'FROM python:3.11\nENV PIP_NO_CACHE_DIR=1\nRUN pip install -r r.txt\n',
    'FROM python:3.11\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
    'FROM python:3.11 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*\nFROM python:3.11\n',
    'ARG PYTHON_VERSION=3.11\nFROM docker.io/library/python:${PYTHON_VERSION}-slim-bookworm\n',
    'FROM python:3.11\nENV MINICREDS_CFG=/edx/etc/minicreds.yml SECRET_KEY_FILE=/run/secrets/key\n',
    'FROM python:3.11\nADD https://example.com/x.tar.gz /x\n',
    'FROM python:3.11@sha256:0123456789abcdef\n',
  ])('stays quiet on good practice: %s', (text) => {
    expect(codes(text + CLEAN_TAIL)).toEqual([]);
  });

  it.each([
    ['empty', '', 'empty file: not a Dockerfile'],
    ['blank', '\n  \n', 'empty file: not a Dockerfile'],
    ['binary', 'FROM x\n\u0000\u0001\u0002', 'binary file: not a Dockerfile'],
  ])('reports a %s file as one OI007 error and nothing else', (_case, text, message) => {
    expect(lintDockerfile(text, 'Dockerfile')).toEqual([
      { file: 'Dockerfile', line: 1, code: 'OI007', level: 'error', message },
    ]);
  });

  it('has stable, unique rule ids', () => {
    expect(new Set(RULES.map((rule) => rule.code)).size).toBe(RULES.length);
    for (const rule of RULES) expect(rule.code).toMatch(/^OI\d{3}$/);
  });

  it('honours inline and file-level ignore comments', () => {
    const text = 'FROM python:3.11\n# openedx-ida ignore=OI060\nRUN pip install x\nRUN pip install y\n' + CLEAN_TAIL;
    expect(codes(text)).toEqual(['4:OI060']);
    expect(codes(`# openedx-ida ignore-file=OI060\n${text}`)).toEqual([]);
  });

  it('checks builder syntax only for the target builders', () => {
    const text = 'FROM python:3.11\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n' + CLEAN_TAIL;
    expect(codes(text, ['buildkit', 'buildah'])).toEqual([]);
    expect(codes(text, ['legacy'])).toEqual(['2:OI001']);
  });
});

describe('generated files', () => {
  const dockerfiles = listFiles(FIXTURES_DIR).filter((file) => /\/expected[^/]*\/Dockerfile/.test(file));

  it('exist for every fixture', () => expect(dockerfiles.length).toBeGreaterThanOrEqual(15));

  it.each(dockerfiles)('%s lints clean, at every severity', (file) => {
    expect(lintDockerfile(fs.readFileSync(join(FIXTURES_DIR, file), 'utf8'), file)).toEqual([]);
  });
});
