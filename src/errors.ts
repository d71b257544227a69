/**
 * Every error a user can cause (bad file, bad flag, missing permission, unknown target) is a
 * BridgescopeError with a stable `code`. The CLI prints `message` on one line and exits with
 * `exitCode`; anything else is a bug and keeps its stack. `message` may quote file names and file
 * bytes as they are: whoever shows it escapes it (cli/stderr.ts, present/sanitize.ts).
 */
export class BridgescopeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A capture file that cannot be read further. Frames before `offset` were delivered. */
export class CaptureFileError extends BridgescopeError {
  constructor(
    code: string,
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(code, `${file}: ${detail} at byte offset ${offset}`);
  }
}

/** A command-line value that makes no sense; names the flag. */
export class UsageError extends BridgescopeError {
  constructor(message: string) {
    super('BS_USAGE', message);
  }
}
