// Yubico's informational PIV instructions: GET VERSION (FD), GET SERIAL (F8)
// and GET METADATA (F7). INS values: yubico-piv-tool lib/ykpiv.h; answers as
// the yesdk users-manual apdu pages version.md, serial.md and metadata.md show
// a YubiKey giving them; tag meanings as yubikit piv.py reads them.
import { DEFAULT_MANAGEMENT_KEY_HEX, DEFAULT_PIN_HEX, DEFAULT_PUK_HEX, type KeyRecord } from '../state.ts';
import { CardStatus, SW } from '../sw.ts';
import { cat, tlv } from '../tlv.ts';
import type { PivContext, PivHandler } from './context.ts';
import { publicKeyTlvs } from './public-key.ts';
import { KEY_REF } from './references.ts';
import { isKeySlot, slotHex } from './slots.ts';

/** On-card biometric comparison (YubiKey Bio only): other keys answer 6A88 (yubikit get_bio_metadata). */
const REF_BIO = 0x96;

/** Metadata tags (yubikit piv.py TAG_METADATA_*). */
const TAG = { ALGORITHM: 0x01, POLICY: 0x02, ORIGIN: 0x03, PUBLIC_KEY: 0x04, IS_DEFAULT: 0x05, RETRIES: 0x06 } as const;

/** Algorithm byte reported for the PIN and PUK (yesdk metadata.md Table 1). */
const ALGORITHM_PIN = 0xff;
/** Origin values (yubikit ORIGIN.GENERATED / ORIGIN.IMPORTED). */
const ORIGIN = { GENERATED: 0x01, IMPORTED: 0x02 } as const;
/** The management key has no PIN policy: its policy bytes are 00, touch (yesdk metadata.md, 9B example `02 02 00 01`). */
const NO_PIN_POLICY = 0x00;

const byte = (b: number): Uint8Array => Uint8Array.of(b);
const flag = (on: boolean): Uint8Array => byte(on ? 0x01 : 0x00);

function fail(sw: number): never {
  throw new CardStatus(sw);
}

/** GET VERSION: major, minor, patch of the firmware. */
export const getVersion: PivHandler = (_command, ctx) => Uint8Array.from(ctx.profile.version);

/**
 * GET SERIAL: the serial as 4 bytes big-endian. YubiKey 5 only; a YubiKey 4
 * has no such instruction (6D00) and gives its serial through the OTP applet
 * (ykpiv.c _ykpiv_get_serial; yubikit requires 5.0.3).
 */
export const getSerial: PivHandler = (_command, ctx) => {
  if (!ctx.profile.pivGetSerial) fail(SW.INS_NOT_SUPPORTED);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, ctx.state.serial);
  return out;
};

function pinMetadata(ctx: PivContext, ref: number): Uint8Array {
  const { state } = ctx;
  const pin = ref === KEY_REF.PIN;
  const isDefault = pin ? state.pinHex === DEFAULT_PIN_HEX : state.pukHex === DEFAULT_PUK_HEX;
  const retries = pin ? [state.pinRetriesMax, state.pinRetriesLeft] : [state.pukRetriesMax, state.pukRetriesLeft];
  return cat(tlv(TAG.ALGORITHM, byte(ALGORITHM_PIN)), tlv(TAG.IS_DEFAULT, flag(isDefault)), tlv(TAG.RETRIES, Uint8Array.from(retries)));
}

/**
 * 9B: algorithm, policy (00, touch never 01 / always 02 / cached 03), default.
 * "Default" means the factory key: the profile's factory algorithm AND the
 * factory bytes. A 5.4.3 key set to AES-192 holding the 3DES default's bytes is
 * not default; a 5.7 key's factory AES-192 key is (yubikit's device test
 * test_management_key_metadata sets the default bytes back with the default
 * algorithm and expects default again; yesdk metadata.md "default value").
 */
function managementKeyMetadata(ctx: PivContext): Uint8Array {
  const key = ctx.state.managementKey;
  const isDefault = key.algorithm === ctx.profile.defaultManagementKeyAlgorithm && key.keyHex === DEFAULT_MANAGEMENT_KEY_HEX;
  return cat(tlv(TAG.ALGORITHM, byte(key.algorithm)), tlv(TAG.POLICY, Uint8Array.of(NO_PIN_POLICY, key.touchPolicy)), tlv(TAG.IS_DEFAULT, flag(isDefault)));
}

function keyMetadata(record: KeyRecord): Uint8Array {
  return cat(
    tlv(TAG.ALGORITHM, byte(record.algorithm)),
    tlv(TAG.POLICY, Uint8Array.of(record.pinPolicy, record.touchPolicy)),
    tlv(TAG.ORIGIN, byte(record.origin === 'generated' ? ORIGIN.GENERATED : ORIGIN.IMPORTED)),
    tlv(TAG.PUBLIC_KEY, publicKeyTlvs(record)),
  );
}

/**
 * GET METADATA (firmware 5.3+, else 6D00 as yubikit expects): P2 = 80 PIN,
 * 81 PUK, 9B management key, or a key slot. An empty key slot, and the Bio
 * reference 96 on keys without a sensor, answer 6A88; a reference that is no
 * slot at all 6B00 (ykpiv.h SW_ERR_INCORRECT_SLOT), as the key commands do.
 */
export const getMetadata: PivHandler = (command, ctx) => {
  if (!ctx.profile.metadata) fail(SW.INS_NOT_SUPPORTED);
  if (command.p1 !== 0x00) fail(SW.WRONG_P1P2);
  const ref = command.p2;
  if (ref === KEY_REF.PIN || ref === KEY_REF.PUK) return pinMetadata(ctx, ref);
  if (ref === KEY_REF.MANAGEMENT) return managementKeyMetadata(ctx);
  if (ref === REF_BIO) fail(SW.REFERENCE_NOT_FOUND);
  if (!isKeySlot(ref)) fail(SW.WRONG_P1P2);
  const record = ctx.state.keys[slotHex(ref)];
  if (record === undefined) fail(SW.REFERENCE_NOT_FOUND);
  return keyMetadata(record);
};
