// The CLI's one error type: what the operator reads, and the exit code. Messages never hold code values.

/** Exit codes: 0 ok, 1 the command ran and failed (bad file, audit mismatch, not found), 2 bad usage. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILED,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
