import fs from 'node:fs';
import { join } from 'node:path';
import { distance } from '../../cli/suggest.js';
import { IdaError } from '../../errors.js';
import { type VarsFile, lineKey, readVarsFile } from './vars-file.js';
import { type Dict, isDict } from './values.js';

/** Where the configuration repository keeps its roles. */
export const ROLES_DIR = 'playbooks/roles';

/** The path given is not a checkout of the configuration repository. */
export class MissingCheckoutError extends IdaError {
  constructor(path: string, why: string) {
    super(
      `${path} is not a checkout of the Ansible configuration repository (${why})`,
      `pass the path of an openedx/configuration checkout (the directory holding ${ROLES_DIR}/)`,
    );
  }
}

/** No role for the service. */
export class UnknownServiceRoleError extends IdaError {
  constructor(service: string, nearest: string[]) {
    super(
      `no role for the service ${JSON.stringify(service)} in ${ROLES_DIR}/`,
      nearest.length > 0
        ? `pass --service with a role name; the nearest are ${nearest.join(', ')}`
        : 'pass --service with the name of a role under playbooks/roles/',
    );
  }
}

/** One use of a role: its name and the parameters the dependent role passes it (meta/main.yml). */
export interface RoleUse {
  role: string;
  /** Role parameters as a vars layer (file: the meta/main.yml that passes them). */
  params: VarsFile;
  dependencies: RoleUse[];
}

/** Keys of a dependency entry that configure the role use rather than pass a variable. */
const NOT_PARAMS = new Set([
  'role',
  'name',
  'src',
  'scm',
  'version',
  'when',
  'tags',
  'become',
  'become_user',
  'delegate_to',
  'vars',
]);

function rolePath(checkout: string, role: string, ...parts: string[]): string {
  return join(checkout, ROLES_DIR, role, ...parts);
}

/** The checkout's role names. Throws MissingCheckoutError when it has none. */
export function listRoles(checkout: string): string[] {
  if (!fs.statSync(checkout, { throwIfNoEntry: false })?.isDirectory())
    throw new MissingCheckoutError(checkout, 'no such directory');
  const dir = join(checkout, ROLES_DIR);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new MissingCheckoutError(checkout, `no ${ROLES_DIR}/ in it`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * The role that deploys `service`: the role of that name (with `-` as `_`), else the role whose
 * defaults name it as its service (`<role>_service_name: <service>`). Throws with the nearest names.
 */
export function findServiceRole(checkout: string, service: string): string {
  const roles = listRoles(checkout);
  const hasDefaults = (role: string) => fs.existsSync(rolePath(checkout, role, 'defaults', 'main.yml'));
  for (const candidate of [service, service.replace(/-/g, '_')])
    if (roles.includes(candidate) && hasDefaults(candidate)) return candidate;
  for (const role of roles) {
    if (!hasDefaults(role)) continue;
    const text = fs.readFileSync(rolePath(checkout, role, 'defaults', 'main.yml'), 'utf8');
    const named = new RegExp(`^${role}_service_name:\\s*['"]?([\\w-]+)['"]?\\s*$`, 'm').exec(text);
    if (named?.[1] === service) return role;
  }
  const nearest = roles
    .filter(hasDefaults)
    .map((role) => ({ role, score: Math.min(distance(service, role), distance(service.replace(/-/g, '_'), role)) }))
    .sort((a, b) => a.score - b.score || a.role.localeCompare(b.role))
    .slice(0, 3)
    .map((entry) => entry.role);
  throw new UnknownServiceRoleError(service, nearest);
}

/** A role's defaults (empty when it has none). */
export function roleDefaults(checkout: string, role: string): VarsFile {
  const path = rolePath(checkout, role, 'defaults', 'main.yml');
  const shown = `${ROLES_DIR}/${role}/defaults/main.yml`;
  if (!fs.existsSync(path)) return { file: shown, vars: {}, lines: new Map() };
  return readVarsFile(path, shown);
}

/** The role's dependency tree from the meta/main.yml files; a role already on the path is not followed again. */
export function roleTree(
  checkout: string,
  role: string,
  params: VarsFile = emptyParams(role),
  path: string[] = [],
): RoleUse {
  const use: RoleUse = { role, params, dependencies: [] };
  const metaPath = rolePath(checkout, role, 'meta', 'main.yml');
  if (path.includes(role) || !fs.existsSync(metaPath)) return use;
  const shown = `${ROLES_DIR}/${role}/meta/main.yml`;
  const meta = readVarsFile(metaPath, shown);
  const dependencies = Array.isArray(meta.vars.dependencies) ? meta.vars.dependencies : [];
  dependencies.forEach((entry: unknown, index: number) => {
    const name = typeof entry === 'string' ? entry : isDict(entry) ? String(entry.role ?? entry.name ?? '') : '';
    // A role from Galaxy or another path: not in this checkout, nothing to read.
    if (!name || !fs.existsSync(rolePath(checkout, name))) return;
    const vars: Dict = {};
    const lines = new Map<string, number>();
    if (isDict(entry)) {
      for (const [key, value] of Object.entries(entry)) {
        if (NOT_PARAMS.has(key)) continue;
        vars[key] = value;
        for (const [at, line] of meta.lines) {
          const prefix = lineKey('dependencies', [index, key]);
          if (at === prefix || at.startsWith(`${prefix}\0`)) lines.set(key + at.slice(prefix.length), line);
        }
      }
    }
    use.dependencies.push(roleTree(checkout, name, { file: shown, vars, lines }, [...path, role]));
  });
  return use;
}

function emptyParams(role: string): VarsFile {
  return { file: `${ROLES_DIR}/${role}/meta/main.yml`, vars: {}, lines: new Map() };
}

/** Every role in the tree, dependencies before the roles that need them (the order Ansible loads defaults in). */
export function rolesInLoadOrder(tree: RoleUse): string[] {
  const order: string[] = [];
  const visit = (use: RoleUse) => {
    for (const dependency of use.dependencies) visit(dependency);
    if (!order.includes(use.role)) order.push(use.role);
  };
  visit(tree);
  return order;
}

/** The role's templates directory, for templates that write the config file. */
export function roleTemplate(checkout: string, role: string, relative: string): { path: string; shown: string } | null {
  const path = rolePath(checkout, role, 'templates', relative);
  return fs.existsSync(path) ? { path, shown: `${ROLES_DIR}/${role}/templates/${relative}` } : null;
}
