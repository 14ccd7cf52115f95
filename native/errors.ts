// Every failure of the smart-card layer is a NativeError with one of these codes.
// The renderer maps each code to the user's words (renderer/src/errors/messages.ts).
export type NativeErrorCode =
  | 'PIN_INCORRECT'
  | 'PIN_BLOCKED'
  | 'PUK_INCORRECT'
  | 'PUK_BLOCKED'
  | 'MGMT_AUTH_FAILED'
  | 'SECURITY_STATUS'
  | 'NOT_FOUND'
  | 'NOT_SUPPORTED_BY_FIRMWARE'
  | 'INVALID_INPUT'
  | 'CARD_ERROR'
  | 'CARD_REMOVED'
  | 'NO_KEY'
  | 'MULTIPLE_KEYS'
  | 'READER_NOT_FOUND'
  | 'READER_IN_USE'
  | 'PCSC_UNAVAILABLE'
  | 'INVALID_RESPONSE'
  | 'ROCA_VULNERABLE';

export interface NativeErrorDetails {
  /** Status word the card answered, when a card answered. */
  readonly sw?: number;
  /** Tries left for a PIN or PUK. */
  readonly retries?: number;
  readonly cause?: unknown;
}

export class NativeError extends Error {
  readonly code: NativeErrorCode;
  readonly sw: number | undefined;
  readonly retries: number | undefined;

  constructor(code: NativeErrorCode, message: string, details: NativeErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'NativeError';
    this.code = code;
    this.sw = details.sw;
    this.retries = details.retries;
  }
}

export function isNativeError(e: unknown, code?: NativeErrorCode): e is NativeError {
  return e instanceof NativeError && (code === undefined || e.code === code);
}
