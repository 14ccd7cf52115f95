// Which commands can leave a key logged in. PIV security status (a verified
// PIN or PUK, an authenticated management key) lasts until the card is reset
// or another application is selected (SP 800-73-4 Part 2 §3.1.1), so it
// outlives our connection unless we power the card down (or reset it) when we let it go.
import { INS } from './constants.ts';

/** The shortest VERIFY that carries a PIN: header, Lc and one byte. Shorter ones only ask the status (SP 800-73-4 Part 2 §3.2.1). */
const VERIFY_WITH_DATA_MIN_LENGTH = 6;

/** True when the card may hold a verified PIN or PUK, or an authenticated management key, after `apdu`, whatever it answered. */
export function mayLogIn(apdu: Uint8Array): boolean {
  switch (apdu[1]) {
    case INS.VERIFY:
      return apdu.length >= VERIFY_WITH_DATA_MIN_LENGTH;
    case INS.CHANGE_REFERENCE:
    case INS.RESET_RETRY:
    case INS.AUTHENTICATE:
      return true;
    default:
      return false;
  }
}
