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

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ') || 'none';

export function selectKey(keys: readonly KeySummary[], readers: readonly string[], request: KeyRequest, pairedSerial: number | null, purpose: KeyPurpose): KeySummary {
  let candidates = keys;
  if (request.reader !== undefined) {
    if (!readers.includes(request.reader)) {
      throw new ServiceError({ code: 'READER_NOT_FOUND', message: `There is no reader called "${request.reader}". Readers: ${quoted(readers)}.`, detail: readers.join(', ') });
    }
    candidates = candidates.filter((k) => k.reader === request.reader);
    if (candidates.length === 0) throw new ServiceError({ code: 'NO_KEY', message: `There is no security key in the reader "${request.reader}". Plug it in and try again.` });
  }
  if (request.serial !== undefined) {
    const wanted = request.serial;
    candidates = candidates.filter((k) => k.serial === wanted);
    if (candidates.length === 0) {
      const where = request.reader === undefined ? '' : ` in the reader "${request.reader}"`;
      throw new ServiceError({ code: 'NO_KEY', message: `Security key ${wanted} is not plugged in${where}. Plugged in: ${keys.map((k) => k.serial).join(', ') || 'none'}.` });
    }
  }
  const explicit = request.reader !== undefined || request.serial !== undefined;
  if (!explicit) {
    const paired = pairedSerial === null ? undefined : candidates.find((k) => k.serial === pairedSerial);
    if (paired !== undefined) candidates = [paired];
  }
  if (candidates.length === 0) {
    const which = pairedSerial === null ? 'Your security key' : `Your paired security key (${pairedSerial})`;
    throw new ServiceError({ code: 'NO_KEY', message: `${which} isn't plugged in. Plug it in and try again.` });
  }
  if (candidates.length > 1) {
    const list = candidates.map((k) => `${k.serial} in "${k.reader}"`).join(', ');
    throw new ServiceError({ code: 'MULTIPLE_KEYS', message: `More than one security key is plugged in (${list}). Choose one with --reader NAME or --serial N, or unplug the others.` });
  }
  const key = candidates[0]!;
  if (purpose.pairedOnly && !purpose.otherKeyConfirmed) {
    if (pairedSerial === null) throw new ServiceError({ code: 'NOT_PAIRED', message: 'No security key is paired on this computer. Pair one first.' });
    if (key.serial !== pairedSerial) {
      throw new ServiceError({
        code: 'OTHER_KEY',
        message: `Security key ${key.serial} is not the paired key (${pairedSerial}). Plug in key ${pairedSerial}, or confirm that you mean key ${key.serial}.`,
        detail: `plugged in ${key.serial}, paired ${pairedSerial}`,
      });
    }
  }
  return key;
}
