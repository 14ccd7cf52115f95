// TEST-ONLY helpers for the key command tests, on top of test-support.ts: talk
// to an in-process card through transmit() only, as a host would (extended
// APDUs, as yubikit sends over USB), and read keys back with node:crypto.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { ProfileName, VirtualYubiKey } from '../index.ts';
import { bytesOf, cat, findTlv, parseTemplate, parseTlvs, tlv } from '../tlv.ts';
import { apdu, authenticateMgmt, data, freshCard, select, sw, transmitAll, verifyPin as verifyPinSw } from './test-support.ts';

export interface Reply {
  readonly sw: number;
  readonly data: Uint8Array;
}

export const INS = { GENERATE: 0x47, AUTHENTICATE: 0x87, MOVE: 0xf6, ATTEST: 0xf9, IMPORT: 0xfe } as const;
export const ALG = { RSA1024: 0x06, RSA2048: 0x07, RSA3072: 0x05, RSA4096: 0x16, P256: 0x11, P384: 0x14, ED25519: 0xe0, X25519: 0xe1 } as const;

/** One extended APDU (Le 0000: everything back at once), following 61xx if the card still chains. */
export function send(card: VirtualYubiKey, ins: number, p1: number, p2: number, body: Uint8Array = new Uint8Array(0)): Reply {
  const out = transmitAll(card, apdu(0x00, ins, p1, p2, body, { extended: true, le: 0 }));
  return { sw: sw(out), data: data(out).slice() };
}

export function selectPiv(card: VirtualYubiKey): void {
  if (sw(select(card)) !== 0x9000) throw new Error('SELECT PIV failed');
}

/** A card of this profile in factory state (test-support's shared factory state), PIV selected. */
export function pivCard(profile: ProfileName = 'yk5.4.3'): VirtualYubiKey {
  return freshCard(profile);
}

/** Mutual authentication with the card's current management key, as yubikit does it. */
export function authenticate(card: VirtualYubiKey): void {
  const { algorithm, keyHex } = card.state.managementKey;
  const status = authenticateMgmt(card, algorithm, bytesOf(keyHex));
  if (status !== 0x9000) throw new Error(`management key: ${status.toString(16)}`);
}

/** VERIFY PIN (factory PIN unless given); returns the SW. */
export function verifyPin(card: VirtualYubiKey, pin = '123456'): number {
  return verifyPinSw(card, pin);
}

/** The AC template of GENERATE ASYMMETRIC KEY PAIR. */
export function generateTemplate(alg: number, pinPolicy?: number, touchPolicy?: number): Uint8Array {
  const parts = [tlv(0x80, Uint8Array.of(alg))];
  if (pinPolicy !== undefined) parts.push(tlv(0xaa, Uint8Array.of(pinPolicy)));
  if (touchPolicy !== undefined) parts.push(tlv(0xab, Uint8Array.of(touchPolicy)));
  return tlv(0xac, cat(...parts));
}

/** Reads the public key out of a 7F49 response, as yubikit's _parse_device_public_key does. */
export function publicKeyOf(alg: number, response: Uint8Array): KeyObject {
  const inner = parseTemplate(response, 0x7f49);
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
  const point = findTlv(inner, 0x86);
  if (alg === ALG.P256 || alg === ALG.P384) {
    const half = (point!.length - 1) / 2;
    const crv = alg === ALG.P256 ? 'P-256' : 'P-384';
    return createPublicKey({ key: { kty: 'EC', crv, x: b64(point!.slice(1, 1 + half)), y: b64(point!.slice(1 + half)) }, format: 'jwk' });
  }
  if (alg === ALG.ED25519 || alg === ALG.X25519) {
    return createPublicKey({ key: { kty: 'OKP', crv: alg === ALG.ED25519 ? 'Ed25519' : 'X25519', x: b64(point!) }, format: 'jwk' });
  }
  const n = findTlv(inner, 0x81)!;
  const e = findTlv(inner, 0x82)!;
  return createPublicKey({ key: { kty: 'RSA', n: b64(n), e: b64(e) }, format: 'jwk' });
}

/** Authenticates and generates a key; returns its public key. */
export function generate(card: VirtualYubiKey, slot: number, alg: number, pinPolicy?: number, touchPolicy?: number): KeyObject {
  authenticate(card);
  const reply = send(card, INS.GENERATE, 0x00, slot, generateTemplate(alg, pinPolicy, touchPolicy));
  if (reply.sw !== 0x9000) throw new Error(`GENERATE: ${reply.sw.toString(16)}`);
  return publicKeyOf(alg, reply.data);
}

/** GENERAL AUTHENTICATE with a slot key: `7C { 82 00, 81|85 data }`. */
export function useKey(card: VirtualYubiKey, alg: number, slot: number, data: Uint8Array, tag: 0x81 | 0x85 = 0x81): Reply {
  return send(card, INS.AUTHENTICATE, alg, slot, tlv(0x7c, cat(tlv(0x82, new Uint8Array(0)), tlv(tag, data))));
}

/** The result inside `7C { 82 result }`. */
export function resultOf(reply: Reply): Uint8Array {
  if (reply.sw !== 0x9000) throw new Error(`GENERAL AUTHENTICATE: ${reply.sw.toString(16)}`);
  const inner = parseTlvs(reply.data);
  return findTlv(parseTlvs(inner[0]!.value), 0x82)!;
}

/** SHA-256 DigestInfo prefix (RFC 8017 §9.2, note 1). */
const SHA256_DIGEST_INFO = bytesOf('3031300d060960864801650304020105000420');

/** EMSA-PKCS1-v1_5 encoding of a SHA-256 digest into a block of `size` bytes (RFC 8017 §9.2). */
export function pkcs1v15Block(digest: Uint8Array, size: number): Uint8Array {
  const t = cat(SHA256_DIGEST_INFO, digest);
  const block = new Uint8Array(size).fill(0xff);
  block[0] = 0x00;
  block[1] = 0x01;
  block[size - t.length - 1] = 0x00;
  block.set(t, size - t.length);
  return block;
}
