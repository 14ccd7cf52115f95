// PIV constants, each with where it comes from.
// SP 800-73-4 = NIST SP 800-73-4 Part 1/2; SP 800-78-4 = NIST SP 800-78-4;
// ykpiv.h = yubico-piv-tool lib/ykpiv.h (Yubico's extensions).

/** PIV application AID, SP 800-73-4 Part 1 §2.2 (partial AID: RID + PIX prefix). */
export const PIV_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x03, 0x08]);

/** CLA bit for every block but the last of a chained command, ISO 7816-4 §5.1.1. */
export const CLA_CHAIN = 0x10;

/** Instructions: SP 800-73-4 Part 2 §3.1–3.3; GET RESPONSE ISO 7816-4 §7.6.1; Yubico's from ykpiv.h YKPIV_INS_*. */
export const INS = {
  SELECT: 0xa4,
  GET_RESPONSE: 0xc0,
  VERIFY: 0x20,
  CHANGE_REFERENCE: 0x24,
  RESET_RETRY: 0x2c,
  GENERATE_ASYMMETRIC: 0x47,
  AUTHENTICATE: 0x87,
  GET_DATA: 0xcb,
  PUT_DATA: 0xdb,
  MOVE_KEY: 0xf6,
  GET_METADATA: 0xf7,
  GET_SERIAL: 0xf8,
  ATTEST: 0xf9,
  SET_PIN_RETRIES: 0xfa,
  RESET: 0xfb,
  GET_VERSION: 0xfd,
  IMPORT_KEY: 0xfe,
  SET_MGMKEY: 0xff,
} as const;

/** Key references, SP 800-78-4 Table 4 / SP 800-73-4 Part 1 Table 4b; F9 from ykpiv.h. */
export const KEY_REF = {
  PIN: 0x80,
  PUK: 0x81,
  MANAGEMENT: 0x9b,
} as const;

export const SLOT = {
  AUTHENTICATION: 0x9a,
  SIGNATURE: 0x9c,
  KEY_MANAGEMENT: 0x9d,
  CARD_AUTHENTICATION: 0x9e,
  ATTESTATION: 0xf9,
} as const;

/** Retired key management slots 82–95, SP 800-73-4 Part 1 Table 4b. */
export const RETIRED_SLOTS: readonly number[] = Array.from({ length: 20 }, (_, i) => 0x82 + i);

/** Certificate object of a slot, SP 800-73-4 Part 1 Table 3; F9 from ykpiv.h YKPIV_OBJ_ATTESTATION. */
export function certificateObjectId(slot: number): number {
  switch (slot) {
    case SLOT.AUTHENTICATION:
      return 0x5fc105;
    case SLOT.SIGNATURE:
      return 0x5fc10a;
    case SLOT.KEY_MANAGEMENT:
      return 0x5fc10b;
    case SLOT.CARD_AUTHENTICATION:
      return 0x5fc101;
    case SLOT.ATTESTATION:
      return 0x5fff01;
    default:
      if (slot >= 0x82 && slot <= 0x95) return 0x5fc10d + (slot - 0x82);
      throw new RangeError(`slot ${slot.toString(16)} holds no certificate`);
  }
}

/** Tags of GET DATA and PUT DATA: the object's id (5C) and its content (53), SP 800-73-4 Part 2 §3.1.2, §3.3.2. */
export const OBJECT_TAG = { ID: 0x5c, DATA: 0x53 } as const;

/** Data objects, SP 800-73-4 Part 1 Table 3; Yubico's from ykpiv.h / yubikit OBJECT_ID. */
export const OBJECT_ID = {
  CHUID: 0x5fc102,
  CCC: 0x5fc107,
  PRINTED: 0x5fc109,
  DISCOVERY: 0x7e,
  PIVMAN: 0x5fff00,
  ATTESTATION: 0x5fff01,
} as const;

/** Algorithm identifiers, SP 800-78-4 Table 5 (3DES 03, RSA 06/07, ECC 11/14); AES 08/0A/0C ibid.; RSA 3072/4096 05/16 from ykpiv.h. */
export const ALGORITHM = {
  TDES: 0x03,
  AES128: 0x08,
  AES192: 0x0a,
  AES256: 0x0c,
  RSA1024: 0x06,
  RSA2048: 0x07,
  RSA3072: 0x05,
  RSA4096: 0x16,
  ECCP256: 0x11,
  ECCP384: 0x14,
} as const;

export type KeyAlgorithmName = 'RSA1024' | 'RSA2048' | 'RSA3072' | 'RSA4096' | 'ECCP256' | 'ECCP384';
export type ManagementKeyAlgorithmName = 'TDES' | 'AES128' | 'AES192' | 'AES256';

/** PIN and touch policies, ykpiv.h YKPIV_PINPOLICY_* / YKPIV_TOUCHPOLICY_*. */
export const PIN_POLICY = { DEFAULT: 0, NEVER: 1, ONCE: 2, ALWAYS: 3 } as const;
export const TOUCH_POLICY = { DEFAULT: 0, NEVER: 1, ALWAYS: 2, CACHED: 3 } as const;

/** Tags of GENERAL AUTHENTICATE's dynamic authentication template, SP 800-73-4 Part 2 Table 7. */
export const AUTH_TAG = { TEMPLATE: 0x7c, WITNESS: 0x80, CHALLENGE: 0x81, RESPONSE: 0x82, EXPONENTIATION: 0x85 } as const;

/** Factory management key (Yubico PIV docs): 3DES up to 5.6, AES-192 with the same bytes from 5.7. */
export const DEFAULT_MANAGEMENT_KEY = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8]);

/** Yubico's other applications on the same card (yubikit core/smartcard AID) and the one instruction each we send: READ CONFIG (yubikit management.py), the OTP request that reads the serial (ykpiv.c _ykpiv_get_serial). */
export const MANAGEMENT_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x05, 0x27, 0x47, 0x11, 0x17]);
export const OTP_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x05, 0x27, 0x20, 0x01, 0x01]);
export const YUBIKEY_INS = { OTP_REQUEST: 0x01, READ_CONFIG: 0x1d } as const;
