import { type RepoFacts, analyzeRepo } from '../analyze/analyze.js';
import { NotADjangoServiceError } from '../errors.js';
import type { RepoReader } from '../reader/reader.js';
import { resolveConfig } from './decisions.js';
import { type OperatorFlags, type PublicImage, publicImageFromFlags, publicImageFromRepo } from './public-image.js';

/** Where the derivative's facts came from. */
export type DerivativeMode = 'service-repo' | 'operator-repo';

/**
 * The public image a derivative builds FROM. In the service repo: fresh detection plus
 * the app generator's stored decisions (so derivatives follow a change of user, port or
 * command). In an operator's repo without IDA source: flags, then stored operator values.
 * `known` passes facts a caller already has (null: the repo is known to have no service).
 */
export function resolvePublicImage(
  reader: RepoReader,
  stored: Record<string, unknown>,
  flags: OperatorFlags,
  known?: RepoFacts | null,
): { image: PublicImage; mode: DerivativeMode; operator: OperatorFlags | null } {
  const baseImage = flags.baseImage ?? (stored.baseImage as string | undefined);
  let facts = known;
  if (facts === undefined) {
    try {
      facts = analyzeRepo(reader);
    } catch (error) {
      if (!(error instanceof NotADjangoServiceError)) throw error;
      facts = null;
    }
  }
  if (facts === null) {
    const operator = { ...(stored.operator as OperatorFlags | undefined), ...definedOnly(flags), baseImage };
    return { image: publicImageFromFlags(operator, reader.label), mode: 'operator-repo', operator };
  }
  const appFlags = definedOnly({ service: flags.service, port: flags.port, uid: flags.uid, appDir: flags.appDir, workers: flags.workers });
  const config = resolveConfig(facts, { flags: appFlags, stored });
  return { image: publicImageFromRepo(facts, config, baseImage), mode: 'service-repo', operator: null };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined && item !== '')) as Partial<T>;
}
