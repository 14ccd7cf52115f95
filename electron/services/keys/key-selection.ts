// One rule for which key a command or screen works on, everywhere (CLI and
// app): the reader asked for, else the serial asked for, else the paired key,
// else the only key. The errors name what the user can do about them.
import type { KeyChoice, KeySummary } from '../../ipc/contract.ts';
import { ServiceError } from '../app-error.ts';

/** `--reader NAME` or `--serial N` (the CLI), the serial chosen on screen (the app): the contract's key choice. */
export type KeyRequest = KeyChoice;

export interface KeyPurpose {
  /** The command works on the paired key only (PIN change, de-registration): another key is OTHER_KEY. */
  readonly pairedOnly: boolean;
  /** The user confirmed working on a key that is not the paired one (`--other-key`, the app's confirmation). */
  readonly otherKeyConfirmed?: boolean;
}

export function selectKey(
  keys: readonly KeySummary[],
  readers: readonly string[],
  request: KeyRequest,
  pairedSerial: number | null,
  purpose: KeyPurpose,
): KeySummary {
  let candidates = keys;
  if (request.reader !== undefined) {
    if (!readers.includes(request.reader)) {
      throw new ServiceError('READER_NOT_FOUND', { reader: request.reader, readers }, { detail: readers.join(', ') });
    }
    candidates = candidates.filter((k) => k.reader === request.reader);
    if (candidates.length === 0) throw new ServiceError('NO_KEY', { reader: request.reader });
  }
  if (request.serial !== undefined) {
    const wanted = request.serial;
    candidates = candidates.filter((k) => k.serial === wanted);
    if (candidates.length === 0) {
      throw new ServiceError('NO_KEY', {
        serial: wanted,
        pluggedIn: keys.map((k) => k.serial),
        ...(request.reader === undefined ? {} : { reader: request.reader }),
      });
    }
  }
  const explicit = request.reader !== undefined || request.serial !== undefined;
  if (!explicit) {
    const paired = pairedSerial === null ? undefined : candidates.find((k) => k.serial === pairedSerial);
    if (paired !== undefined) candidates = [paired];
  }
  if (candidates.length === 0) {
    throw new ServiceError('NO_KEY', pairedSerial === null ? {} : { paired: pairedSerial });
  }
  if (candidates.length > 1) {
    throw new ServiceError('MULTIPLE_KEYS', { keys: candidates.map((k) => `${k.serial} in "${k.reader}"`) });
  }
  const key = candidates[0]!;
  if (purpose.pairedOnly && !purpose.otherKeyConfirmed) {
    if (pairedSerial === null) throw new ServiceError('NOT_PAIRED', { context: 'key' });
    if (key.serial !== pairedSerial) {
      throw new ServiceError(
        'OTHER_KEY',
        { flow: 'select', found: key.serial, wanted: pairedSerial },
        { detail: `plugged in ${key.serial}, paired ${pairedSerial}` },
      );
    }
  }
  return key;
}
