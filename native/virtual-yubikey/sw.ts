// Status words the virtual YubiKey answers with. The emulator keeps its own
// table (design.md: it shares no protocol code with native/piv).
// Sources: ISO 7816-4 §5.1.3; NIST SP 800-73-4 Part 2 Table 6; yubikit/core/smartcard SW.
export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  DATA_INVALID: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED: 0x6986,
  INCORRECT_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  NO_SPACE: 0x6a84,
  INCORRECT_P1P2: 0x6a86,
  REFERENCE_NOT_FOUND: 0x6a88,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
  MEMORY_FAILURE: 0x6581,
} as const;

/** 63Cx: wrong PIN/PUK, x tries left (capped at 15, as the hardware does). */
export function swRetries(left: number): number {
  return 0x63c0 | Math.min(left, 15);
}

/** 61xx: more data waiting; xx = bytes left (00 means 256 or more). */
export function swMoreData(remaining: number): number {
  return 0x6100 | (remaining >= 256 ? 0 : remaining);
}

/** Thrown by a command handler to answer with a status word and no data. */
export class CardStatus extends Error {
  constructor(readonly sw: number) {
    super(`card status ${sw.toString(16).padStart(4, '0')}`);
  }
}
