import Generator, { type BaseOptions } from 'yeoman-generator';
import { type RepoFacts, analyzeRepo } from '../../src/analyze/analyze.js';
import { DECISIONS, type GeneratorConfig, resolveConfig, toStoredConfig } from '../../src/model/decisions.js';
import { toQuestions } from '../../src/model/questions.js';
import { DiskReader } from '../../src/reader/disk-reader.js';
import { renderAppFiles } from '../../src/render/render.js';
import { FACTS_SNAPSHOT } from '../../src/regen/pristine.js';
import { toFactsSnapshot } from '../../src/regen/facts-snapshot.js';
import { ConflictsError } from '../../src/errors.js';
import { type WriteReport, describeReport, writeGenerated } from '../write-generated.js';
import { TEMPLATES_DIR } from '../../src/package-info.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yeomanOptions } from '../../src/model/options.js';
import NewrelicGenerator from '../newrelic/index.js';
import PrivateGenerator from '../private/index.js';

type Options = BaseOptions & { repo?: string; yes?: boolean; djangoPackage?: string; askAnswered?: boolean } & Record<string, unknown>;

/**
 * `openedx-ida app [REPO]`: examines an IDA repo and writes its Dockerfile,
 * .dockerignore and example YAML. Glue only: analysis, models and rendering live in src/.
 */
export default class AppGenerator extends Generator<Record<string, unknown>, Options> {
  #facts!: RepoFacts;
  #config!: GeneratorConfig;
  #report: WriteReport = { merged: [], kept: [], conflicts: [] };

  constructor(args: string[], options: Options) {
    // customInstallTask: this tool installs nothing, so the environment's npm install step is skipped.
    super(args, options, { tasksMatchingPriority: true, unique: 'namespace', customInstallTask: true });
    this.argument('repo', { type: String, required: false, default: '.', description: 'The IDA repository (default: the current directory)' });
    for (const [name, spec] of yeomanOptions('app')) this.option(name, spec);
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
    // A run of the app generator always stores its non-detected decisions (exampleConfig among
    // them); other keys (a derivative's) do not mean the app's questions were answered.
    const answeredBefore = this.config.get('exampleConfig') !== undefined;
    if (this.options.yes || (answeredBefore && !this.options.askAnswered)) return;
    const answers = await this.prompt(toQuestions(this.#facts, this.#flags(), this.config.getAll()) as never);
    this.#config = resolveConfig(this.#facts, { flags: this.#flags(), answers: answers as Record<string, unknown>, stored: this.config.getAll() });
  }

  configuring() {
    this.config.set(toStoredConfig(this.#config, this.#facts));
  }

  async default() {
    // The variants read the decisions just stored, so they follow this run's choices.
    const options = { ...this.options, repo: this.destinationRoot(), composedByApp: true };
    if (this.options.newrelic) await this.composeWith({ Generator: NewrelicGenerator, path: fileURLToPath(new URL('../newrelic/index.js', import.meta.url)) }, options as never);
    if (this.options.private) await this.composeWith({ Generator: PrivateGenerator, path: fileURLToPath(new URL('../private/index.js', import.meta.url)) }, options as never);
  }

  writing() {
    this.#report = writeGenerated(this, renderAppFiles(this.#facts, this.#config));
    const snapshot = this.destinationPath(FACTS_SNAPSHOT);
    const before = this.fs.read(snapshot, { defaults: null });
    this.fs.writeJSON(snapshot, toFactsSnapshot(this.#facts));
    // Tool state, not the user's: never asked about (and reported identical when it is).
    if (before !== null && this.fs.read(snapshot) !== before) (this.fs.store.get(snapshot) as { conflicter?: string }).conflicter = 'force';
  }

  end() {
    for (const line of describeReport(this.#report)) this.log(line);
    if (this.#report.conflicts.length > 0) throw new ConflictsError(this.#report.conflicts);
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
