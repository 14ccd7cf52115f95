// GET DATA and PUT DATA of the PIV applet (NIST SP 800-73-4 Part 2 §3.1.2 and
// §3.3.2; yesdk users-manual apdu/get-data.md and put-data.md for what a
// YubiKey answers). Contents are stored as sent, unchecked: a YubiKey only
// checks the outer tag and length (yesdk piv-objects.md "The Data").
import { CardStatus, SW } from '../sw.ts';
import { bytesOf, findTlv, hexOf, parseTlvs, tlv } from '../tlv.ts';
import type { PivHandler } from './context.ts';
import type { CommandApdu } from '../command-apdu.ts';
import { containerTag, DISCOVERY_ID, DISCOVERY_OBJECT, isPinProtected, isStoredObjectId, objectIdOf, objectKey } from './object-ids.ts';

/** GET DATA / PUT DATA address the current application's data: P1 P2 = 3F FF (SP 800-73-4 Part 2 §3.1.2). */
const P1_DATA = 0x3f;
const P2_DATA = 0xff;
/** Tag list holding the container id (SP 800-73-4 Part 2 Table 3). */
const TAG_OBJECT_ID = 0x5c;

/**
 * Largest content: the firmware's 3072-byte message buffer less `5C 03 id 53
 * 82 LL LL` (ykpiv internal.h CB_OBJ_MAX = CB_BUF_MAX_YK4 - 9 = 3063).
 */
const MAX_CONTENT_LENGTH = 3063;

/**
 * Room for all data objects together, certificates (the F9 one too) included:
 * "the total amount of NVM (non-volatile memory) in a YubiKey's PIV
 * application, which stores certificates (including the attestation
 * certificate) plus PIV data objects, is 51,200 bytes" (yesdk users-manual
 * application-piv/cert-size.md; piv-objects.md: "about 51,000 bytes"). Keys are
 * kept apart and do not count. Counted here as the contents' bytes.
 */
export const TOTAL_OBJECT_STORAGE = 51_200;

const EMPTY = new Uint8Array(0);

function fail(sw: number): never {
  throw new CardStatus(sw);
}

function requireDataP1P2(command: CommandApdu): void {
  if (command.p1 !== P1_DATA || command.p2 !== P2_DATA) fail(SW.WRONG_P1P2);
}

/**
 * GET DATA: `5C L id` -> `53 L content` (discovery: `7E L …`, BITGT: `7F61 L …`).
 * PIN-protected ids answer 6982 until the PIN is verified, before saying
 * whether they exist (as a YubiKey does: arekinath/PivApplet issue #65; ykman reads
 * 5FC109 and expects 6982 without the PIN). Absent: 6A82. Not an id the
 * YubiKey has: 6A80.
 */
export const getData: PivHandler = (command, ctx) => {
  requireDataP1P2(command);
  const tlvs = parseTlvs(command.data);
  const idValue = tlvs.length === 1 ? findTlv(tlvs, TAG_OBJECT_ID) : undefined;
  if (idValue === undefined) fail(SW.INCORRECT_DATA);
  const id = objectIdOf(idValue);
  if (id === DISCOVERY_ID) return DISCOVERY_OBJECT;
  if (!isStoredObjectId(id)) fail(SW.INCORRECT_DATA);
  if (isPinProtected(id) && !ctx.session.pinVerified) fail(SW.SECURITY_STATUS_NOT_SATISFIED);
  const content = ctx.state.objects[objectKey(id)];
  if (content === undefined) fail(SW.FILE_NOT_FOUND);
  return tlv(containerTag(id), bytesOf(content));
};

/** Bytes the stored objects take, without `key` (the object being replaced). */
function storedBytesExcept(objects: Readonly<Record<string, string>>, key: string): number {
  return Object.entries(objects).reduce((n, [k, hex]) => (k === key ? n : n + hex.length / 2), 0);
}

/**
 * PUT DATA: `5C L id` + `53 L content` (BITGT: `7F61 L content`). Needs the
 * management key (6982). An empty content deletes the object. Discovery is
 * read-only and other ids unknown: 6A80 (ykman objects import reads 6A80 as
 * "is the object id valid?"). Too large for one object, or more than the
 * storage has left: 6A84 and nothing changes (ISO 7816-4 "not enough memory
 * space"; ykpiv.h SW_ERR_NO_SPACE, which ykpiv reports for PUT DATA; the
 * YubiKey's OATH application answers a full store with 6A84 too, yubioath-flutter #84).
 */
export const putData: PivHandler = (command, ctx) => {
  requireDataP1P2(command);
  if (!ctx.session.managementKeyAuthenticated) fail(SW.SECURITY_STATUS_NOT_SATISFIED);
  const tlvs = parseTlvs(command.data);
  const [idTlv, contentTlv] = tlvs;
  if (tlvs.length !== 2 || idTlv?.tag !== TAG_OBJECT_ID || contentTlv === undefined) fail(SW.INCORRECT_DATA);
  const id = objectIdOf(idTlv.value);
  if (id === DISCOVERY_ID || !isStoredObjectId(id)) fail(SW.INCORRECT_DATA);
  if (contentTlv.tag !== containerTag(id)) fail(SW.INCORRECT_DATA);
  const content = contentTlv.value;
  if (content.length > MAX_CONTENT_LENGTH) fail(SW.NO_SPACE);
  const key = objectKey(id);
  const { state } = ctx;
  if (storedBytesExcept(state.objects, key) + content.length > TOTAL_OBJECT_STORAGE) fail(SW.NO_SPACE);
  if (content.length === 0) {
    state.objects = Object.fromEntries(Object.entries(state.objects).filter(([k]) => k !== key));
  } else {
    state.objects[key] = hexOf(content);
  }
  ctx.changed();
  return EMPTY;
};
