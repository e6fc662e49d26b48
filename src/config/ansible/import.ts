import fs from 'node:fs';
import { Document, Pair, Scalar, YAMLMap, isScalar, parse, visit } from 'yaml';
import { isSecretName } from '../../model/secrets.js';
import { IdaError } from '../../errors.js';
import { Jinja } from './jinja.js';
import {
  ROLES_DIR,
  type RoleUse,
  findServiceRole,
  listRoles,
  roleDefaults,
  roleTemplate,
  roleTree,
  rolesInLoadOrder,
} from './roles.js';
import { Scope, templateOrigin } from './scope.js';
import { type VarsFile, readVarsFile } from './vars-file.js';
import { placeholder } from '../../model/example-config.js';
import { type Dict, isDict } from './values.js';

/** The role writes no service config this tool knows how to find. */
export class NoServiceConfigError extends IdaError {
  constructor(role: string) {
    super(
      `the role ${role} writes no service config (no edx_service dependency with edx_service_config, no ${role.toUpperCase()}_SERVICE_CONFIG, no templates/edx/app/${role}/${role}.yml.j2)`,
      'pass --service with the role that deploys the service',
    );
  }
}

/** What to import. */
export interface AnsibleImportRequest {
  /** A checkout of the configuration repository. */
  checkout: string;
  service: string;
  /** The operator's vars files, lowest precedence first (as `-e @file` in that order). */
  varsFiles: string[];
}

/** A variable the config reads that nothing defined. */
export interface UnresolvedVariable {
  name: string;
  /** Where the config reads it. */
  readAt: string[];
  /** The role defaults that define it, outside this role's chain; null for facts and inventory variables. */
  definedIn: string | null;
  /** What to do about it, in a few words. */
  hint: string;
}

/** What to do about an unresolved variable. */
function hintFor(name: string, definedIn: string | null): string {
  if (name.endsWith('(encrypted with ansible-vault)'))
    return 'decrypt it (ansible-vault decrypt) into the vars file you pass, then import again';
  if (name.startsWith('lookup(')) return 'an Ansible lookup: put its value in your vars file';
  if (definedIn) return `defined in ${definedIn}, a role this one does not use: set it in your vars file`;
  return 'an Ansible fact or inventory variable: set it in your vars file';
}

/** The result: the operator's YAML as a value and as text. */
export interface AnsibleImport {
  role: string;
  config: Dict;
  text: string;
  unresolved: UnresolvedVariable[];
  /** Secret-named keys (at any depth, dotted) whose value is the role's default: no vars file set them. */
  defaultSecrets: string[];
}

/** The parameter that hands a writer role the config: edx_service's, or `<role>_service_config` (edx_service_with_rendered_config). */
function configParam(use: RoleUse): string | undefined {
  return ['edx_service_config', `${use.role}_service_config`].find((name) => Object.hasOwn(use.params.vars, name));
}

/** The config writer: the dependency that is handed the config, with the uses on the way to it. */
function writerPath(tree: RoleUse): RoleUse[] | null {
  if (configParam(tree)) return [tree];
  for (const dependency of tree.dependencies) {
    const path = writerPath(dependency);
    if (path) return [tree, ...path];
  }
  return null;
}

/** The config with every layer given; the scope says what stayed unresolved. */
function renderConfig(
  checkout: string,
  role: string,
  layers: VarsFile[],
  tree: RoleUse,
): { config: Dict; scope: Scope } {
  const path = writerPath(tree);
  const scope = new Scope(new Jinja(), layers);
  let config: Dict | null = null;
  const readYaml = (text: string, file: string): Dict => {
    const value: unknown = parse(text);
    if (value !== null && value !== undefined && !isDict(value))
      throw new IdaError(
        `${file} renders to YAML that is not a mapping`,
        'check the template and the variables it reads',
      );
    return (value ?? {}) as Dict;
  };
  if (path) {
    const writer = path.at(-1)!;
    const template = roleTemplate(checkout, writer.role, 'config.yml.j2');
    if (template) {
      const rendered = scope.renderString(fs.readFileSync(template.path, 'utf8'), templateOrigin(template.shown));
      config = readYaml(String(rendered), template.shown);
    } else {
      config = scope.resolve(configParam(writer)!) as Dict;
    }
  } else if (scope.layerOf(`${role.toUpperCase()}_SERVICE_CONFIG`)) {
    config = scope.resolve(`${role.toUpperCase()}_SERVICE_CONFIG`) as Dict;
  }
  // The keys the role's own template writes into the file.
  const own = roleTemplate(checkout, role, `edx/app/${role}/${role}.yml.j2`);
  if (own) {
    const added = readYaml(
      String(scope.renderString(fs.readFileSync(own.path, 'utf8'), templateOrigin(own.shown))),
      own.shown,
    );
    config = { ...added, ...(config ?? {}) };
  }
  if (!config) throw new NoServiceConfigError(role);
  if (!isDict(config)) throw new IdaError(`the service config of ${role} is not a mapping`, 'check its variables');
  return { config: scope.finish(config) as Dict, scope };
}

