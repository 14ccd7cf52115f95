// Every failure of the smart-card layer is a NativeError with one of these codes
// and the facts its words need (the step, the reader, the tries left). The
// words themselves are in one table, electron/ipc/error-messages.ts, shared by
// the app and the CLI; this layer writes no sentences.
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

/** What the app was asking the key to do when it answered with an error. */
export type CardStep =
  | 'select-piv'
  | 'read-version'
  | 'read-serial'
  | 'select-otp'
  | 'read-pin-tries'
  | 'read-pin-details'
  | 'read-puk-details'
  | 'verify-pin'
  | 'change-pin'
  | 'change-puk'
  | 'unblock-pin'
  | 'set-tries'
  | 'generate-key'
  | 'sign'
  | 'decrypt'
  | 'key-agreement'
  | 'attest'
  | 'read-key-details'
  | 'read-data'
  | 'write-data'
  | 'write-certificate'
  | 'reset'
  | 'block-pin'
  | 'block-puk'
  | 'read-management-key-details'
  | 'authenticate-management-key'
  | 'set-management-key';

/** What the app was asking the smart-card service (PC/SC) to do. */
export type PcscStep = 'start' | 'list-readers' | 'connect' | 'transmit' | 'watch-readers';

/** A firmware feature a key may lack (yubikit's require_version). */
export type FirmwareFeature = 'metadata' | 'aesManagementKey' | 'moveDeleteKey' | 'rsa3072And4096' | 'serialInPiv' | 'attestation' | 'verifyReset' | 'piv';

/** The part of a key's answer that could not be read. */
export type ResponsePart =
  | 'status-word'
  | 'too-much-data'
  | 'pin-details'
  | 'serial'
  | 'firmware-version'
  | 'device-info'
  | 'data-object'
  | 'certificate-object'
  | 'compressed-certificate'
  | 'certificate'
  | 'public-key'
  | 'rsa-key-size'
  | 'ec-point'
  | 'ecdsa-signature'
  | 'attestation'
  | 'key-type'
  | 'pivman-data'
  | 'management-key-type'
  | 'management-key-challenge'
  | 'tlv-truncated'
  | 'tlv-tag-too-long'
  | 'tlv-bad-length'
  | 'tlv-overrun'
  | 'tlv-missing-tag'
  | 'tlv-wrong-template';

/** A value the app was about to send that the key cannot take (a bug of the caller, never a user's typing). */
export type InputProblem =
  | 'tries-range'
  | 'secret-length'
  | 'rsa-key-too-short'
  | 'object-too-large'
  | 'signature-input-size'
  | 'decrypt-needs-rsa'
  | 'ecdh-needs-ec'
  | 'object-too-long'
  | 'management-key-length';

/** The facts each code's words need (electron/ipc/error-messages.ts words them). */
export interface NativeErrorFacts {
  PIN_INCORRECT: { readonly step: CardStep; readonly retries: number };
  PIN_BLOCKED: { readonly step?: CardStep; readonly serial?: number };
  PUK_INCORRECT: { readonly step: CardStep; readonly retries: number };
  PUK_BLOCKED: { readonly step: CardStep };
  MGMT_AUTH_FAILED: { readonly step: CardStep };
  SECURITY_STATUS: { readonly step: CardStep };
  NOT_FOUND: { readonly step: CardStep };
  NOT_SUPPORTED_BY_FIRMWARE: { readonly step: CardStep } | { readonly feature: FirmwareFeature; readonly needs?: string; readonly has?: string };
  INVALID_INPUT: { readonly problem: InputProblem; readonly size?: number; readonly limit?: number; readonly secret?: 'PIN' | 'PUK' };
  CARD_ERROR: { readonly step: CardStep; readonly problem?: 'accepted-wrong-secret' | 'never-blocked' | 'not-kept' };
  CARD_REMOVED: { readonly step?: CardStep | PcscStep; readonly reader?: string };
  NO_KEY: {
    readonly reader?: string;
    readonly serial?: number;
    readonly paired?: number;
    readonly pluggedIn?: readonly number[];
    readonly keepPlugged?: 'reset';
    readonly unplugged?: 'while-read';
  };
  MULTIPLE_KEYS: { readonly keys: readonly string[] };
  READER_NOT_FOUND: { readonly reader?: string; readonly readers?: readonly string[] };
  READER_IN_USE: { readonly reader?: string };
  PCSC_UNAVAILABLE: {
    readonly problem: 'not-running' | 'not-installed' | 'failed';
    readonly step?: PcscStep;
    readonly reader?: string;
    readonly pcscCode?: string;
  };
  INVALID_RESPONSE: { readonly part: ResponsePart; readonly id?: number };
  ROCA_VULNERABLE: { readonly advice: 'use-ecc' | 'ask-admin' };
}

export interface NativeErrorDetails {
  /** Status word the card answered, when a card answered. */
  readonly sw?: number;
  /** Tries left for a PIN or PUK. */
  readonly retries?: number;
  readonly cause?: unknown;
}

/** The code and facts as a developer reads them in a log (the user's words come from the message table). */
export function factsText(code: string, facts: object): string {
  const parts = Object.entries(facts)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length === 0 ? code : `${code} (${parts.join(', ')})`;
}

export class NativeError<C extends NativeErrorCode = NativeErrorCode> extends Error {
  readonly code: C;
  readonly facts: NativeErrorFacts[C];
  readonly sw: number | undefined;
  readonly retries: number | undefined;

  constructor(code: C, facts: NativeErrorFacts[C], details: NativeErrorDetails = {}) {
    const sw = details.sw === undefined ? {} : { sw: details.sw.toString(16).toUpperCase().padStart(4, '0') };
    super(factsText(code, { ...facts, ...sw }), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'NativeError';
    this.code = code;
    this.facts = facts;
    this.sw = details.sw;
    this.retries = details.retries;
  }
}

export function isNativeError(e: unknown, code?: NativeErrorCode): e is NativeError {
  return e instanceof NativeError && (code === undefined || e.code === code);
}
