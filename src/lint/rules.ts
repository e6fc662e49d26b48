import type { Instruction } from 'dockerfile-ast';
import { type Builder, type LintContext, type Severity, finalImageStages, lineOf, substitute } from './model.js';

/** A rule's finding before the file name is known. */
export interface RuleHit {
  line: number;
  message: string;
}

/** A lint rule: a stable id, a severity, and the check over the parsed Dockerfile. */
export interface Rule {
  code: string;
  level: Severity;
  summary: string;
  /** For syntax rules: the builders that reject it (the rule is skipped when none of the target builders does). */
  rejectedBy?: Builder[];
  check: (context: LintContext) => RuleHit[];
}

const hit = (instruction: Instruction, message: string): RuleHit => ({ line: lineOf(instruction), message });
const keyword = (instruction: Instruction) => instruction.getKeyword().toUpperCase();
const args = (instruction: Instruction) => instruction.getArgumentsContent() ?? '';
const flags = (instruction: Instruction): { name: string; value: string | null }[] =>
  'getFlags' in instruction
    ? (instruction as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] })
        .getFlags()
        .map((flag) => ({ name: flag.getName(), value: flag.getValue() }))
    : [];
const runs = (context: LintContext) => context.instructions.filter((instruction) => keyword(instruction) === 'RUN');
const isJsonForm = (instruction: Instruction) => args(instruction).trim().startsWith('[');

/** Names that end like a secret (`DB_PASSWORD`, `NEW_RELIC_LICENSE_KEY`); `CREDENTIALS_CFG` or `SECRET_FILE` name a path. */
const SECRET_NAME =
  /(^|_)(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIALS?|(SECRET|PRIVATE|API|ACCESS|LICENSE|SIGNING)_KEY)$/i;
const BUILD_PACKAGE =
  /^(build-essential|gcc(-\d+)?|g\+\+(-\d+)?|clang(-\d+)?|make|cmake|pkg-config|cpp|[a-z0-9.+-]+-dev)$/;

/** The packages of each `apt-get install` / `apt install` in a RUN's shell text. */
function aptInstalls(text: string): string[][] {
  return text
    .split(/&&|;|\|\|/)
    .map((command) => /\bapt(?:-get)?\s+(?:-\S+\s+)*install\s+(.*)$/s.exec(command.replace(/\\\n/g, ' '))?.[1])
    .filter((rest): rest is string => rest !== undefined)
    .map((rest) => rest.split(/\s+/).filter((word) => word && !word.startsWith('-') && !word.includes('$')));
}

