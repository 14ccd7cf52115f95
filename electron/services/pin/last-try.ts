// The last PIN try is never spent without the user's word: a wrong PIN then
// blocks the key, and only an administrator can reset it.
import { ServiceError } from '../app-error.ts';

export function lastTryError(serial: number): ServiceError {
  return new ServiceError({
    code: 'LAST_PIN_TRY',
    message: `Only one PIN try is left on security key ${serial}: a wrong PIN now blocks it. Continue only if you are sure of the PIN (in the CLI: add --yes); otherwise ask your administrator.`,
    retries: 1,
  });
}
