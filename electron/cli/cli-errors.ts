// How the CLI reports failures: exit 2 for usage, 3 for anything a user can act on,
// 130 when the user pressed Ctrl-C at a prompt (128 + SIGINT, as shells report it).
import { toAppError } from '../services/app-error.ts';
import { InputCancelledError, MissingInputError } from './secrets-input.ts';

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_USER_ERROR = 3;
export const EXIT_CANCELLED = 130;

export class UsageError extends Error {}

export interface ErrorReport {
  readonly code: string;
  readonly message: string;
  readonly retries?: number;
  readonly detail?: string;
  readonly field?: string;
  readonly rule?: string;
  /** The facts the words were made from (serial, reader, step…), for scripts. */
  readonly facts?: object;
  /** enroll-test: what was found before the failure. */
  readonly found?: unknown;
}

/** A failure a command has already put into words (and, for people, a text of what it found). */
export class CommandFailure extends Error {
  constructor(
    readonly report: ErrorReport,
    readonly exit: number,
    readonly text: string = '',
  ) {
    super(report.message);
  }
}

export function reportFor(error: unknown): { exit: number; report: ErrorReport } {
  if (error instanceof UsageError) return { exit: EXIT_USAGE, report: { code: 'USAGE', message: error.message } };
  if (error instanceof CommandFailure) return { exit: error.exit, report: error.report };
  if (error instanceof MissingInputError) return { exit: EXIT_USAGE, report: { code: 'USAGE', message: error.message } };
  if (error instanceof InputCancelledError) return { exit: EXIT_CANCELLED, report: { code: 'CANCELLED', message: error.message } };
  // Every other failure has its code and words from the one table (native, enrollment, policy, services).
  return { exit: EXIT_USER_ERROR, report: toAppError(error) };
}
