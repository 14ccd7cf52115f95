// The public half of a slot's key in the form the card reports it: the inner
// TLVs of 7F49 (GENERATE ASYMMETRIC response) and of GET METADATA tag 04.
// SP 800-73-4 Part 2 §3.3.2 Table 10 (RSA 81 modulus, 82 exponent; EC 86 point);
// yubikit piv.py `_parse_device_public_key`.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyRecord } from '../state.ts';
import { cat, tlv } from '../tlv.ts';

/** Tags inside 7F49 (SP 800-73-4 Part 2 Table 10). */
const TAG_MODULUS = 0x81;
const TAG_EXPONENT = 0x82;
const TAG_EC_POINT = 0x86;

/** SEC 1 §2.3.3: uncompressed point marker. */
const UNCOMPRESSED_POINT = 0x04;

/** The private key of a stored record (PKCS#8 DER hex). */
export function privateKeyOf(record: KeyRecord): KeyObject {
  return createPrivateKey({ key: Buffer.from(record.privateKeyPkcs8, 'hex'), format: 'der', type: 'pkcs8' });
}

function b64url(value: string | undefined): Uint8Array {
  if (value === undefined) throw new Error('public key JWK lacks a field');
  return Uint8Array.from(Buffer.from(value, 'base64url'));
}

/** The uncompressed EC point 04‖X‖Y (X and Y padded to the field size, as JWK gives them). */
export function ecPointOf(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return cat(Uint8Array.of(UNCOMPRESSED_POINT), b64url(jwk.x), b64url(jwk.y));
}

/** Inner TLVs of 7F49: RSA `81 n 82 e`, EC `86 04‖X‖Y`, Ed25519/X25519 `86 key`. */
export function publicKeyTlvs(record: KeyRecord): Uint8Array {
  const publicKey = createPublicKey(privateKeyOf(record));
  if (publicKey.asymmetricKeyType === 'rsa') {
    const jwk = publicKey.export({ format: 'jwk' });
    return cat(tlv(TAG_MODULUS, b64url(jwk.n)), tlv(TAG_EXPONENT, b64url(jwk.e)));
  }
  if (publicKey.asymmetricKeyType === 'ec') return tlv(TAG_EC_POINT, ecPointOf(publicKey));
  // Ed25519 / X25519 (5.7): 86 holds the 32 raw public bytes (yubikit piv.py, from_public_bytes).
  const type = publicKey.asymmetricKeyType;
  if (type === 'ed25519' || type === 'x25519') return tlv(TAG_EC_POINT, b64url(publicKey.export({ format: 'jwk' }).x));
  throw new Error(`unsupported key type ${String(publicKey.asymmetricKeyType)}`);
}
