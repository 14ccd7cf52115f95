// The private-key operations of GENERAL AUTHENTICATE, as a YubiKey computes
// them: raw RSA, ECDSA over a digest the host made, Ed25519 over the message,
// ECDH/X25519 shared secrets (piv-yubikey-apdus.md §2 "Private-key operations").
import { constants, createPublicKey, diffieHellman, type KeyObject, privateDecrypt, sign } from 'node:crypto';
import { p256, p384 } from '@noble/curves/nist.js';
import { CardStatus, SW } from '../sw.ts';
import { type KeyAlgorithm, rsaBlockBytes } from './algorithms.ts';

const incorrectData = (): CardStatus => new CardStatus(SW.INCORRECT_DATA);

/**
 * Raw RSA private operation (m^d mod n) on one modulus-sized block: the host
 * pads for signing (PKCS#1 v1.5 / PSS) and unpads after decrypting, so one
 * primitive serves both (yubikit piv.py `_pad_message` / `_unpad_message`).
 */
export function rsaRaw(key: KeyObject, alg: KeyAlgorithm & { kind: 'rsa' }, block: Uint8Array): Uint8Array {
  // ykpiv `_general_authenticate` sends exactly the key length for RSA.
  if (block.length !== rsaBlockBytes(alg)) throw incorrectData();
  try {
    return Uint8Array.from(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, block));
  } catch {
    // The block is not below the modulus.
    throw incorrectData();
  }
}

/**
 * ECDSA over a digest the host made and truncated to the field size (ykpiv
 * truncates longer input; yubikit sends shorter digests as they are, read as a
 * big-endian integer: FIPS 186-4 §6.4). Node's crypto.sign always hashes its
 * input for EC keys, so the signature is made by @noble/curves with prehash off.
 * The result is DER SEQUENCE { r, s } (SP 800-73-4 Part 2 §3.2.4; yesdk
 * AuthenticateSignResponse). Low-S is not forced: a YubiKey does not either.
 */
export function ecdsaSign(key: KeyObject, alg: KeyAlgorithm & { kind: 'ec' }, digest: Uint8Array): Uint8Array {
  if (digest.length === 0 || digest.length > alg.fieldBytes) throw incorrectData();
  const scalar = Buffer.from(jwkField(key, 'd'), 'base64url');
  const curve = alg.curve === 'P-256' ? p256 : p384;
  return curve.sign(digest, scalar, { prehash: false, lowS: false, format: 'der', extraEntropy: true });
}

/** Pure Ed25519 (RFC 8032 §5.1.6) over the raw message: the card hashes it itself (ykpiv: not hashed by the host). */
export function ed25519Sign(key: KeyObject, message: Uint8Array): Uint8Array {
  return Uint8Array.from(sign(null, message, key));
}

/**
 * ECDH with the peer's uncompressed point (SEC 1 §2.3.3, 65 or 97 bytes); the
 * result is the x-coordinate of the shared point (SP 800-56A §5.7.1.2), as
 * ykpiv_decipher_data expects back. A point off the curve is 6A80.
 */
export function ecdh(key: KeyObject, alg: KeyAlgorithm & { kind: 'ec' }, peerPoint: Uint8Array): Uint8Array {
  const half = alg.fieldBytes;
  if (peerPoint.length !== 1 + 2 * half || peerPoint[0] !== 0x04) throw incorrectData();
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
  try {
    const peer = createPublicKey({
      key: { kty: 'EC', crv: alg.curve, x: b64(peerPoint.slice(1, 1 + half)), y: b64(peerPoint.slice(1 + half)) },
      format: 'jwk',
    });
    return Uint8Array.from(diffieHellman({ privateKey: key, publicKey: peer }));
  } catch {
    throw incorrectData();
  }
}

/** X25519 (RFC 7748 §6.1) with the peer's 32-byte public value. */
export function x25519Agree(key: KeyObject, peer: Uint8Array): Uint8Array {
  if (peer.length !== 32) throw incorrectData();
  try {
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peer).toString('base64url') },
      format: 'jwk',
    });
    return Uint8Array.from(diffieHellman({ privateKey: key, publicKey }));
  } catch {
    throw incorrectData();
  }
}

function jwkField(key: KeyObject, field: 'd'): string {
  const value = key.export({ format: 'jwk' })[field];
  if (value === undefined) throw new Error(`private key lacks ${field}`);
  return value;
}
