// Key pairs in PIV slots: generate, use (sign, decrypt, ECDH), attest.
// SP 800-73-4 Part 2 §3.3.2 (GENERATE ASYMMETRIC KEY PAIR), §3.2.4 (GENERAL
// AUTHENTICATE), SP 800-78-4 Table 5 (algorithm ids); Yubico's PIN/touch
// policy tags AA/AB and ATTEST from ykpiv.h.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { type CardStep, NativeError } from '../errors.ts';
import { isRocaAffected, requireFeature, supports, versionText } from '../yubikey/version.ts';
import { ALGORITHM, AUTH_TAG, INS, type KeyAlgorithmName, PIN_POLICY, TOUCH_POLICY } from './constants.ts';
import type { PivSession } from './session.ts';
import { SW_INCORRECT_DATA } from './status-words.ts';
import { concatBytes, decodeTemplate, decodeTlvs, encodeTlv, findTlv, requireTlv } from './tlv.ts';

export interface KeySpec {
  readonly id: number;
  readonly kind: 'rsa' | 'ec';
  /** RSA modulus or EC field size in bytes. */
  readonly size: number;
  readonly curve?: 'P-256' | 'P-384';
}

export const KEY_ALGORITHMS: Readonly<Record<KeyAlgorithmName, KeySpec>> = {
  RSA1024: { id: ALGORITHM.RSA1024, kind: 'rsa', size: 128 },
  RSA2048: { id: ALGORITHM.RSA2048, kind: 'rsa', size: 256 },
  RSA3072: { id: ALGORITHM.RSA3072, kind: 'rsa', size: 384 },
  RSA4096: { id: ALGORITHM.RSA4096, kind: 'rsa', size: 512 },
  ECCP256: { id: ALGORITHM.ECCP256, kind: 'ec', size: 32, curve: 'P-256' },
  ECCP384: { id: ALGORITHM.ECCP384, kind: 'ec', size: 48, curve: 'P-384' },
};

export type PinPolicyName = keyof typeof PIN_POLICY;
export type TouchPolicyName = keyof typeof TOUCH_POLICY;

export interface GenerateOptions {
  readonly slot: number;
  readonly algorithm: KeyAlgorithmName;
  readonly pinPolicy?: PinPolicyName;
  readonly touchPolicy?: TouchPolicyName;
}

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** Reads the public key TLVs (7F49 content, or metadata tag 04) as a KeyObject. */
export function publicKeyFromTlvs(algorithm: KeyAlgorithmName, tlvs: Uint8Array): KeyObject {
  const spec = KEY_ALGORITHMS[algorithm];
  const inner = decodeTlvs(tlvs);
  try {
    if (spec.kind === 'rsa') {
      const n = requireTlv(inner, 0x81);
      const e = requireTlv(inner, 0x82);
      if (n.length !== spec.size) throw new NativeError('INVALID_RESPONSE', { part: 'rsa-key-size' });
      return createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' });
    }
    const point = requireTlv(inner, 0x86);
    if (point.length !== 1 + 2 * spec.size || point[0] !== 0x04) throw new NativeError('INVALID_RESPONSE', { part: 'ec-point' });
    const x = point.subarray(1, 1 + spec.size);
    const y = point.subarray(1 + spec.size);
    return createPublicKey({ key: { kty: 'EC', crv: spec.curve, x: b64url(x), y: b64url(y) }, format: 'jwk' });
  } catch (e) {
    if (e instanceof NativeError) throw e;
    throw new NativeError('INVALID_RESPONSE', { part: 'public-key' }, { cause: e });
  }
}

/** Algorithms this firmware can generate on the key, with ROCA refused (YSA-2017-01). */
export function checkGenerateSupported(session: PivSession, algorithm: KeyAlgorithmName): void {
  const spec = KEY_ALGORITHMS[algorithm];
  if ((algorithm === 'RSA3072' || algorithm === 'RSA4096') && !supports(session.version, 'rsa3072And4096')) {
    throw new NativeError('NOT_SUPPORTED_BY_FIRMWARE', { feature: 'rsa3072And4096', needs: '5.7.0', has: versionText(session.version) });
  }
  if (spec.kind === 'rsa' && isRocaAffected(session.version)) {
    throw new NativeError('ROCA_VULNERABLE', { advice: 'use-ecc' });
  }
}

/** GENERATE ASYMMETRIC KEY PAIR; needs the management key. Returns the new public key. */
export async function generateKey(session: PivSession, options: GenerateOptions): Promise<KeyObject> {
  checkGenerateSupported(session, options.algorithm);
  const spec = KEY_ALGORITHMS[options.algorithm];
  const params = [encodeTlv(0x80, Uint8Array.of(spec.id))];
  if (options.pinPolicy !== undefined && options.pinPolicy !== 'DEFAULT') params.push(encodeTlv(0xaa, Uint8Array.of(PIN_POLICY[options.pinPolicy])));
  if (options.touchPolicy !== undefined && options.touchPolicy !== 'DEFAULT') params.push(encodeTlv(0xab, Uint8Array.of(TOUCH_POLICY[options.touchPolicy])));
  const data = encodeTlv(0xac, concatBytes(...params));
  const answer = await session.send({ ins: INS.GENERATE_ASYMMETRIC, p1: 0, p2: options.slot, data }, 'other', 'generate-key');
  const outer = decodeTlvs(answer);
  const template = findTlv(outer, 0x7f49);
  if (template === undefined) throw new NativeError('INVALID_RESPONSE', { part: 'public-key' });
  return publicKeyFromTlvs(options.algorithm, template);
}

