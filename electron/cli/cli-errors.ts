// How the CLI reports failures: exit 2 for usage, 3 for anything a user can act on.
import { NativeError } from '../../native/errors.ts';
import { MissingInputError } from './secrets-input.ts';

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_USER_ERROR = 3;

export class UsageError extends Error {}

export interface ErrorReport {
  readonly code: string;
  readonly message: string;
  readonly retries?: number;
}

export function reportFor(error: unknown): { exit: number; report: ErrorReport } {
  if (error instanceof UsageError) return { exit: EXIT_USAGE, report: { code: 'USAGE', message: error.message } };
  if (error instanceof MissingInputError) return { exit: EXIT_USAGE, report: { code: 'USAGE', message: error.message } };
  if (error instanceof NativeError) {
    const report: ErrorReport = error.retries === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, retries: error.retries };
    return { exit: EXIT_USER_ERROR, report };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exit: EXIT_USER_ERROR, report: { code: 'INTERNAL', message: `Something went wrong inside the app: ${message}` } };
}
