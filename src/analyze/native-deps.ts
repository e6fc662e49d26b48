/**
 * The C compiler and libc headers: every extension in the table below is C. build-essential
 * would add g++, make and dpkg-dev (with perl) that none of them use; installing mysqlclient's
 * build packages took 66-69 s with build-essential and 40 s with these (bookworm, 2 cores).
 */
const C_COMPILER = ['gcc', 'libc6-dev'];

/**
 * Debian packages that Python requirements need on a python:*-slim (Debian) base:
 * `build` only in the builder stage (compilers, -dev headers), `runtime` in the final image.
 * Keys are normalized requirement names (PEP 503: lowercase, runs of -_. as -).
 * This table is the only place the mapping lives; add a row to teach the tool a package.
 */
export const NATIVE_DEPENDENCIES: Readonly<Record<string, { build: string[]; runtime: string[]; why: string }>> = {
  mysqlclient: {
    build: [...C_COMPILER, 'pkg-config', 'default-libmysqlclient-dev'],
    runtime: ['libmariadb3'],
    why: 'compiles against the MySQL client library',
  },
  psycopg2: { build: [...C_COMPILER, 'libpq-dev'], runtime: ['libpq5'], why: 'compiles against libpq' },
  xmlsec: {
    build: [...C_COMPILER, 'pkg-config', 'libxml2-dev', 'libxmlsec1-dev'],
    runtime: ['libxml2', 'libxmlsec1', 'libxmlsec1-openssl'],
    why: 'compiles against libxmlsec1 (SAML)',
  },
  'python-ldap': {
    build: [...C_COMPILER, 'libldap2-dev', 'libsasl2-dev'],
    runtime: ['libldap-2.5-0', 'libsasl2-2'],
    why: 'compiles against OpenLDAP',
  },
  pycairo: {
    build: [...C_COMPILER, 'pkg-config', 'libcairo2-dev'],
    runtime: ['libcairo2'],
    why: 'compiles against cairo',
  },
  cairocffi: { build: [], runtime: ['libcairo2'], why: 'loads cairo at run time' },
  cairosvg: { build: [], runtime: ['libcairo2'], why: 'loads cairo at run time' },
  weasyprint: {
    build: [],
    runtime: ['libpango-1.0-0', 'libpangoft2-1.0-0', 'libharfbuzz0b', 'libfontconfig1'],
    why: 'loads Pango and HarfBuzz at run time',
  },
  'confluent-kafka': { build: [...C_COMPILER, 'librdkafka-dev'], runtime: ['librdkafka1'], why: 'uses librdkafka' },
  'python-magic': { build: [], runtime: ['libmagic1'], why: 'loads libmagic at run time' },
  pygraphviz: { build: [...C_COMPILER, 'libgraphviz-dev'], runtime: ['libgvc6'], why: 'compiles against Graphviz' },
  pylibmc: {
    build: [...C_COMPILER, 'libmemcached-dev', 'zlib1g-dev'],
    runtime: ['libmemcached11'],
    why: 'compiles against libmemcached',
  },
  'python-xmlsec': {
    build: [...C_COMPILER, 'pkg-config', 'libxml2-dev', 'libxmlsec1-dev'],
    runtime: ['libxml2', 'libxmlsec1', 'libxmlsec1-openssl'],
    why: 'compiles against libxmlsec1',
  },
  uwsgi: { build: C_COMPILER, runtime: [], why: 'compiles a C extension' },
};

/** Needed in the builder when a requirement is a VCS URL (`git+https://...`). */
export const VCS_BUILD_PACKAGES = ['git'];

/** Needed in the builder to compile translations (`msgfmt`). */
export const GETTEXT_BUILD_PACKAGES = ['gettext'];

/** PEP 503 name normalization. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