/** The name part of `KEY=value` / `KEY value` properties of ENV, ARG and LABEL. */
function propertyNames(instruction: Instruction): string[] {
  const text = args(instruction);
  if (keyword(instruction) === 'ARG') return [text.split('=')[0].trim()];
  if (!text.includes('=')) return [text.split(/\s+/)[0]];
  return [...text.matchAll(/(?:^|\s)([^\s=]+)=/g)].map((match) => match[1].replace(/^["']|["']$/g, ''));
}

/** Why a file is not a Dockerfile at all (empty, binary, no FROM), or null. */
export function notADockerfile(context: LintContext): string | null {
  const text = context.lines.join('\n');
  if (text.trim() === '') return 'empty file: not a Dockerfile';
  if (text.includes('\u0000')) return 'binary file: not a Dockerfile';
  if (context.stages.length === 0) return 'no FROM instruction: not a Dockerfile';
  return null;
}

export const RULES: Rule[] = [
  {
    code: 'OI001',
    level: 'error',
    rejectedBy: ['legacy'],
    summary: 'RUN --mount needs BuildKit or buildah: the legacy builder rejects it',
    check: (context) =>
      runs(context)
        .filter((run) => flags(run).some((flag) => flag.name === 'mount'))
        .map((run) =>
          hit(
            run,
            'RUN --mount: the legacy builder rejects it; keep it out of a Dockerfile meant for a bare `docker build .`, or say this file needs BuildKit',
          ),
        ),
  },
  {
    code: 'OI002',
    level: 'error',
    rejectedBy: ['legacy', 'buildah'],
    summary: 'COPY/ADD --chmod (legacy builder) and --link (legacy builder, buildah)',
    check: (context) =>
      context.instructions
        .filter((instruction) => ['COPY', 'ADD'].includes(keyword(instruction)))
        .flatMap((instruction) =>
          flags(instruction)
            .filter((flag) => flag.name === 'chmod' || flag.name === 'link')
            .map((flag) =>
              hit(
                instruction,
                `${keyword(instruction)} --${flag.name}: ${flag.name === 'link' ? 'the legacy builder and buildah reject it' : 'the legacy builder rejects it'}`,
              ),
            ),
        ),
  },
  {
    code: 'OI003',
    level: 'error',
    rejectedBy: ['legacy', 'buildah'],
    summary: 'heredocs: the legacy builder and buildah reject them',
    check: (context) =>
      context.instructions
        .filter(
          (instruction) =>
            /<<-?\s*["']?[A-Za-z_]+/.test(args(instruction)) && ['RUN', 'COPY', 'ADD'].includes(keyword(instruction)),
        )
        .map((instruction) =>
          hit(instruction, `${keyword(instruction)} with a heredoc: the legacy builder and buildah reject it`),
        ),
  },
  {
    code: 'OI004',
    level: 'error',
    rejectedBy: ['legacy', 'buildah'],
    summary: 'HEALTHCHECK --start-interval: the legacy builder and buildah reject it',
    check: (context) =>
      context.instructions
        .filter(
          (instruction) =>
            keyword(instruction) === 'HEALTHCHECK' && flags(instruction).some((flag) => flag.name === 'start-interval'),
        )
        .map((instruction) =>
          hit(instruction, 'HEALTHCHECK --start-interval: the legacy builder and buildah reject it'),
        ),
  },
  {
    code: 'OI005',
    level: 'error',
    summary: 'FROM uses an ARG that has no default: a bare build fails',
    check: (context) =>
      context.stages.flatMap((stage) =>
        [...args(stage.from).matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)]
          .filter((match) => (context.globalArgs.has(match[1]) ? context.globalArgs.get(match[1]) === undefined : true))
          .map((match) =>
            hit(
              stage.from,
              `FROM uses \${${match[1]}}, which has no default: a bare \`docker build .\` fails; give the ARG a default`,
            ),
          ),
      ),
  },
  {
    code: 'OI006',
    level: 'error',
    summary: 'unresolved merge conflict markers',
    check: (context) =>
      context.lines.flatMap((line, index) =>
        /^(<{7}|>{7})(\s|$)/.test(line)
          ? [
              {
                line: index + 1,
                message: `unresolved conflict marker ${line.slice(0, 7)}: keep the lines you want, delete the <<<<<<< ||||||| ======= >>>>>>> lines`,
              },
            ]
          : [],
      ),
  },
  {
    code: 'OI007',
    level: 'error',
    summary: 'not a Dockerfile: empty, binary, or no FROM',
    check: (context) => {
      const problem = notADockerfile(context);
      return problem ? [{ line: 1, message: problem }] : [];
    },
  },
  {
    code: 'OI010',
    level: 'error',
    summary: 'the image runs as root',
    check: (context) => {
      const stages = finalImageStages(context);
      const users = stages.flatMap((stage) =>
        stage.instructions.filter((instruction) => keyword(instruction) === 'USER'),
      );
      const last = users.at(-1);
      const final = stages.at(-1);
      if (!final) return [];
      if (!last) return [hit(final.from, 'no USER in the final image: it runs as root; add USER <uid>:<gid>')];
      return /^(root|0)(:|$)/.test(args(last).trim())
        ? [hit(last, 'the last USER is root: the service runs as root; end with a numeric non-root USER')]
        : [];
    },
  },
  {
    code: 'OI011',
    level: 'warning',
    summary: 'USER by name: use a numeric UID so runAsNonRoot can verify it',
    check: (context) =>
      context.instructions
        .filter(
          (instruction) =>
            keyword(instruction) === 'USER' &&
            !/^(\d+|\$\{?\w+\}?)(:(\d+|\$\{?\w+\}?))?$/.test(args(instruction).trim()) &&
            !/^root(:|$)/.test(args(instruction).trim()),
        )
        .map((instruction) =>
          hit(
            instruction,
            `USER ${args(instruction).trim()}: use a numeric UID (Kubernetes runAsNonRoot cannot verify a name)`,
          ),
        ),
  },
  {
    code: 'OI020',
    level: 'warning',
    summary: 'shell-form CMD/ENTRYPOINT: signals do not reach the service',
    check: (context) =>
      context.instructions
        .filter((instruction) => ['CMD', 'ENTRYPOINT'].includes(keyword(instruction)) && !isJsonForm(instruction))
        .map((instruction) =>
          hit(
            instruction,
            `shell-form ${keyword(instruction)}: /bin/sh is PID 1 and docker stop's SIGTERM never reaches the service; use the JSON form`,
          ),
        ),
  },
  {
    code: 'OI030',
    level: 'error',
    summary: 'a secret in ARG, ENV or LABEL (by name): it stays in the image metadata',
    check: (context) =>
      context.instructions
        .filter((instruction) => ['ARG', 'ENV', 'LABEL'].includes(keyword(instruction)))
        .flatMap((instruction) =>
          propertyNames(instruction)
            .filter((name) => SECRET_NAME.test(name))
            .map((name) =>
              hit(
                instruction,
                `${keyword(instruction)} ${name}: secrets in ${keyword(instruction)} are kept in the image; pass them at run time or as a BuildKit secret`,
              ),
            ),
        ),
  },
  {
    code: 'OI040',
    level: 'warning',
    summary: 'base image untagged or :latest',
    check: (context) =>
      context.stages
        .filter((stage) => !stage.parent && stage.image.toLowerCase() !== 'scratch' && !stage.image.includes('$'))
        .flatMap((stage) => {
          if (/@sha256:/.test(stage.image)) return [];
          const tag = /:([^/:]+)$/.exec(stage.image)?.[1];
          if (!tag) return [hit(stage.from, `FROM ${stage.image}: no tag, so it means :latest; pin a version`)];
          return tag === 'latest'
            ? [hit(stage.from, `FROM ${stage.image}: :latest changes under you; pin a version`)]
            : [];
        }),
  },
  {
    code: 'OI050',
    level: 'warning',
    summary: 'apt-get update and install in different RUNs',
    check: (context) =>
      runs(context)
        .filter((run) => /\bapt(-get)?\s+update\b/.test(args(run)) && aptInstalls(args(run)).length === 0)
        .map((run) =>
          hit(
            run,
            'apt-get update in a RUN without an install: the cached index goes stale; update and install in one RUN',
          ),
        ),
  },
  {
    code: 'OI051',
    level: 'warning',
    summary: 'apt-get install without --no-install-recommends',
    check: (context) =>
      runs(context)
        .filter(
          (run) =>
            aptInstalls(args(run)).length > 0 &&
            !/--no-install-recommends|APT::Install-Recommends=("|')?(false|0)/.test(args(run)),
        )
        .map((run) =>
          hit(run, 'apt-get install without --no-install-recommends: recommended packages bloat the image'),
        ),
  },
  {
    code: 'OI052',
    level: 'warning',
    summary: 'apt lists left in the layer',
    check: (context) =>
      runs(context)
        .filter(
          (run) =>
            aptInstalls(args(run)).length > 0 &&
            !/rm\s+-[a-z]*r[a-z]*f?[a-z]*\s+\/var\/lib\/apt\/lists/.test(args(run)) &&
            !flags(run).some((flag) => (flag.value ?? '').includes('/var/lib/apt')),
        )
        .map((run) =>
          hit(run, 'apt-get install without rm -rf /var/lib/apt/lists/*: the package index stays in the layer'),
        ),
  },
  {
    code: 'OI060',
    level: 'warning',
    summary: 'pip cache left in the layer',
    check: (context) => {
      const noCacheEnv = context.instructions.some(
        (instruction) => keyword(instruction) === 'ENV' && /PIP_NO_CACHE_DIR=(1|true|on|yes)/i.test(args(instruction)),
      );
      return runs(context)
        .filter(
          (run) =>
            /\bpip3?\s+install\b/.test(args(run)) &&
            !/--no-cache-dir/.test(args(run)) &&
            !noCacheEnv &&
            !flags(run).some((flag) => flag.name === 'mount' && /type=cache/.test(flag.value ?? '')),
        )
        .map((run) =>
          hit(run, 'pip install without --no-cache-dir (or a cache mount): the download cache stays in the layer'),
        );
    },
  },
  {
    code: 'OI070',
    level: 'warning',
    summary: 'ADD for local files: use COPY',
    check: (context) =>
      context.instructions
        .filter((instruction) => keyword(instruction) === 'ADD')
        .filter((instruction) => {
          const sources = args(instruction).split(/\s+/).slice(0, -1);
          return (
            sources.length > 0 &&
            sources.every(
              (source) => !/^(https?|git):\/\//.test(source) && !/\.(tar|tgz|tar\.(gz|bz2|xz|zst))$/.test(source),
            )
          );
        })
        .map((instruction) =>
          hit(
            instruction,
            'ADD of local files: use COPY, which does only that (ADD also fetches URLs and unpacks archives)',
          ),
        ),
  },
  {
    code: 'OI080',
    level: 'warning',
    summary: 'relative WORKDIR',
    check: (context) =>
      context.instructions
        .filter((instruction) => keyword(instruction) === 'WORKDIR' && !/^["']?(\/|\$)/.test(args(instruction).trim()))
        .map((instruction) =>
          hit(
            instruction,
            `WORKDIR ${args(instruction).trim()}: relative to whatever the base set; use an absolute path`,
          ),
        ),
  },
  {
    code: 'OI090',
    level: 'warning',
    summary: 'compilers or -dev packages in the final image',
    check: (context) =>
      finalImageStages(context).flatMap((stage) =>
        stage.instructions
          .filter((instruction) => keyword(instruction) === 'RUN')
          .flatMap((run) => {
            const found = aptInstalls(substitute(args(run), context.globalArgs))
              .flat()
              .filter((pkg) => BUILD_PACKAGE.test(pkg));
            return found.length > 0
              ? [hit(run, `${found.join(', ')} in the final image: build in an earlier stage and copy the result`)]
              : [];
          }),
      ),
  },
  {
    code: 'OI100',
    level: 'info',
    summary: 'no OCI labels in the final image',
    check: (context) => {
      const final = context.stages.at(-1);
      const labelled = finalImageStages(context).some((stage) =>
        stage.instructions.some(
          (instruction) => keyword(instruction) === 'LABEL' && args(instruction).includes('org.opencontainers.image.'),
        ),
      );
      return final && !labelled
        ? [hit(final.from, 'no org.opencontainers.image.* LABEL (title, source, version, revision) in the final image')]
        : [];
    },
  },
];
