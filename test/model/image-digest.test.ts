/** Digests and account-less names in the public image, as each output reads it. */
import { describe, expect, it } from 'vitest';
import { defaultTagOf, resolveCiConfig } from '../../src/model/ci.js';
import { imageParts } from '../../src/model/image-name.js';
import { versionOf } from '../../src/model/tutor.js';
import { tutorImage } from '../../src/render/tutor.js';
import { InvalidOptionError } from '../../src/errors.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('a public image pinned by digest', () => {
  it.each([
    [
      `docker.io/openedx/minicreds@${DIGEST}`,
      'main',
      `{{ DOCKER_REGISTRY }}openedx/minicreds:{{ M_VERSION }}@${DIGEST}`,
    ],
    [`ghcr.io/acme/minicreds:1.2.0@${DIGEST}`, '1.2.0', `ghcr.io/acme/minicreds:{{ M_VERSION }}@${DIGEST}`],
    ['docker.io/openedx/minicreds:main', 'main', '{{ DOCKER_REGISTRY }}openedx/minicreds:{{ M_VERSION }}'],
  ])('%s: Tutor runs version %s of %s', (image, version, tutor) => {
    expect(versionOf(image)).toBe(version);
    expect(tutorImage(image, 'M')).toBe(tutor);
  });

  it('keeps the digest apart from the tag, and CI pushes no default-branch tag for it', () => {
    expect(imageParts(`localhost:5000/a/b@${DIGEST}`)).toEqual({
      registry: 'localhost:5000',
      path: 'a/b',
      tag: 'latest',
      hasTag: false,
      digest: DIGEST,
    });
    expect(defaultTagOf(`docker.io/openedx/minicreds:main@${DIGEST}`)).toBeNull();
    expect(defaultTagOf('docker.io/openedx/minicreds:1.0')).toBe('1.0');
  });
});

describe('a CI push target without an account', () => {
  it.each(['minicreds:1.0', 'docker.io/minicreds:1.0', 'ghcr.io/minicreds:1.0'])(
    '%s is refused in one line',
    (image) => {
      let error: unknown;
      try {
        resolveCiConfig({}, undefined, 'minicreds', image);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidOptionError);
      const line = (error as InvalidOptionError).oneLine;
      expect(line).not.toContain('\n');
      expect(line).toMatch(/names no account.*--base-image (docker|ghcr)\.io\/<account>\/minicreds:<tag>/);
    },
  );

  it('--image-name with an account, or a registry of its own, is accepted', () => {
    expect(resolveCiConfig({ imageName: 'acme/minicreds' }, undefined, 'minicreds', 'minicreds:1.0').image).toBe(
      'acme/minicreds',
    );
    expect(resolveCiConfig({}, undefined, 'minicreds', 'registry.example.com/minicreds:1.0').image).toBe('minicreds');
  });
});