/** GENERAL AUTHENTICATE with a private key: `7C { 82 00, tag input }` -> `7C { 82 result }`. */
async function privateKeyOperation(
  session: PivSession,
  slot: number,
  algorithm: KeyAlgorithmName,
  tag: number,
  input: Uint8Array,
  step: CardStep,
  secretAnswer: boolean,
): Promise<Uint8Array> {
  const spec = KEY_ALGORITHMS[algorithm];
  const data = encodeTlv(AUTH_TAG.TEMPLATE, concatBytes(encodeTlv(AUTH_TAG.RESPONSE, new Uint8Array(0)), encodeTlv(tag, input)));
  const result = await session.send({ ins: INS.AUTHENTICATE, p1: spec.id, p2: slot, data, secretAnswer }, 'other', step);
  return requireTlv(decodeTemplate(result, AUTH_TAG.TEMPLATE), AUTH_TAG.RESPONSE);
}

/**
 * Signs with the slot's key. RSA: `input` is the whole encoded message block
 * (EMSA-PKCS1-v1_5, modulus length); EC: the digest, truncated to the field
 * size as FIPS 186-4 §6.4 says. Returns the raw RSA signature or the DER
 * ECDSA signature the card gives.
 */
export async function signWithSlot(session: PivSession, slot: number, algorithm: KeyAlgorithmName, input: Uint8Array): Promise<Uint8Array> {
  const spec = KEY_ALGORITHMS[algorithm];
  if (spec.kind === 'rsa' && input.length !== spec.size)
    throw new NativeError('INVALID_INPUT', { problem: 'signature-input-size', size: input.length, limit: spec.size });
  const message = spec.kind === 'ec' ? input.subarray(0, spec.size) : input;
  return privateKeyOperation(session, slot, algorithm, AUTH_TAG.CHALLENGE, message, 'sign', false);
}

/** Raw RSA private operation for decryption; the caller removes the padding. */
export async function decryptWithSlot(session: PivSession, slot: number, algorithm: KeyAlgorithmName, block: Uint8Array): Promise<Uint8Array> {
  if (KEY_ALGORITHMS[algorithm].kind !== 'rsa') throw new NativeError('INVALID_INPUT', { problem: 'decrypt-needs-rsa' });
  // The decrypted block holds the content key of what was encrypted to this key: a secret.
  return privateKeyOperation(session, slot, algorithm, AUTH_TAG.CHALLENGE, block, 'decrypt', true);
}

/** ECDH with the slot's key and an uncompressed peer point; returns the shared x-coordinate. */
export async function ecdhWithSlot(session: PivSession, slot: number, algorithm: KeyAlgorithmName, peerPoint: Uint8Array): Promise<Uint8Array> {
  if (KEY_ALGORITHMS[algorithm].kind !== 'ec') throw new NativeError('INVALID_INPUT', { problem: 'ecdh-needs-ec' });
  return privateKeyOperation(session, slot, algorithm, AUTH_TAG.EXPONENTIATION, peerPoint, 'key-agreement', true);
}

/** ATTEST (Yubico, 4.3+): a certificate, signed by the F9 key, for a key generated on the card. */
export async function attestSlot(session: PivSession, slot: number): Promise<Uint8Array> {
  requireFeature(session.version, 'attestation');
  let der: Uint8Array;
  try {
    der = await session.send({ ins: INS.ATTEST, p1: slot, p2: 0 }, 'other', 'attest');
  } catch (e) {
    // 6A80: an empty slot, or an imported key (piv-go's Attest reads it as ErrNotFound).
    if (e instanceof NativeError && e.sw === SW_INCORRECT_DATA) {
      throw new NativeError('NOT_FOUND', { step: 'attest' }, { sw: e.sw, cause: e });
    }
    throw e;
  }
  if (der[0] !== 0x30) throw new NativeError('INVALID_RESPONSE', { part: 'attestation' });
  return der;
}

export interface SlotKeyMetadata {
  readonly algorithm: KeyAlgorithmName;
  readonly pinPolicy: number;
  readonly touchPolicy: number;
  readonly generatedOnKey: boolean;
  readonly publicKey: KeyObject;
}

/** GET METADATA for a key slot (5.3+); null when the slot is empty (6A88). */
export async function slotMetadata(session: PivSession, slot: number): Promise<SlotKeyMetadata | null> {
  requireFeature(session.version, 'metadata');
  let answer: Uint8Array;
  try {
    answer = await session.send({ ins: INS.GET_METADATA, p1: 0, p2: slot }, 'other', 'read-key-details');
  } catch (e) {
    if (e instanceof NativeError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
  const tlvs = decodeTlvs(answer);
  const algId = requireTlv(tlvs, 0x01)[0];
  const algorithm = (Object.keys(KEY_ALGORITHMS) as KeyAlgorithmName[]).find((n) => KEY_ALGORITHMS[n].id === algId);
  if (algorithm === undefined) throw new NativeError('INVALID_RESPONSE', { part: 'key-type', id: algId });
  const policy = requireTlv(tlvs, 0x02);
  const origin = requireTlv(tlvs, 0x03);
  return {
    algorithm,
    pinPolicy: policy[0] ?? 0,
    touchPolicy: policy[1] ?? 0,
    generatedOnKey: origin[0] === 1,
    publicKey: publicKeyFromTlvs(algorithm, requireTlv(tlvs, 0x04)),
  };
}
