import Generator, { type BaseOptions } from 'yeoman-generator';
import { generate, openRepo } from '../src/core/generate.js';
import { type GeneratorName, yeomanOptions } from '../src/model/options.js';
import type { FilePlan } from '../src/core/plan.js';
import { describeImage, describePlans, runError } from '../src/core/report.js';
import { safeCommitTask } from './safe-commit.js';
import { queueGeneration } from './write-generated.js';

export type DerivativeOptions = BaseOptions & { repo?: string; yes?: boolean } & Record<string, unknown>;

/**
 * Glue shared by the New Relic, private and compose generators: the REPO argument, the flags, and
 * writing what the core generates. They ask nothing: every decision is a flag, a stored
 * value or a default.
 */
export abstract class DerivativeGenerator extends Generator<Record<string, unknown>, DerivativeOptions> {
  #plans: FilePlan[] = [];
  readonly #variant: Exclude<GeneratorName, 'app'>;

  constructor(
    args: string[] | undefined,
    options: DerivativeOptions | undefined,
    variant: Exclude<GeneratorName, 'app'>,
  ) {
    const commit: { task?: () => Promise<void> } = {};
    super(args, options, {
      tasksMatchingPriority: true,
      inheritTasks: true,
      customInstallTask: true,
      customCommitTask: () => commit.task!(),
    });
    commit.task = safeCommitTask(this);
    this.#variant = variant;
    this.argument('repo', {
      type: String,
      required: false,
      default: '.',
      description: 'The service repo, or an operator repo without IDA source',
    });
    for (const [name, spec] of yeomanOptions(variant)) this.option(name, spec);
  }

  writing() {
    const reader = openRepo(String(this.options.repo ?? '.'));
    this.destinationRoot(this.options.repo ?? '.');
    const generation = generate(reader, this.config.getAll(), { targets: [this.#variant], flags: this.options });
    for (const note of generation.notes) this.log(`warning: ${note}`);
    if (generation.image) this.log(describeImage(generation));
    this.#plans = queueGeneration(this, reader, generation);
  }

  end() {
    const force = this.options.force === true;
    for (const line of describePlans(this.#plans, { force })) this.log(line);
    const error = runError(this.#plans, { force, refused: [] });
    if (error) throw error;
  }
}
