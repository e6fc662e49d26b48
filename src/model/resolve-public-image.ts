import type { RepoFacts } from '../analyze/analyze.js';
import { InvalidOptionError } from '../errors.js';
import { resolveConfig } from './decisions.js';
import { type Origin, given, optionFor, validateOption } from './options.js';
import {
  OPERATOR_FLAG,
  type OperatorFlags,
  type PublicImage,
  publicImageFromFlags,
  publicImageFromRepo,
} from './public-image.js';

/** Where the derivative's facts came from. */
export type DerivativeMode = 'service-repo' | 'operator-repo';

/**
 * The public image a derivative builds FROM. In the service repo (`facts` given): fresh
 * detection plus the app generator's stored decisions (so derivatives follow a change of
 * user, port or command). In an operator's repo without IDA source (`facts` null): flags,
 * then stored operator values. `where` names the repo in errors. Analysis is the caller's.
 */
export function resolvePublicImage(
  where: string,
  stored: Record<string, unknown>,
  flags: OperatorFlags,
  facts: RepoFacts | null,
): { image: PublicImage; mode: DerivativeMode; operator: OperatorFlags | null } {
  const baseImage = given(flags.baseImage)
    ? (validateOption(optionFor('base-image'), flags.baseImage, { from: 'flag' }) as string)
    : stored.baseImage === undefined
      ? undefined
      : (validateOption(optionFor('base-image'), stored.baseImage, { from: 'stored', key: 'baseImage' }) as string);
  if (facts === null) {
    const operator = { ...storedOperator(stored.operator), ...flagOperator(flags), baseImage };
    return { image: publicImageFromFlags(operator, where), mode: 'operator-repo', operator };
  }
  const appFlags = definedOnly({
    service: flags.service,
    port: flags.port,
    uid: flags.uid,
    appDir: flags.appDir,
    workers: flags.workers,
  });
  const config = resolveConfig(facts, { flags: appFlags, stored });
  return { image: publicImageFromRepo(facts, config, baseImage), mode: 'service-repo', operator: null };
}

/**
 * The operator values stored in `.yo-rc.json`, each checked against its grammar so an error
 * names the stored key (publicImageFromFlags checks them again with the flags).
 */
function storedOperator(value: unknown): OperatorFlags {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(
      'operator in .yo-rc.json is not an object',
      'fix or remove operator in .yo-rc.json, then pass the operator flags again',
    );
  }
  // A stored empty string is checked (and refused), not skipped as an empty flag is.
  return checkedOperator(
    value as Record<string, unknown>,
    (raw) => raw !== undefined && raw !== null,
    (key) => ({ from: 'stored', key: `operator.${key}` }),
  );
}

/** The operator values given as flags, checked and typed (a port is stored as a number). */
function flagOperator(flags: OperatorFlags): OperatorFlags {
  return checkedOperator(flags as Record<string, unknown>, given, () => ({ from: 'flag' }));
}

/** Each present operator value checked by its option's grammar; `origin` names it in an error. */
function checkedOperator(
  values: Record<string, unknown>,
  present: (raw: unknown) => boolean,
  origin: (key: string) => Origin,
): OperatorFlags {
  const operator: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(OPERATOR_FLAG)) {
    if (present(values[key])) operator[key] = validateOption(optionFor(flag), values[key], origin(key));
  }
  return operator as OperatorFlags;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined && item !== ''),
  ) as Partial<T>;
}
