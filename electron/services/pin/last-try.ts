// The last PIN try is never spent without the user's word: a wrong PIN then
// blocks the key, and only an administrator can reset it.
import { ServiceError } from '../app-error.ts';

export function lastTryError(serial: number): ServiceError {
  return new ServiceError('LAST_PIN_TRY', { serial }, { retries: 1 });
}
