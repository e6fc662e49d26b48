import Generator, { type BaseOptions } from 'yeoman-generator';
import type { OperatorFlags, PublicImage } from '../src/model/public-image.js';
import { resolvePublicImage } from '../src/model/resolve-public-image.js';
import { DiskReader } from '../src/reader/disk-reader.js';
import { ConflictsError, InvalidOptionError } from '../src/errors.js';
import { type WriteReport, describeReport } from './write-generated.js';

export type DerivativeOptions = BaseOptions & { repo?: string; yes?: boolean } & OperatorFlags & Record<string, unknown>;

/** A CLI flag declaration: name and Yeoman option spec. */
export type OptionDeclaration = [string, { type: typeof String | typeof Number | typeof Boolean; description: string }];

/** The public image's name: also accepted by `app --newrelic --private`. */
export const BASE_IMAGE_OPTION: OptionDeclaration = ['base-image', { type: String, description: 'The public image with a tag (default: docker.io/openedx/<service>:main)' }];

/** Facts about the public image that an operator repo (no IDA source) gives as flags (numbers as String: see app). */
const OPERATOR_OPTIONS: OptionDeclaration[] = [
  ['service', { type: String, description: 'Operator repo: the service name' }],
  ['port', { type: String, description: 'Operator repo: the port the public image listens on' }],
  ['wsgi-app', { type: String, description: 'Operator repo: the WSGI app (pkg.wsgi:application)' }],
  ['gunicorn-config', { type: String, description: 'Operator repo: the gunicorn config file in the image (relative to the app dir)' }],
  ['server', { type: String, description: 'Operator repo: the WSGI server the public image runs, gunicorn (default) or uwsgi' }],
  ['uid', { type: String, description: 'The public image user (default 1000)' }],
  ['app-dir', { type: String, description: 'The public image app dir (default /edx/app/<service>)' }],
  ['workers', { type: String, description: 'gunicorn workers (default 2)' }],
];

/**
 * Glue shared by the New Relic and private generators: the REPO argument, the flags that
 * describe the public image in an operator's repo, and resolving that image.
 * Subclasses add their own flags, decisions and writing task.
 */
/** A numeric flag's value, or undefined when not given; throws naming the flag when not a whole number. */
function numberFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidOptionError(`--${flag} ${JSON.stringify(value)} is not a positive whole number`, `pass --${flag} <number>`);
  return number;
}

export abstract class DerivativeGenerator extends Generator<Record<string, unknown>, DerivativeOptions> {
  protected image!: PublicImage;
  protected report: WriteReport = { merged: [], kept: [], conflicts: [] };
  /** The subcommand name, for messages. */
  protected abstract readonly variant: string;

  constructor(args: string[], options: DerivativeOptions) {
    // No npm install step; when composed by app, app's own customInstallTask already covers it.
    super(args, options, { tasksMatchingPriority: true, inheritTasks: true, customInstallTask: options.composedByApp !== true });
    this.argument('repo', { type: String, required: false, default: '.', description: 'The service repo, or an operator repo without IDA source' });
    this.option('yes', { type: Boolean, alias: 'y', description: 'Accept stored decisions and defaults without asking' });
    for (const [name, spec] of [BASE_IMAGE_OPTION, ...OPERATOR_OPTIONS]) this.option(name, spec);
  }

  initializing() {
    const reader = new DiskReader(String(this.options.repo ?? '.'));
    this.destinationRoot(this.options.repo ?? '.');
    const { image, mode, operator } = resolvePublicImage(reader, this.config.getAll(), {
      baseImage: this.options.baseImage,
      service: this.options.service,
      port: numberFlag(this.options.port, 'port'),
      wsgiApp: this.options.wsgiApp,
      gunicornConfig: this.options.gunicornConfig,
      server: this.options.server,
      uid: numberFlag(this.options.uid, 'uid'),
      appDir: this.options.appDir,
      workers: numberFlag(this.options.workers, 'workers'),
    });
    this.image = image;
    if (this.options.baseImage) this.config.set('baseImage', this.options.baseImage);
    if (operator) this.config.set('operator', operator);
    this.log(`${this.variant}: FROM ${image.baseImage} (${mode === 'service-repo' ? 'facts from this service repo' : 'operator repo: facts from flags'})`);
  }

  end() {
    for (const line of describeReport(this.report)) this.log(line);
    if (this.report.conflicts.length > 0) throw new ConflictsError(this.report.conflicts);
  }
}
