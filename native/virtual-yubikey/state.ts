// The whole persistent state of one virtual YubiKey, as plain JSON so that
// --state FILE can hold it. Secrets are in clear: this is a TEST DEVICE.
import { randomInt } from 'node:crypto';
import { type ProfileName, PROFILES } from './profiles.ts';

export const STATE_HEADER =
  'TEST-ONLY state of a virtual YubiKey (Workforce Access test device). It holds PIN, PUK, management key and private keys in clear. Never use it for a real key.';
/** 2: management key touch policy as a number (FD cached), per-card attestation root. */
export const STATE_FORMAT_VERSION = 2;

/** Factory values (Yubico PIV docs; piv-yubikey-apdus.md §6). Stored as the 8-byte FF-padded form the card compares. */
export const DEFAULT_PIN_HEX = '313233343536ffff';
export const DEFAULT_PUK_HEX = '3132333435363738';
export const DEFAULT_MANAGEMENT_KEY_HEX = '010203040506070801020304050607080102030405060708';
export const DEFAULT_RETRIES = 3;

export interface KeyRecord {
  /** PIV algorithm id: 06/07/05/16 RSA, 11 P-256, 14 P-384. */
  algorithm: number;
  /** 01 never, 02 once, 03 always (default resolved at generation/import). */
  pinPolicy: number;
  /** 01 never, 02 always, 03 cached. */
  touchPolicy: number;
  origin: 'generated' | 'imported';
  /** PKCS#8 DER, hex. */
  privateKeyPkcs8: string;
}

export interface ManagementKeyRecord {
  /** 03 3DES, 08 AES-128, 0A AES-192, 0C AES-256. */
  algorithm: number;
  keyHex: string;
  /** 01 never, 02 always, 03 cached (SET MANAGEMENT KEY P2 FF / FE / FD). */
  touchPolicy: number;
}

export interface CardState {
  header: string;
  formatVersion: number;
  profile: ProfileName;
  serial: number;
  pinHex: string;
  pukHex: string;
  pinRetriesMax: number;
  pinRetriesLeft: number;
  pukRetriesMax: number;
  pukRetriesLeft: number;
  managementKey: ManagementKeyRecord;
  /** PIV data objects by object id hex (e.g. "5fc105"), content (the value inside tag 53) hex. */
  objects: Record<string, string>;
  /** Keys by slot hex ("9a", "f9", ...). */
  keys: Record<string, KeyRecord>;
  /**
   * DER (hex) of this card's own attestation root, which issued the F9
   * certificate (a real key's F9 certificate is issued by Yubico's root).
   * Only its certificate is kept: like Yubico's, it never signs again.
   */
  attestationRoot?: string;
}

/** A serial in the range real YubiKey 5 serials use (8 digits). */
export function randomSerial(): number {
  return randomInt(10_000_000, 40_000_000);
}

/** Factory PIV state; the F9 attestation key and certificate are added by the attestation module. */
export function factoryPivState(profile: ProfileName, serial: number): CardState {
  return {
    header: STATE_HEADER,
    formatVersion: STATE_FORMAT_VERSION,
    profile,
    serial,
    pinHex: DEFAULT_PIN_HEX,
    pukHex: DEFAULT_PUK_HEX,
    pinRetriesMax: DEFAULT_RETRIES,
    pinRetriesLeft: DEFAULT_RETRIES,
    pukRetriesMax: DEFAULT_RETRIES,
    pukRetriesLeft: DEFAULT_RETRIES,
    managementKey: {
      algorithm: PROFILES[profile].defaultManagementKeyAlgorithm,
      keyHex: DEFAULT_MANAGEMENT_KEY_HEX,
      touchPolicy: 0x01,
    },
    objects: {},
    keys: {},
  };
}
