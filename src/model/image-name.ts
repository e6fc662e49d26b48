import { defaultBaseImage } from './public-image.js';
import { flagOrStored } from './options.js';

/**
 * The one name of the service's image, which every output derives its own from: the public
 * image (`--base-image`, stored as `baseImage`, default `docker.io/openedx/<service>:main`). It is
 * the decision that already names what the derivatives build FROM, read by every generator, so
 * the CI workflow pushes, the Kubernetes pods and the Tutor plugin run, and the derivatives
 * extend one image. An output's own flag (`--k8s-image`, `--registry`/`--image-name`) still
 * overrides it for that output. The compose stack builds its own local image and pushes nothing.
 */
export function serviceImage(flags: Record<string, unknown>, stored: Record<string, unknown>, service: string): string {
  return (flagOrStored('base-image', flags, stored, 'baseImage') as string | undefined) ?? defaultBaseImage(service);
}

/** An image reference's parts: registry host (`docker.io` when none is named), path and tag (`latest` when none). */
export interface ImageParts {
  registry: string;
  path: string;
  tag: string;
  /** Whether the reference names its tag (`name@sha256:...` names none: its `latest` is only Docker's default). */
  hasTag: boolean;
  /** The digest (`sha256:...`) the reference pins, or null. */
  digest: string | null;
}

/** Splits a reference the `imageReference` grammar accepted. */
export function imageParts(reference: string): ImageParts {
  const [name, digest] = reference.split('@');
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  // Docker's rule: the first component is a registry when it has a dot or a port, or is localhost.
  const hasRegistry = first !== '' && (/[.:]/.test(first) || first === 'localhost');
  const rest = hasRegistry ? name.slice(slash + 1) : name;
  const colon = rest.lastIndexOf(':');
  return {
    registry: hasRegistry ? first : 'docker.io',
    path: colon < 0 ? rest : rest.slice(0, colon),
    tag: colon < 0 ? 'latest' : rest.slice(colon + 1),
    hasTag: colon >= 0,
    digest: digest ?? null,
  };
}
