/**
 * An error the user can act on: `message` names the problem, `nextStep` what to do.
 * The CLI prints both on one line and exits with `exitCode`; library code only throws.
 */
export class IdaError extends Error {
  readonly nextStep: string;
  readonly exitCode: number;

  constructor(message: string, nextStep: string, exitCode = 2) {
    super(message);
    this.name = new.target.name;
    this.nextStep = nextStep;
    this.exitCode = exitCode;
  }

  /** The one line the CLI prints. */
  get oneLine(): string {
    return `${this.message}; ${this.nextStep}`;
  }
}

/** The target path does not exist or is not a directory. */
export class RepoNotFoundError extends IdaError {
  constructor(path: string) {
    super(`no repository at ${path}`, 'pass the path of an IDA repository checkout');
  }
}

/** The repo has no Django service the tool can find. */
export class NotADjangoServiceError extends IdaError {
  constructor(root: string, lookedFor: string) {
    super(
      `no Django service found in ${root} (looked for ${lookedFor})`,
      'run it at the root of an IDA repository, or pass --django-package and --settings-module',
    );
  }
}

/** A file the analysis needs exists but cannot be read. */
export class UnreadableFileError extends IdaError {
  constructor(path: string, reason: string, nextStep = 'fix its permissions or remove it, then run again') {
    super(`cannot read ${path} (${reason})`, nextStep);
  }
}

/** A flag or stored value is not valid. */
export class InvalidOptionError extends IdaError {
  constructor(message: string, nextStep: string) {
    super(message, nextStep);
  }
}

/** Regeneration left conflict markers where the user's edits and the generator's changes meet. */
export class ConflictsError extends IdaError {
  constructor(files: string[]) {
    super(`conflicts in ${files.join(', ')}: your edits and the generator's changes touch the same lines`, 'resolve the <<<<<<< markers, then run again (or --force to take the generated version)', 1);
  }
}

/** A value read from the repo cannot go into a Dockerfile (a file name with a space, a hostile string). */
export class UnusableRepoValueError extends IdaError {
  constructor(what: string, value: string, source: string | null, why: string, nextStep: string) {
    super(`${what} ${JSON.stringify(value).slice(0, 80)}${source ? ` (${source})` : ''} cannot go into a Dockerfile (${why})`, nextStep);
  }
}

/** The first argument is neither a command nor a repo, and looks like a mistyped command. */
export class UnknownCommandError extends IdaError {
  constructor(word: string, meant: string) {
    super(`unknown command ${JSON.stringify(word)} (no repository at that path either)`, `did you mean ${meant}? See openedx-ida --help for the commands`);
  }
}
