/**
 * The grammars every value must match before it can reach a template. Values come from
 * flags, prompt answers and a committed `.yo-rc.json` (which may be hostile), so each
 * grammar admits only characters that mean nothing to the Dockerfile parser or the shell
 * where the value lands: no newlines, quotes, `$`, backslashes or spaces anywhere.
 *
 * A grammar returns true, or what the value should look like (for the error message).
 */
export type Grammar = (value: string) => true | string;

/** A grammar from a regular expression and the hint shown when it does not match. */
function pattern(regex: RegExp, hint: string): Grammar {
  return (value) => regex.test(value) || hint;
}

/** A grammar that is `first` and then also `second`. */
export function both(first: Grammar, second: Grammar): Grammar {
  return (value) => {
    const result = first(value);
    return result === true ? second(value) : result;
  };
}

/** Characters allowed in one path segment: no shell or Dockerfile meaning, no spaces. */
const SEGMENT = /^[A-Za-z0-9_+@=,][A-Za-z0-9._+@=,-]*$|^\.[A-Za-z0-9_+@=,-][A-Za-z0-9._+@=,-]*$/;

function segmentsOk(segments: string[]): boolean {
  return (
    segments.length > 0 && segments.every((segment) => segment !== '..' && segment !== '.' && SEGMENT.test(segment))
  );
}

/**
 * An absolute POSIX path in the image (app dir, virtualenv, config file): `/` then
 * segments of letters, digits and `._+@=,-`; no `..`, no empty segment, no leading `-`.
 */
export const absolutePath: Grammar = (value) =>
  (value.startsWith('/') && segmentsOk(value.slice(1).split('/'))) ||
  'use an absolute path of letters, digits and ._-+@=, such as /edx/app/myida (no spaces, quotes, $ or ..)';

/** A file or folder inside the repo (build context): relative, no `..`, same characters as absolutePath. */
export const relativePath: Grammar = (value) =>
  (!value.startsWith('/') && segmentsOk(value.split('/'))) ||
  'use a relative path inside the repo of letters, digits and ._-+@=, (no spaces, quotes, $ or ..)';

/** A path ending in .yml or .yaml. */
export const yamlFile: Grammar = pattern(/\.ya?ml$/, 'use a file name ending in .yml');

/** Either an absolute path or a relative one inside the repo. */
export const anyPath: Grammar = (value) => (value.startsWith('/') ? absolutePath(value) : relativePath(value));

/** A Debian package name (Debian policy 5.6.1), optionally `:arch` and `=version`. */
export const debianPackage: Grammar = pattern(
  /^[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?(=[A-Za-z0-9][A-Za-z0-9.+~:-]*)?$/,
  'use a Debian package name such as libmagic1 (optionally =version)',
);

const PEP508_NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const EXTRAS = `(?:\\[${PEP508_NAME}(?:,${PEP508_NAME})*\\])?`;
const SPECIFIER = '(?:===|==|!=|~=|<=|>=|<|>)[A-Za-z0-9.*+!]+';
const PIP_VERSIONED = new RegExp(`^${PEP508_NAME}${EXTRAS}(?:${SPECIFIER})?$`);
const PIP_URL = new RegExp(`^${PEP508_NAME}${EXTRAS}@(?:https?|git\\+https)://([^/@\\s]+)(/[A-Za-z0-9._~/%+=&?#-]*)?$`);

/**
 * A pip requirement: a PEP 508 name with optional extras and one version specifier
 * (`pkg`, `pkg[extra]==1.2`), or `name@https://host/path` without credentials.
 * Options (`--index-url`, `-e`) and URLs with `user:password@` are refused: credentials
 * belong in the index secret.
 */
export const pipRequirement: Grammar = (value) =>
  PIP_VERSIONED.test(value) ||
  PIP_URL.test(value) ||
  'use a package name with an optional version pin such as my-plugin==1.2.0 (no options, no URLs with credentials)';

/**
 * An OCI image reference, `[registry[:port]/]name[:tag][@digest]`, by the grammar of
 * distribution/reference (lowercase path components; tag up to 128 characters).
 */
const DOMAIN =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);
export const imageReference: Grammar = (value) =>
  (value.length <= 255 && IMAGE.test(value)) || 'use an image reference such as docker.io/openedx/myida:redwood';

/** A PEP 440 release such as 9.13.0, optionally with a pre-, post- or dev-release suffix. */
export const pep440Release: Grammar = pattern(
  /^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$/,
  'use a release version such as 9.13.0',
);

/** A BuildKit secret id: it also names the file under /run/secrets/. */
export const secretId: Grammar = pattern(
  /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
  'use letters, digits, _ . - such as pip_index_url',
);

/** A service name: image title, gunicorn --name, config file name. */
export const serviceName: Grammar = pattern(
  /^[a-z0-9][a-z0-9_.-]{0,62}$/,
  'use lowercase letters, digits, - _ . (at most 63)',
);

/** An environment variable name. */
export const envName: Grammar = pattern(
  /^[A-Za-z_][A-Za-z0-9_]*$/,
  'use an environment variable name such as MYIDA_CFG',
);

/** A dotted Python module name. */
export const dottedName: Grammar = pattern(
  /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/,
  'use a dotted module name such as mypkg.settings.production',
);

