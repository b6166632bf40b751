/**
 * Errors every `inlet` command throws to end the run: main/cli/index.ts prints the message as one
 * line on stderr and exits with `exitCode`. One module so `serve`, `export`, `emulator` and
 * `simulate` fail the same way.
 */
export class CommandError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommandError';
    this.exitCode = exitCode;
  }
}

/** A bad command line: exit code 2, as shells and `getopt` conventions expect. */
export class UsageError extends CommandError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
    this.name = 'UsageError';
  }
}
