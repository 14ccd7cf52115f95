// Full PIV reset (Yubico RESET, ykpiv.h YKPIV_INS_RESET): the key accepts it
// only when PIN and PUK are both blocked, so both are blocked first with
// deliberately wrong values, as yubikit's PivSession.reset does.
import { NativeError } from '../errors.ts';
import { INS, KEY_REF } from './constants.ts';
import { sendCommand } from './apdu.ts';
import type { PivSession } from './session.ts';
import { errorFromSw, retriesFromSw, SW_AUTH_METHOD_BLOCKED, SW_OK } from './status-words.ts';

/** Wrong values used to block; 8 × FF is never a valid PIN/PUK block that a user can set (yubikit uses the same). */
const WRONG_BLOCK = new Uint8Array(16).fill(0xff);
/** More than the 255 tries a YubiKey can be set to: a key that never blocks is broken. */
const MAX_BLOCK_ROUNDS = 256;

async function blockReference(session: PivSession, which: 'pin' | 'puk'): Promise<void> {
  for (let round = 0; round < MAX_BLOCK_ROUNDS; round++) {
    const command =
      which === 'pin'
        ? { ins: INS.VERIFY, p1: 0, p2: KEY_REF.PIN, data: WRONG_BLOCK.subarray(0, 8) }
        : { ins: INS.RESET_RETRY, p1: 0, p2: KEY_REF.PIN, data: WRONG_BLOCK };
    const r = await sendCommand(session.connection, command);
    if (r.sw === SW_AUTH_METHOD_BLOCKED || retriesFromSw(r.sw) === 0) return;
    if (retriesFromSw(r.sw) === null) {
      if (r.sw === SW_OK) throw new NativeError('CARD_ERROR', { step: which === 'pin' ? 'block-pin' : 'block-puk', problem: 'accepted-wrong-secret' });
      throw errorFromSw(r.sw, which, which === 'pin' ? 'block-pin' : 'block-puk');
    }
  }
  throw new NativeError('CARD_ERROR', { step: which === 'pin' ? 'block-pin' : 'block-puk', problem: 'never-blocked' });
}

/**
 * Blocks PIN and PUK, then resets the PIV application: PIN 123456, PUK
 * 12345678, the default management key, every key and certificate gone
 * (the attestation key F9 stays).
 */
export async function resetPiv(session: PivSession): Promise<void> {
  await blockReference(session, 'pin');
  await blockReference(session, 'puk');
  await session.send({ ins: INS.RESET, p1: 0, p2: 0 }, 'other', 'reset');
}
