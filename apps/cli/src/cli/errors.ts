// Errors in how the command was called (exit 2): the message says what was wrong, the hint what
// the user probably meant. Every other error means the work itself failed (exit 1).

export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
