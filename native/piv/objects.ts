// PIV data objects: GET DATA / PUT DATA (SP 800-73-4 Part 2 §3.1.2, §3.3.2)
// and the certificate object format yubico-piv-tool and ykman write
// (SP 800-73-4 Part 1 Appendix A: 70 certificate, 71 CertInfo, FE error detection code).
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { NativeError } from '../errors.ts';
import { certificateObjectId, INS, OBJECT_ID, OBJECT_TAG } from './constants.ts';
import type { PivSession } from './session.ts';
import { concatBytes, decodeTlvs, encodeTlv, findTlv } from './tlv.ts';

const TAG_CERTIFICATE = 0x70;
const TAG_CERT_INFO = 0x71;
const TAG_LRC = 0xfe;
/** Largest object a YubiKey 4/5 stores: 3072 − 9 bytes (ykpiv internal.h CB_OBJ_MAX). */
export const MAX_OBJECT_SIZE = 3063;

function objectIdBytes(id: number): Uint8Array {
  return id <= 0xff ? Uint8Array.of(id) : id <= 0xffff ? Uint8Array.of(id >> 8, id & 0xff) : Uint8Array.of(id >> 16, (id >> 8) & 0xff, id & 0xff);
}

/** GET DATA; null when the key holds no such object (6A82). */
export async function getObject(session: PivSession, id: number): Promise<Uint8Array | null> {
  let answer: Uint8Array;
  try {
    answer = await session.send({ ins: INS.GET_DATA, p1: 0x3f, p2: 0xff, data: encodeTlv(OBJECT_TAG.ID, objectIdBytes(id)) }, 'other', 'read-data');
  } catch (e) {
    if (e instanceof NativeError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
  const tlvs = decodeTlvs(answer);
  const content = findTlv(tlvs, id === OBJECT_ID.DISCOVERY ? OBJECT_ID.DISCOVERY : OBJECT_TAG.DATA);
  if (content === undefined) throw new NativeError('INVALID_RESPONSE', { part: 'data-object', id });
  return content;
}

/** PUT DATA (needs the management key); `content` null deletes the object. */
export async function putObject(session: PivSession, id: number, content: Uint8Array | null): Promise<void> {
  const value = content ?? new Uint8Array(0);
  if (value.length > MAX_OBJECT_SIZE) throw new NativeError('INVALID_INPUT', { problem: 'object-too-large', size: value.length, limit: MAX_OBJECT_SIZE });
  const data = concatBytes(encodeTlv(OBJECT_TAG.ID, objectIdBytes(id)), encodeTlv(OBJECT_TAG.DATA, value));
  await session.send({ ins: INS.PUT_DATA, p1: 0x3f, p2: 0xff, data }, 'other', 'write-data');
}

/** The DER certificate in a slot, or null. Reads gzip-compressed objects too (yubikit piv.py). */
export async function readCertificate(session: PivSession, slot: number): Promise<Uint8Array | null> {
  const content = await getObject(session, certificateObjectId(slot));
  if (content === null || content.length === 0) return null;
  const tlvs = decodeTlvs(content);
  const cert = findTlv(tlvs, TAG_CERTIFICATE);
  if (cert === undefined) throw new NativeError('INVALID_RESPONSE', { part: 'certificate-object', id: slot });
  const info = findTlv(tlvs, TAG_CERT_INFO);
  if (info !== undefined && info[0] === 0x01) {
    try {
      return new Uint8Array(gunzipSync(cert));
    } catch (e) {
      throw new NativeError('INVALID_RESPONSE', { part: 'compressed-certificate', id: slot }, { cause: e });
    }
  }
  return cert;
}

/** Writes a DER certificate as ykman and yubico-piv-tool do: 70 cert, 71 00 (not compressed), FE 00. */
export async function writeCertificate(session: PivSession, slot: number, der: Uint8Array): Promise<void> {
  const content = concatBytes(encodeTlv(TAG_CERTIFICATE, der), encodeTlv(TAG_CERT_INFO, Uint8Array.of(0)), encodeTlv(TAG_LRC, new Uint8Array(0)));
  await putObject(session, certificateObjectId(slot), content);
}

export async function deleteCertificate(session: PivSession, slot: number): Promise<void> {
  await putObject(session, certificateObjectId(slot), null);
}

/** Non-federal issuer FASC-N 9999-9999-999999-0-1-0000000000300001, as ykman's generate_chuid uses. */
const FASC_N = Uint8Array.from(Buffer.from('d4e739da739ced39ce739d836858210842108421c84210c3eb', 'hex'));
/** CHUID expiry "20300101" (ykman generate_chuid). */
const CHUID_EXPIRY = new TextEncoder().encode('20300101');

/** A CHUID with a fresh random GUID (SP 800-73-4 Part 1 §3.1.2), in the layout ykman writes. */
export function newChuid(random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n))): Uint8Array {
  return concatBytes(
    encodeTlv(0x30, FASC_N),
    encodeTlv(0x34, random(16)),
    encodeTlv(0x35, CHUID_EXPIRY),
    encodeTlv(0x3e, new Uint8Array(0)),
    encodeTlv(TAG_LRC, new Uint8Array(0)),
  );
}

/** A CCC (SP 800-73-4 Part 1 §3.1.1) in the layout ykman's generate_ccc writes; the Windows minidriver wants one. */
export function newCcc(random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n))): Uint8Array {
  const empty = new Uint8Array(0);
  return concatBytes(
    encodeTlv(0xf0, concatBytes(Uint8Array.from([0xa0, 0x00, 0x00, 0x01, 0x16, 0xff, 0x02]), random(14))),
    encodeTlv(0xf1, Uint8Array.of(0x21)),
    encodeTlv(0xf2, Uint8Array.of(0x21)),
    encodeTlv(0xf3, empty),
    encodeTlv(0xf4, Uint8Array.of(0x00)),
    encodeTlv(0xf5, Uint8Array.of(0x10)),
    ...[0xf6, 0xf7, 0xfa, 0xfb, 0xfc, 0xfd, TAG_LRC].map((t) => encodeTlv(t, empty)),
  );
}

/** The GUID of a CHUID (tag 34), or null. */
export function chuidGuid(chuid: Uint8Array): Uint8Array | null {
  return findTlv(decodeTlvs(chuid), 0x34) ?? null;
}