/** The layers, lowest precedence first: common vars, every role's defaults, role parameters, the operator's files. */
function layersFor(checkout: string, tree: RoleUse, operator: VarsFile[]): VarsFile[] {
  const roles = rolesInLoadOrder(tree);
  const defaults = ['common_vars', ...roles.filter((name) => name !== 'common_vars')]
    .filter((name, index) => name !== 'common_vars' || index === 0)
    .map((name) => roleDefaults(checkout, name));
  // Role parameters along the way to the config writer: Ansible gives a role its parents' parameters too.
  const params = (writerPath(tree) ?? [tree]).map((use) => use.params);
  return [...defaults, ...params, ...operator];
}

/** Secret-named keys (dotted paths) whose value is the same with and without the operator's vars. */
function secretsAtDefault(withOperator: unknown, defaultsOnly: unknown, path: string[] = []): string[] {
  if (!isDict(withOperator) && !Array.isArray(withOperator)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(withOperator)) {
    const other = isDict(defaultsOnly) || Array.isArray(defaultsOnly) ? (defaultsOnly as Dict)[key] : undefined;
    if (isDict(value) || Array.isArray(value)) found.push(...secretsAtDefault(value, other, [...path, key]));
    else if (isSecretName(key) && typeof value === 'string' && value !== '' && value === other)
      found.push([...path, key].join('.'));
  }
  return found;
}

/** Where a variable nobody in the chain defines is defined in the checkout, if anywhere. */
function definedElsewhere(checkout: string, name: string): string | null {
  const pattern = new RegExp(`^${name.replace(/[^\w]/g, '\\$&')}\\s*:`, 'm');
  for (const role of listRoles(checkout)) {
    const file = `${checkout}/${ROLES_DIR}/${role}/defaults/main.yml`;
    if (fs.existsSync(file) && pattern.test(fs.readFileSync(file, 'utf8')))
      return `${ROLES_DIR}/${role}/defaults/main.yml`;
  }
  return null;
}

/**
 * Renders a service's config from the configuration repository as ansible-playbook would
 * write it to /edx/etc/<service>.yml, with the operator's vars files on top.
 */
export function importFromAnsible(request: AnsibleImportRequest): AnsibleImport {
  const role = findServiceRole(request.checkout, request.service);
  const tree = roleTree(request.checkout, role);
  const operator = request.varsFiles.map((file) => readVarsFile(file));
  const { config, scope } = renderConfig(request.checkout, role, layersFor(request.checkout, tree, operator), tree);
  const defaultSecrets =
    operator.length > 0
      ? secretsAtDefault(
          config,
          renderConfig(request.checkout, role, layersFor(request.checkout, tree, []), tree).config,
        )
      : secretsAtDefault(config, config);
  const unresolved = [...scope.unresolved]
    .map(([name, places]) => {
      const definedIn = /^\w+$/.test(name) ? definedElsewhere(request.checkout, name) : null;
      return { name, readAt: [...places].sort(), definedIn, hint: hintFor(name, definedIn) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    role,
    config,
    text: renderImported(role, request, config, unresolved, defaultSecrets),
    unresolved,
    defaultSecrets,
  };
}

/** The operator's YAML: a header naming the sources and what is left to set, then the config. */
function renderImported(
  role: string,
  request: AnsibleImportRequest,
  config: Dict,
  unresolved: UnresolvedVariable[],
  defaultSecrets: string[],
): string {
  // YAML 1.1 quoting: the service reads it with PyYAML, where a bare `on` or `yes` is a boolean.
  const doc = new Document(new YAMLMap(), { version: '1.1' });
  const map = doc.contents as YAMLMap;
  for (const [key, value] of Object.entries(config)) {
    const scalar = new Scalar(key);
    const leftovers = unresolved.filter((variable) => JSON.stringify(value).includes(placeholder(variable.name)));
    const notes = [
      ...(leftovers.length > 0 ? [`unresolved: ${leftovers.map((variable) => variable.name).join(', ')}`] : []),
      ...defaultSecrets
        .filter((path) => path === key || path.startsWith(`${key}.`))
        .map((path) => `secret left at the role default (${path}): set it in your vars file`),
    ];
    if (notes.length > 0) scalar.commentBefore = notes.map((note) => ` ${note}`).join('\n');
    map.items.push(new Pair(scalar, doc.createNode(value)));
  }
  const header = [
    `${request.service}.yml imported from the Ansible configuration (role ${role}, ${ROLES_DIR}/${role})`,
    request.varsFiles.length > 0
      ? `with the vars files ${request.varsFiles.join(', ')} (later wins)`
      : 'with the role defaults only (no --vars)',
    'It holds your secrets: keep it out of git, mount it read-only.',
    ...(unresolved.length > 0
      ? [
          'Unresolved variables (their CHANGE-ME placeholders are in the values): define them in a vars file and import again:',
          ...unresolved.map(
            (variable) => `  ${variable.name}: ${variable.hint}; read at ${variable.readAt.join(', ')}`,
          ),
        ]
      : []),
  ];
  // YAML's integer keys (PARLER_LANGUAGES: {1: ...}, keyed by SITE_ID) are strings in JavaScript: write them back as integers.
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && /^(?:0|[1-9][0-9]{0,14})$/.test(pair.key.value))
        pair.key.value = Number(pair.key.value);
    },
  });
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
