// Which data object ids a YubiKey's PIV applet knows, and who may read them.
// Sources: yesdk users-manual application-piv/piv-objects.md ("The DataTags",
// Tables 1A–1C) and get-and-put-data.md; NIST SP 800-73-4 Part 1 Table 3
// (container ids and access rules); yubikit piv.py OBJECT_ID.
import { CardStatus, SW } from '../sw.ts';
import { cat, hexOf, tlv } from '../tlv.ts';

/** Discovery object (SP 800-73-4 Part 1 §3.3.2): read-only, built into the card. */
export const DISCOVERY_ID = 0x7e;
/** Biometric Information Templates Group Template: stored and answered under its own tag, not 53 (SP 800-73-4 Part 1 §3.3.4). */
export const BITGT_ID = 0x7f61;

/** On a YubiKey any 3-byte id from 5F0000 to 5FFFFF is a data object, plus 7E and 7F61 (yesdk piv-objects.md). */
const STORAGE_ID_FIRST = 0x5f0000;
const STORAGE_ID_LAST = 0x5fffff;

/**
 * Readable only while the PIN is verified: fingerprints, facial image, printed
 * information, iris (SP 800-73-4 Part 1 Table 3 access rule "PIN"; yesdk
 * piv-objects.md Table 1A). ykman keeps its PIN-protected management key in
 * printed information 5FC109 (ykman/piv.py OBJECT_ID_PIVMAN_PROTECTED_DATA).
 */
const PIN_PROTECTED_IDS: ReadonlySet<number> = new Set([0x5fc103, 0x5fc108, 0x5fc109, 0x5fc121]);

/** The ISO 7816-4 tag a container's content travels in: 53, or the BITGT's own 7F61 (SP 800-73-4 Part 2 §3.1.2). */
const TAG_CONTAINER = 0x53;

/** A container id from the value of tag 5C: 1 to 3 bytes, big-endian (SP 800-73-4 Part 2 §3.1.2). */
export function objectIdOf(value: Uint8Array): number {
  if (value.length < 1 || value.length > 3) throw new CardStatus(SW.INCORRECT_DATA);
  return value.reduce((id, b) => id * 256 + b, 0);
}

/** The key under which state.objects holds a container ("5fc105", "7f61"). */
export function objectKey(id: number): string {
  const bytes = id > 0xffff ? 3 : id > 0xff ? 2 : 1;
  return hexOf(Uint8Array.from({ length: bytes }, (_, i) => (id >> (8 * (bytes - 1 - i))) & 0xff));
}

/** Ids PUT DATA may write and GET DATA may read from storage (everything but the built-in discovery object). */
export function isStoredObjectId(id: number): boolean {
  return id === BITGT_ID || (id >= STORAGE_ID_FIRST && id <= STORAGE_ID_LAST);
}

export function isPinProtected(id: number): boolean {
  return PIN_PROTECTED_IDS.has(id);
}

export function containerTag(id: number): number {
  return id === BITGT_ID ? BITGT_ID : TAG_CONTAINER;
}

/** PIV AID in full (SP 800-73-4 Part 2 §2.2), as the discovery object names it. */
const PIV_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00]);
/** Tags inside the discovery object (SP 800-73-4 Part 1 Table 18): 4F AID, 5F2F PIN usage policy. */
const TAG_AID = 0x4f;
const TAG_PIN_USAGE_POLICY = 0x5f2f;
/**
 * PIN usage policy 40 00: the PIV application PIN satisfies the access rules,
 * no global PIN. The only policy a YubiKey has (yesdk commands.md "Encoded discovery").
 */
const PIN_USAGE_POLICY = Uint8Array.from([0x40, 0x00]);

/** What GET DATA 7E answers: `7E 12 {4F 0B AID, 5F2F 02 40 00}`. */
export const DISCOVERY_OBJECT = tlv(DISCOVERY_ID, cat(tlv(TAG_AID, PIV_AID), tlv(TAG_PIN_USAGE_POLICY, PIN_USAGE_POLICY)));
