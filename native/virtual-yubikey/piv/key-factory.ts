// Making private keys: fresh ones (GENERATE, the F9 key) and ones rebuilt from
// the components IMPORT KEY sends. Keys are kept as PKCS#8 DER (state.ts).
import { createECDH, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import type { KeyRecord } from '../state.ts';
import type { KeyAlgorithm } from './algorithms.ts';

/** RSA public exponent: the only one a YubiKey generates or imports (yubikit put_key: "RSA exponent must be 65537"). */
export const RSA_EXPONENT = 65537;

/** A new RSA private key of `bits` bits, made with Node's crypto (OpenSSL). */
export const generateRsaKey = (bits: number): KeyObject => generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: RSA_EXPONENT }).privateKey;

/** Where new RSA keys come from; tests may give keys made beforehand instead (setRsaKeySource). */
export type RsaKeySource = (bits: number) => KeyObject;
let rsaKeySource: RsaKeySource = generateRsaKey;

/**
 * Tests only: RSA keys from `source` (undefined: generated again). Making RSA
 * keys was most of the unit tests' CPU (two for every new card's attestation
 * root and F9 key, one per GENERATE); tests/support/rsa-key-pool.ts hands out
 * distinct keys made once (README, "Test speed").
 */
export function setRsaKeySource(source: RsaKeySource | undefined): void {
  rsaKeySource = source ?? generateRsaKey;
}

/** A new key pair for `alg`, made with Node's crypto (OpenSSL). */
export function generatePrivateKey(alg: KeyAlgorithm): KeyObject {
  switch (alg.kind) {
    case 'rsa':
      return rsaKeySource(alg.bits);
    case 'ec':
      return generateKeyPairSync('ec', { namedCurve: alg.curve }).privateKey;
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey;
    case 'x25519':
      return generateKeyPairSync('x25519').privateKey;
  }
}

export function keyRecord(
  alg: KeyAlgorithm,
  privateKey: KeyObject,
  policies: { pinPolicy: number; touchPolicy: number },
  origin: KeyRecord['origin'],
): KeyRecord {
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { algorithm: alg.id, ...policies, origin, privateKeyPkcs8: pkcs8.toString('hex') };
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

function bigintOf(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function bytesOfBigint(n: bigint): Uint8Array {
  const hex = n.toString(16);
  return Uint8Array.from(Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex'));
}

/** x⁻¹ mod m (extended Euclid); undefined when x and m share a factor. */
function modInverse(x: bigint, m: bigint): bigint | undefined {
  let [a, b, u, v] = [((x % m) + m) % m, m, 1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b, u, v] = [b, a - q * b, v, u - q * v];
  }
  return a === 1n ? ((u % m) + m) % m : undefined;
}

export interface RsaComponents {
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  readonly dp: Uint8Array;
  readonly dq: Uint8Array;
  readonly qInv: Uint8Array;
}

/**
 * Rebuilds an RSA key from the CRT components IMPORT KEY carries (e = 65537).
 * Undefined when they do not form one consistent key of `bits` bits.
 */
export function rsaKeyFromComponents(c: RsaComponents, bits: number): KeyObject | undefined {
  const [p, q, dp, dq, qInv] = [c.p, c.q, c.dp, c.dq, c.qInv].map(bigintOf) as [bigint, bigint, bigint, bigint, bigint];
  if (p < 3n || q < 3n || p === q) return undefined;
  const n = p * q;
  if (n.toString(2).length !== bits) return undefined;
  const e = BigInt(RSA_EXPONENT);
  const d = modInverse(e, (p - 1n) * (q - 1n));
  if (d === undefined || d % (p - 1n) !== dp || d % (q - 1n) !== dq || modInverse(q, p) !== qInv) return undefined;
  const jwk = {
    kty: 'RSA',
    n: b64url(bytesOfBigint(n)),
    e: b64url(bytesOfBigint(e)),
    d: b64url(bytesOfBigint(d)),
    p: b64url(bytesOfBigint(p)),
    q: b64url(bytesOfBigint(q)),
    dp: b64url(bytesOfBigint(dp)),
    dq: b64url(bytesOfBigint(dq)),
    qi: b64url(bytesOfBigint(qInv)),
  };
  try {
    return createPrivateKey({ key: jwk, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** OpenSSL's names for the NIST curves, as createECDH wants them (RFC 4492 Appendix A). */
const OPENSSL_CURVE = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' } as const;

/** Rebuilds a P-256/P-384 key from its private scalar; undefined when out of range. */
export function ecKeyFromScalar(scalar: Uint8Array, alg: KeyAlgorithm & { kind: 'ec' }): KeyObject | undefined {
  if (scalar.length !== alg.fieldBytes) return undefined;
  try {
    // JWK import needs the public point: Node's ECDH multiplies the base point
    // by the scalar (and rejects 0 and values not below the group order).
    const ecdh = createECDH(OPENSSL_CURVE[alg.curve]);
    ecdh.setPrivateKey(scalar);
    const point = ecdh.getPublicKey();
    const half = alg.fieldBytes;
    const jwk = {
      kty: 'EC',
      crv: alg.curve,
      d: b64url(scalar),
      x: b64url(point.subarray(1, 1 + half)),
      y: b64url(point.subarray(1 + half)),
    };
    return createPrivateKey({ key: jwk, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** Rebuilds an Ed25519 or X25519 key from its 32-byte private value (RFC 8032 §5.1.5, RFC 7748 §6.1). */
export function curve25519KeyFromPrivate(raw: Uint8Array, kind: 'ed25519' | 'x25519'): KeyObject | undefined {
  if (raw.length !== 32) return undefined;
  const publicKey = kind === 'ed25519' ? ed25519.getPublicKey(raw) : x25519.getPublicKey(raw);
  const crv = kind === 'ed25519' ? 'Ed25519' : 'X25519';
  try {
    return createPrivateKey({ key: { kty: 'OKP', crv, d: b64url(raw), x: b64url(publicKey) }, format: 'jwk' });
  } catch {
    return undefined;
  }
}
