// A WebCrypto provider whose private key lives on the card, so that
// @peculiar/x509 (CSRs, SCEP messages) signs on the key: the private key never
// leaves it. Everything but signing with the card key goes to @peculiar/webcrypto.
import { createHash, type KeyObject, type webcrypto } from 'node:crypto';
import { Crypto as PeculiarCrypto } from '@peculiar/webcrypto';
import { AsnEcSignatureFormatter } from '../x509.ts';
import { NativeError } from '../errors.ts';
import type { KeyAlgorithmName } from './constants.ts';
import { KEY_ALGORITHMS, signWithSlot } from './keys.ts';
import type { PivSession } from './session.ts';

export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** DigestInfo DER prefixes for EMSA-PKCS1-v1_5, RFC 8017 §9.2 Note 1. */
const DIGEST_INFO_PREFIX: Readonly<Record<HashName, string>> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};

const NODE_HASH: Readonly<Record<HashName, string>> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** EMSA-PKCS1-v1_5 encoding (RFC 8017 §9.2): 00 01 FF…FF 00 DigestInfo. */
export function emsaPkcs1v15(hash: HashName, digest: Uint8Array, modulusLength: number): Uint8Array {
  const t = Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[hash], 'hex'), digest]);
  if (modulusLength < t.length + 11) throw new NativeError('INVALID_INPUT', { problem: 'rsa-key-too-short', size: modulusLength, limit: t.length + 11 });
  const out = new Uint8Array(modulusLength).fill(0xff);
  out[0] = 0x00;
  out[1] = 0x01;
  out[modulusLength - t.length - 1] = 0x00;
  out.set(t, modulusLength - t.length);
  return out;
}

interface CardKeyRef {
  readonly session: PivSession;
  readonly slot: number;
  readonly algorithm: KeyAlgorithmName;
  readonly hash: HashName;
}

export interface CardKeyPair {
  /** Pass as `keys` to @peculiar/x509 generators. */
  readonly keys: webcrypto.CryptoKeyPair;
  /** Pass as the `crypto` argument of the same generator call. */
  readonly crypto: webcrypto.Crypto;
  /** The signing algorithm to name in the generator's params. */
  readonly signingAlgorithm: webcrypto.Algorithm & { hash: string };
}

function webAlgorithm(algorithm: KeyAlgorithmName, hash: HashName): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams {
  const spec = KEY_ALGORITHMS[algorithm];
  return spec.kind === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5', hash } : { name: 'ECDSA', namedCurve: spec.curve! };
}

/**
 * The key pair of a slot for @peculiar/x509. The PIN must already be verified
 * in `session` if the slot's PIN policy asks for it.
 */
export async function cardKeyPair(
  session: PivSession,
  slot: number,
  algorithm: KeyAlgorithmName,
  publicKey: KeyObject,
  hash: HashName = 'SHA-256',
): Promise<CardKeyPair> {
  const base = new PeculiarCrypto();
  const importAlg = webAlgorithm(algorithm, hash);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const webPublic = await base.subtle.importKey('spki', spki, importAlg, true, ['verify']);
  const cardKeys = new WeakMap<object, CardKeyRef>();
  const privateKey = {
    type: 'private',
    extractable: false,
    algorithm:
      KEY_ALGORITHMS[algorithm].kind === 'rsa'
        ? { name: 'RSASSA-PKCS1-v1_5', hash: { name: hash } }
        : { name: 'ECDSA', namedCurve: KEY_ALGORITHMS[algorithm].curve! },
    usages: ['sign'],
  } as unknown as webcrypto.CryptoKey;
  cardKeys.set(privateKey, { session, slot, algorithm, hash });

  const sign = async (
    alg: webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams,
    key: webcrypto.CryptoKey,
    data: webcrypto.BufferSource,
  ): Promise<ArrayBuffer> => {
    const ref = cardKeys.get(key);
    if (ref === undefined) return base.subtle.sign(alg, key, data);
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const digest = new Uint8Array(createHash(NODE_HASH[ref.hash]).update(bytes).digest());
    const spec = KEY_ALGORITHMS[ref.algorithm];
    if (spec.kind === 'rsa') {
      const sig = await signWithSlot(ref.session, ref.slot, ref.algorithm, emsaPkcs1v15(ref.hash, digest, spec.size));
      return sig.slice().buffer;
    }
    const der = await signWithSlot(ref.session, ref.slot, ref.algorithm, digest);
    const raw = new AsnEcSignatureFormatter().toWebSignature({ name: 'ECDSA', namedCurve: spec.curve! } as webcrypto.Algorithm, der);
    if (raw === null) throw new NativeError('INVALID_RESPONSE', { part: 'ecdsa-signature' });
    return raw;
  };

  const subtle = new Proxy(base.subtle, {
    get(target, prop, receiver) {
      if (prop === 'sign') return sign;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const crypto = { subtle, getRandomValues: base.getRandomValues.bind(base), randomUUID: base.randomUUID.bind(base) } as unknown as webcrypto.Crypto;
  const signingAlgorithm = KEY_ALGORITHMS[algorithm].kind === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5', hash } : { name: 'ECDSA', hash };
  return { keys: { privateKey, publicKey: webPublic }, crypto, signingAlgorithm };
}
