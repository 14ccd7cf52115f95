// PC/SC return codes (pcsc-lite PCSC/pcsclite.h, the same values as WinSCard's
// SCARD_* in winerror.h) and the typed error each becomes.
import { NativeError, type PcscStep } from '../errors.ts';

export const SCARD = {
  E_CANCELLED: 0x80100002,
  E_INVALID_HANDLE: 0x80100003,
  E_UNKNOWN_READER: 0x80100009,
  E_TIMEOUT: 0x8010000a,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_NOT_TRANSACTED: 0x80100016,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

/**
 * The `smartcard` binding rejects with a plain Error whose message is a fixed
 * text per return code (its src/pcsc_errors.h), without the code itself; this
 * table turns the texts back into codes.
 */
const CODE_BY_MESSAGE: Readonly<Record<string, number>> = {
  'Operation cancelled': SCARD.E_CANCELLED,
  'Invalid handle': SCARD.E_INVALID_HANDLE,
  'Unknown reader': SCARD.E_UNKNOWN_READER,
  'Operation timed out': SCARD.E_TIMEOUT,
  'Sharing violation': SCARD.E_SHARING_VIOLATION,
  'No smart card present': SCARD.E_NO_SMARTCARD,
  'Transaction failed': SCARD.E_NOT_TRANSACTED,
  'Reader unavailable': SCARD.E_READER_UNAVAILABLE,
  'PC/SC service not running': SCARD.E_NO_SERVICE,
  'PC/SC service stopped': SCARD.E_SERVICE_STOPPED,
  'No readers available': SCARD.E_NO_READERS_AVAILABLE,
  'Card is unresponsive': SCARD.W_UNRESPONSIVE_CARD,
  'Card is unpowered': SCARD.W_UNPOWERED_CARD,
  'Card was reset': SCARD.W_RESET_CARD,
  'Card was removed': SCARD.W_REMOVED_CARD,
  'Context is not valid': SCARD.E_INVALID_HANDLE,
  'Card is not connected': SCARD.W_REMOVED_CARD,
};

export function pcscCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if ('code' in error && typeof error.code === 'number') return error.code >>> 0;
  if ('message' in error && typeof error.message === 'string') return CODE_BY_MESSAGE[error.message];
  return undefined;
}

/** The NativeError for a failure of the PC/SC binding while `action` ran on `reader`. */
export function pcscError(error: unknown, step: PcscStep, reader?: string): NativeError {
  const code = pcscCodeOf(error);
  const where = reader === undefined ? {} : { reader };
  const cause = { cause: error };
  switch (code) {
    case SCARD.E_NO_SERVICE:
    case SCARD.E_SERVICE_STOPPED:
    case SCARD.E_INVALID_HANDLE:
      return new NativeError('PCSC_UNAVAILABLE', { problem: 'not-running', step, ...where }, cause);
    case SCARD.E_SHARING_VIOLATION:
      return new NativeError('READER_IN_USE', where, cause);
    case SCARD.E_NO_SMARTCARD:
      return new NativeError('NO_KEY', where, cause);
    // SCardTransmit's answer when the reader lost the card mid-command (pcsc-lite
    // winscard.c: IFDHTransmitToICC failed); seen when a key is pulled during an APDU.
    case SCARD.E_NOT_TRANSACTED:
    case SCARD.W_REMOVED_CARD:
    case SCARD.W_RESET_CARD:
    case SCARD.W_UNPOWERED_CARD:
    case SCARD.W_UNRESPONSIVE_CARD:
    case SCARD.E_READER_UNAVAILABLE:
      return new NativeError('CARD_REMOVED', { step, ...where }, cause);
    case SCARD.E_UNKNOWN_READER:
      return new NativeError('READER_NOT_FOUND', where, cause);
    default: {
      const hex = code === undefined ? 'no code' : `0x${code.toString(16)}`;
      return new NativeError('PCSC_UNAVAILABLE', { problem: 'failed', step, ...where, pcscCode: hex }, cause);
    }
  }
}
