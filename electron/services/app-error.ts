// Every failure becomes an AppError (code + sentence) at the service boundary.
import { NativeError } from '../../native/errors.ts';
import type { AppError } from '../ipc/contract.ts';
import { currentSecretProblem, type PinRuleFailure } from '../ipc/pin-rules.ts';
import { EnrollmentError } from './enrollment/enrollment-error.ts';
import { LocalCaError, LocalCaKeyExposedError } from './enrollment/local-ca-store.ts';
import { PolicyError } from './policy/policy-loader.ts';
import { isSystemError, reasonOf, StorageError } from './store/storage-error.ts';

/** A failure the services raise themselves, with a code from the one table. */
export class ServiceError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'ServiceError';
  }
}

export function toAppError(error: unknown): AppError {
  if (error instanceof ServiceError) return error.appError;
  if (error instanceof NativeError) {
    return error.retries === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, retries: error.retries };
  }
  if (error instanceof EnrollmentError) {
    return error.detail === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, detail: error.detail };
  }
  if (error instanceof LocalCaError) return { code: 'LOCAL_CA_DAMAGED', message: error.message };
  if (error instanceof LocalCaKeyExposedError) return { code: error.code, message: error.message, detail: error.detail };
  if (error instanceof PolicyError) return { code: 'POLICY_INVALID', message: error.message, detail: error.problems.join('; ') };
  if (error instanceof StorageError) return { code: error.code, message: error.message, detail: error.path };
  // A file-system error that escaped the stores is still the machine's doing, not the app's: name the file.
  if (isSystemError(error) && typeof error.path === 'string') {
    return { code: 'STORE_UNREADABLE', message: `The file ${error.path} cannot be used: ${reasonOf(error)}.`, detail: error.path };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Something went wrong inside the app: ${message}` };
}

/** A PIN rule failure as an error that names the rule (CLI, logs); the form field and rule travel as data. */
export function pinRuleError(failure: PinRuleFailure): ServiceError {
  return new ServiceError({ code: failure.code, message: `${failure.message}: ${failure.reason}.`, field: failure.field, rule: failure.rule });
}

/** A current PIN/PUK or temporary PIN that cannot be one: refused before the card. */
export function checkCurrentSecret(value: string, what: 'PIN' | 'PUK'): void {
  const problem = currentSecretProblem(value, what);
  if (problem !== null) throw new ServiceError({ code: 'PIN_FORMAT', message: problem, field: 'currentPin' });
}

/**
 * What went wrong after a key changed: collected as warnings beside the
 * success, because the change on the key stands and the user must be told it
 * did (a PIN that was changed, reported as a failure, gets the key blocked).
 */
export class Warnings {
  readonly list: string[] = [];

  async attempt(what: string, work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (e) {
      this.list.push(`${what}: ${toAppError(e).message}`);
      return false;
    }
  }
}

/** A failure after the key changed: the same code, with what already changed on the key said first. */
export function afterKeyChanged(error: unknown, changed: string): ServiceError {
  const app = toAppError(error);
  return new ServiceError({ ...app, message: `${changed} ${app.message}` });
}
