import { DockerfileParser, type Dockerfile, type Instruction } from 'dockerfile-ast';

export type Severity = 'error' | 'warning' | 'info' | 'style';
export const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'style'];

/** The builders whose syntax rules can be checked. */
export type Builder = 'legacy' | 'buildkit' | 'buildah';
export const BUILDERS: Builder[] = ['legacy', 'buildkit', 'buildah'];

export interface Finding {
  file: string;
  /** 1-based. */
  line: number;
  code: string;
  level: Severity;
  message: string;
}

/** One build stage: its FROM and instructions, and the stage (by index) it builds on. */
export interface Stage {
  index: number;
  name: string | null;
  from: Instruction;
  /** The base image as written, with ARG defaults substituted where known. */
  image: string;
  parent: Stage | null;
  instructions: Instruction[];
}

/** A parsed Dockerfile with the facts rules share. */
export interface LintContext {
  /** The file's lines as written (rules about the text itself: conflict markers, binary content). */
  lines: string[];
  dockerfile: Dockerfile;
  instructions: Instruction[];
  stages: Stage[];
  /** ARGs declared before the first FROM, with their defaults (undefined when none). */
  globalArgs: Map<string, string | undefined>;
}

/** Substitutes `${NAME}` / `$NAME` with known defaults; unknown ones stay as written. */
export function substitute(text: string, values: Map<string, string | undefined>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced: string | undefined, bare: string | undefined) => values.get(braced ?? bare ?? '') ?? whole,
  );
}

export function buildContext(text: string): LintContext {
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'ARG' && stages.length === 0) {
      const [name, ...value] = (instruction.getArgumentsContent() ?? '').split('=');
      globalArgs.set(name.trim(), value.length > 0 ? value.join('=').replace(/^["']|["']$/g, '') : undefined);
    } else if (keyword === 'FROM') {
      const words = (instruction.getArgumentsContent() ?? '').split(/\s+/).filter((word) => !word.startsWith('--'));
      const image = substitute(words[0] ?? '', globalArgs);
      const name = words.length >= 3 && words[1].toLowerCase() === 'as' ? words[2] : null;
      const parent =
        stages.find((stage) => stage.name !== null && stage.name.toLowerCase() === image.toLowerCase()) ?? null;
      stages.push({ index: stages.length, name, from: instruction, image, parent, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { lines: text.split('\n'), dockerfile, instructions, stages, globalArgs };
}

/** The final stage and every stage it builds on: what ends up in the image a bare build gives. */
export function finalImageStages(context: LintContext): Stage[] {
  const chain: Stage[] = [];
  for (let stage: Stage | null = context.stages.at(-1) ?? null; stage; stage = stage.parent) chain.unshift(stage);
  return chain;
}

/** 1-based line of an instruction. */
export function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}
