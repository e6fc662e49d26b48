import Generator, { type BaseOptions } from 'yeoman-generator';
import { type RepoFacts, analyzeRepo } from '../../src/analyze/analyze.js';
import { DECISIONS, type GeneratorConfig, resolveConfig, toStoredConfig } from '../../src/model/decisions.js';
import { toQuestions } from '../../src/model/questions.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { renderAppFiles } from '../../src/render/render.js';
import { TEMPLATES_DIR } from '../../src/version.js';
import { join } from 'node:path';

type Options = BaseOptions & { repo?: string; yes?: boolean; djangoPackage?: string; askAnswered?: boolean } & Record<string, unknown>;

const OPTION_TYPES = { string: String, number: Number, boolean: Boolean } as const;

/**
 * `openedx-ida app [REPO]`: examines an IDA repo and writes its Dockerfile,
 * .dockerignore and example YAML. Glue only: analysis, models and rendering live in src/.
 */
export default class AppGenerator extends Generator<Record<string, unknown>, Options> {
  #facts!: RepoFacts;
  #config!: GeneratorConfig;

  constructor(args: string[], options: Options) {
    super(args, options, { tasksMatchingPriority: true, unique: 'namespace', customInstallTask: true });
    this.argument('repo', { type: String, required: false, default: '.', description: 'The IDA repository (default: the current directory)' });
    this.option('yes', { type: Boolean, alias: 'y', description: 'Accept detected values and stored decisions without asking' });
    this.option('django-package', { type: String, description: 'The Django package, when detection cannot find it' });
    for (const decision of DECISIONS) {
      this.option(decision.flag, { type: OPTION_TYPES[decision.kind], description: decision.description });
    }
    this.sourceRoot(join(TEMPLATES_DIR, 'app'));
  }

  initializing() {
    const reader = new DiskReader(String(this.options.repo ?? '.'));
    this.destinationRoot(this.options.repo ?? '.');
    this.#facts = analyzeRepo(reader, {
      djangoPackage: this.options.djangoPackage,
      settingsModule: this.options.settingsModule as string | undefined,
    });
    for (const warning of this.#facts.warnings) this.log(`warning: ${warning.message}`);
    this.#config = resolveConfig(this.#facts, { flags: this.#flags(), stored: this.config.getAll() });
  }

  async prompting() {
    const answeredBefore = Object.keys(this.config.getAll()).length > 0;
    if (this.options.yes || (answeredBefore && !this.options.askAnswered)) return;
    const answers = await this.prompt(toQuestions(this.#facts, this.#flags(), this.config.getAll()) as never);
    this.#config = resolveConfig(this.#facts, { flags: this.#flags(), answers: answers as Record<string, unknown>, stored: this.config.getAll() });
  }

  configuring() {
    this.config.set(toStoredConfig(this.#config, this.#facts));
  }

  writing() {
    for (const [path, content] of renderAppFiles(this.#facts, this.#config)) {
      this.fs.write(this.destinationPath(path), content);
    }
  }

  /** The decisions given as flags, keyed like GeneratorConfig. */
  #flags(): Record<string, unknown> {
    const flags: Record<string, unknown> = {};
    for (const decision of DECISIONS) {
      const value = this.options[decision.key];
      if (value !== undefined) flags[decision.key] = value;
    }
    return flags;
  }
}
