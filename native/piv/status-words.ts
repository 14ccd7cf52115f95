// Status words become typed errors here and nowhere else (piv-go's apduErr,
// yubikit's _retries_from_sw, ykpiv_translate_sw_ex). Values: ISO 7816-4
// §5.1.3, SP 800-73-4 Part 2 Table 6, yubikit/core/smartcard SW.
import { type CardStep, NativeError } from '../errors.ts';

export const SW_OK = 0x9000;
/** SW1 61: more data waits for GET RESPONSE (SW2 says how much), ISO 7816-4 §5.1.3. */
export const SW1_MORE_DATA = 0x61;
export const SW_SECURITY_STATUS_NOT_SATISFIED = 0x6982;
export const SW_AUTH_METHOD_BLOCKED = 0x6983;
export const SW_CONDITIONS_NOT_SATISFIED = 0x6985;
export const SW_INCORRECT_DATA = 0x6a80;
export const SW_FILE_NOT_FOUND = 0x6a82;
export const SW_REFERENCE_NOT_FOUND = 0x6a88;
export const SW_WRONG_P1P2 = 0x6b00;
export const SW_INS_NOT_SUPPORTED = 0x6d00;
export const SW_CLA_NOT_SUPPORTED = 0x6e00;

/** What the command was doing: decides how 63Cx and 6983 read. */
export type SwContext = 'pin' | 'puk' | 'management-key' | 'other';

/** Tries left in a 63Cx answer (63C0–63CF); null for any other SW. */
export function retriesFromSw(sw: number): number | null {
  return (sw & 0xfff0) === 0x63c0 ? sw & 0x0f : null;
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** The typed error for a non-9000 status word. */
export function errorFromSw(sw: number, context: SwContext, step: CardStep): NativeError {
  const retries = retriesFromSw(sw);
  if (retries !== null) {
    if (context === 'puk') {
      return retries === 0
        ? new NativeError('PUK_BLOCKED', { step }, { sw, retries: 0 })
        : new NativeError('PUK_INCORRECT', { step, retries }, { sw, retries });
    }
    return retries === 0 ? new NativeError('PIN_BLOCKED', { step }, { sw, retries: 0 }) : new NativeError('PIN_INCORRECT', { step, retries }, { sw, retries });
  }
  switch (sw) {
    case SW_AUTH_METHOD_BLOCKED:
      return context === 'puk' ? new NativeError('PUK_BLOCKED', { step }, { sw, retries: 0 }) : new NativeError('PIN_BLOCKED', { step }, { sw, retries: 0 });
    case SW_SECURITY_STATUS_NOT_SATISFIED:
      return context === 'management-key' ? new NativeError('MGMT_AUTH_FAILED', { step }, { sw }) : new NativeError('SECURITY_STATUS', { step }, { sw });
    case SW_FILE_NOT_FOUND:
    case SW_REFERENCE_NOT_FOUND:
      return new NativeError('NOT_FOUND', { step }, { sw });
    case SW_INS_NOT_SUPPORTED:
    case SW_CLA_NOT_SUPPORTED:
      return new NativeError('NOT_SUPPORTED_BY_FIRMWARE', { step }, { sw });
    default:
      return new NativeError('CARD_ERROR', { step }, { sw });
  }
}
