import Generator, { type BaseOptions } from 'yeoman-generator';
import type { RepoFacts } from '../../src/analyze/analyze.js';
import {
  type Generation,
  analyzeFor,
  appFlags,
  generate,
  generatorTargets,
  hasAppDecisions,
  openRepo,
} from '../../src/core/generate.js';
import type { FilePlan } from '../../src/core/plan.js';
import { describeImage, describePlans, runError } from '../../src/core/report.js';
import { yeomanOptions } from '../../src/model/options.js';
import { firstRunSummary } from '../../src/core/summary.js';
import { toQuestions } from '../../src/model/questions.js';
import type { RepoReader } from '../../src/reader/reader.js';
import { safeCommitTask } from '../safe-commit.js';
import { queueGeneration } from '../write-generated.js';

type Options = BaseOptions & {
  repo?: string;
  yes?: boolean;
  djangoPackage?: string;
  askAnswered?: boolean;
  newrelic?: boolean;
  private?: boolean;
} & Record<string, unknown>;

/**
 * `openedx-ida app [REPO]` and `yo openedx-ida`: examines an IDA repo and writes its
 * Dockerfile, .dockerignore and example YAML (with --newrelic and --private, the derivative
 * Dockerfiles too). Glue only: the core (src/core) analyzes, resolves and renders; this
 * class asks the questions and writes through Yeoman's file system.
 */
export default class AppGenerator extends Generator<Record<string, unknown>, Options> {
  #reader!: RepoReader;
  #stored: Record<string, unknown> = {};
  #facts!: RepoFacts | null;
  #answers: Record<string, unknown> | undefined;
  #generation!: Generation;
  #plans: FilePlan[] = [];

  constructor(args?: string[], options?: Options) {
    const commit: { task?: () => Promise<void> } = {};
    // customInstallTask: this tool installs nothing, so the environment's npm install step is skipped.
    super(args, options, {
      tasksMatchingPriority: true,
      unique: 'namespace',
      customInstallTask: true,
      customCommitTask: () => commit.task!(),
    });
    commit.task = safeCommitTask(this);
    this.argument('repo', {
      type: String,
      required: false,
      default: '.',
      description: 'The IDA repository (default: the current directory)',
    });
    for (const [name, spec] of yeomanOptions('app')) this.option(name, spec);
  }

  initializing() {
    this.#reader = openRepo(String(this.options.repo ?? '.'));
    this.destinationRoot(this.options.repo ?? '.');
    this.#stored = this.config.getAll();
    this.#facts = analyzeFor(this.#reader, this.#stored, generatorTargets('app', this.options), this.options);
    for (const warning of this.#facts?.warnings ?? []) this.log(`warning: ${warning.message}`);
  }

  async prompting() {
    // The first-run rule: questions until the app's decisions are stored (or with --ask-answered).
    if (this.options.yes || (hasAppDecisions(this.#stored) && !this.options.askAnswered)) return;
    this.#answers = (await this.prompt(
      toQuestions(this.#facts!, appFlags(this.options), this.#stored) as never,
    )) as Record<string, unknown>;
  }

  writing() {
    this.#generation = generate(this.#reader, this.#stored, {
      targets: generatorTargets('app', this.options),
      flags: this.options,
      answers: this.#answers,
      facts: this.#facts,
    });
    if (this.#generation.image) this.log(describeImage(this.#generation));
    this.#plans = queueGeneration(this, this.#reader, this.#generation);
  }

  end() {
    const force = this.options.force === true;
    for (const line of describePlans(this.#plans, { force })) this.log(line);
    const error = runError(this.#plans, { force, refused: [] });
    if (error) throw error;
    if (!hasAppDecisions(this.#stored) && !this.options.dryRun)
      for (const line of firstRunSummary(this.#generation)) this.log(line);
  }
}