/** A Python identifier (a package directory). */
export const identifier: Grammar = pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use a Python package name such as mypkg');

/** A WSGI application, `module.path:callable` as gunicorn takes it. */
export const wsgiApp: Grammar = pattern(
  /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*(\(\))?$/,
  'use module:callable such as mypkg.wsgi:application',
);

/** Python major.minor. */
export const pythonVersion: Grammar = pattern(/^3\.\d{1,2}$/, 'use major.minor such as 3.11');

/** A Debian codename. */
export const debianRelease: Grammar = pattern(/^[a-z]{2,20}$/, 'use a Debian codename such as bookworm');

/** `SRC:DEST`: SRC a path in the build context, DEST relative to the app dir or absolute. */
export const copySpec: Grammar = (value) => {
  const parts = value.split(':');
  if (parts.length !== 2) return 'use SRC:DEST such as themes:themes';
  const [from, to] = parts;
  const source = relativePath(from!);
  if (source !== true) return `SRC: ${source}`;
  // DEST `.` is the app dir itself.
  const destination = to === '.' ? true : anyPath(to!);
  return destination === true ? true : `DEST: ${destination}`;
};

/** An integer range, as a grammar on the number's decimal text. */
export function integerIn(min: number, max: number, what: string): Grammar {
  return (value) => {
    const number = Number(value);
    return (/^\d+$/.test(value) && number >= min && number <= max) || `use ${what} between ${min} and ${max}`;
  };
}

/**
 * A Vault KV version 2 secret path as consul-template reads it: `<mount>/data/<path>`, segments
 * of letters, digits, `.`, `_` and `-` (it goes inside a template string literal, so nothing else).
 */
export const vaultKv2Path: Grammar = pattern(
  /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+\/data\/[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/,
  'use a KV v2 path such as secret/data/<service> (<mount>/data/<path>)',
);

/** A DNS label (RFC 1123) as Kubernetes names namespaces: lowercase letters, digits and `-`, at most 63. */
export const dnsLabel: Grammar = pattern(
  /^(?=.{1,63}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
  'use a DNS label: lowercase letters, digits and -, at most 63, such as minicreds',
);

/**
 * A namespace the service may own: a DNS label outside the `kube-` prefix, which Kubernetes keeps
 * for its own namespaces (kube-system, kube-public, kube-node-lease); `default` is allowed.
 */
export const kubernetesNamespace: Grammar = both(
  dnsLabel,
  (value) =>
    !value.startsWith('kube-') ||
    "use a namespace of your own: kube-* (kube-system, kube-public, kube-node-lease) is Kubernetes' own",
);

/** A DNS name (RFC 1123 subdomain) as an Ingress host takes it: dot-separated DNS labels, at most 253. */
export const dnsName: Grammar = (value) =>
  (value.length <= 253 && value.split('.').every((label) => dnsLabel(label) === true)) ||
  'use a DNS name of lowercase labels such as minicreds.example.com';

/** A CPU quantity as Kubernetes takes it, above zero: cores (`1`, `0.5`) or millicores (`250m`). */
export const cpuQuantity: Grammar = (value) =>
  (/^(\d+(\.\d+)?|\d+m)$/.test(value) && parseFloat(value) > 0) || 'use a CPU quantity above 0 such as 250m or 1';

/** A memory quantity as Kubernetes takes it, above zero: bytes with an optional binary or decimal suffix. */
export const memoryQuantity: Grammar = (value) =>
  (/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/.test(value) && parseFloat(value) > 0) ||
  'use a memory quantity above 0 such as 512Mi or 1Gi';

/**
 * A container registry host, as Docker tells one from an image path: a host name with a dot
 * (`ghcr.io`, `registry.example.com`) or `localhost`, optionally with a port.
 */
export const registryHost: Grammar = pattern(
  /^(?=[^:]{1,253}(:|$))(localhost|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+)(:\d{1,5})?$/,
  'use a registry host name such as ghcr.io or registry.example.com:5000 (lowercase, no scheme or path)',
);

/** An image repository path without registry or tag (`openedx/credentials`), as the OCI distribution spec allows. */
export const imageName: Grammar = pattern(
  /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/,
  'use a lowercase image path such as myorg/credentials (no registry, no tag)',
);

/** The platforms BuildKit builds for through QEMU on a GitHub-hosted runner. */
export const PLATFORMS = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/arm/v6',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
] as const;

/** One of PLATFORMS. */
export const platform: Grammar = (value) =>
  (PLATFORMS as readonly string[]).includes(value) || `use one of ${PLATFORMS.join(', ')}`;

/** A git branch name or a GitHub Actions branch filter (`main`, `release/*`). */
export const branchName: Grammar = (value) =>
  (/^[A-Za-z0-9_*][A-Za-z0-9._/*-]*$/.test(value) && !value.includes('..') && !value.endsWith('/')) ||
  'use a branch name such as main or release/* (letters, digits, ._-/*)';

/** A workflow file: directly in .github/workflows/, ending in .yml or .yaml. */
export const workflowFile: Grammar = pattern(
  /^\.github\/workflows\/[A-Za-z0-9_][A-Za-z0-9._-]*\.ya?ml$/,
  'use a file in .github/workflows/ ending in .yml, such as .github/workflows/myida-image.yml',
);
