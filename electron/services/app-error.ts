// Every failure becomes an AppError (code + sentence) at the service boundary.
import { NativeError } from '../../native/errors.ts';
import type { AppError } from '../ipc/contract.ts';
import { EnrollmentError } from './enrollment/enrollment-error.ts';
import { LocalCaError, LocalCaKeyExposedError } from './enrollment/local-ca-store.ts';
import { PolicyError } from './policy/policy-loader.ts';

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
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Something went wrong inside the app: ${message}` };
}
