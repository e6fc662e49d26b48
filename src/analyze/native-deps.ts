/**
 * Debian packages that Python requirements need on a python:*-slim (Debian) base:
 * `build` only in the builder stage (compilers, -dev headers), `runtime` in the final image.
 * Keys are normalized requirement names (PEP 503: lowercase, runs of -_. as -).
 * This table is the only place the mapping lives; add a row to teach the tool a package.
 */
export const NATIVE_DEPENDENCIES: Readonly<Record<string, { build: string[]; runtime: string[]; why: string }>> = {
  mysqlclient: {
    build: ['build-essential', 'pkg-config', 'default-libmysqlclient-dev'],
    runtime: ['libmariadb3'],
    why: 'compiles against the MySQL client library',
  },
  psycopg2: { build: ['build-essential', 'libpq-dev'], runtime: ['libpq5'], why: 'compiles against libpq' },
  xmlsec: {
    build: ['build-essential', 'pkg-config', 'libxml2-dev', 'libxmlsec1-dev'],
    runtime: ['libxml2', 'libxmlsec1', 'libxmlsec1-openssl'],
    why: 'compiles against libxmlsec1 (SAML)',
  },
  'python-ldap': {
    build: ['build-essential', 'libldap2-dev', 'libsasl2-dev'],
    runtime: ['libldap-2.5-0', 'libsasl2-2'],
    why: 'compiles against OpenLDAP',
  },
  pycairo: {
    build: ['build-essential', 'pkg-config', 'libcairo2-dev'],
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
  'confluent-kafka': { build: ['build-essential', 'librdkafka-dev'], runtime: ['librdkafka1'], why: 'uses librdkafka' },
  'python-magic': { build: [], runtime: ['libmagic1'], why: 'loads libmagic at run time' },
  pygraphviz: { build: ['build-essential', 'libgraphviz-dev'], runtime: ['libgvc6'], why: 'compiles against Graphviz' },
  pylibmc: {
    build: ['build-essential', 'libmemcached-dev', 'zlib1g-dev'],
    runtime: ['libmemcached11'],
    why: 'compiles against libmemcached',
  },
  'python-xmlsec': {
    build: ['build-essential', 'pkg-config', 'libxml2-dev', 'libxmlsec1-dev'],
    runtime: ['libxml2', 'libxmlsec1', 'libxmlsec1-openssl'],
    why: 'compiles against libxmlsec1',
  },
  uwsgi: { build: ['build-essential'], runtime: [], why: 'compiles a C extension' },
};

/** Needed in the builder when a requirement is a VCS URL (`git+https://...`). */
export const VCS_BUILD_PACKAGES = ['git'];

/** Needed in the builder to compile translations (`msgfmt`). */
export const GETTEXT_BUILD_PACKAGES = ['gettext'];

/** PEP 503 name normalization. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
