/** What `esu-scan` exits with (documented in the README: CI relies on them). */
export const EXIT_CODES = {
  /** The command ran to the end (a scan: every subscription was tried; access errors are findings). */
  ok: 0,
  /** The command could not finish: a subscription scan or the run failed, the subscriptions could not be listed. */
  notFinished: 1,
  /** Usage: an unknown option or value, an estate folder that is not one. */
  usage: 2,
  /** `scan --fail-on LEVEL`: the scan finished and found results at or above LEVEL. */
  failOn: 3,
  /** The results were not saved (the local storage emulator could not persist them). */
  notSaved: 4,
} as const;

/** An error the CLI reports as one line and exits with its code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}
