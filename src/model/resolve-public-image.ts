import type { RepoFacts } from '../analyze/analyze.js';
import { resolveConfig } from './decisions.js';
import { type OperatorFlags, type PublicImage, publicImageFromFlags, publicImageFromRepo } from './public-image.js';

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
  const baseImage = flags.baseImage ?? (stored.baseImage as string | undefined);
  if (facts === null) {
    const operator = { ...(stored.operator as OperatorFlags | undefined), ...definedOnly(flags), baseImage };
    return { image: publicImageFromFlags(operator, where), mode: 'operator-repo', operator };
  }
  const appFlags = definedOnly({ service: flags.service, port: flags.port, uid: flags.uid, appDir: flags.appDir, workers: flags.workers });
  const config = resolveConfig(facts, { flags: appFlags, stored });
  return { image: publicImageFromRepo(facts, config, baseImage), mode: 'service-repo', operator: null };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined && item !== '')) as Partial<T>;
}
