import { createHash, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cat, tlv } from '../tlv.ts';
import { ALG, authenticate, INS, pivCard, pkcs1v15Block, resultOf, send, useKey, verifyPin } from './key-test-support.ts';

const message = Buffer.from('imported keys sign too');
const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();

/** A JWK field, left-padded to `length` bytes as yubikit's int2bytes(value, length) does. */
function field(key: KeyObject, name: 'p' | 'q' | 'dp' | 'dq' | 'qi' | 'd', length: number): Uint8Array {
  const raw = Buffer.from(key.export({ format: 'jwk' })[name]!, 'base64url');
  const out = new Uint8Array(length);
  out.set(raw, length - raw.length);
  return out;
}

/** IMPORT KEY data for an RSA key, as yubikit put_key builds it. */
function rsaImport(key: KeyObject, bits: number): Uint8Array {
  const half = bits / 16;
  const names = ['p', 'q', 'dp', 'dq', 'qi'] as const;
  return cat(...names.map((name, i) => tlv(0x01 + i, field(key, name, half))));
}

describe('IMPORT KEY', () => {
  it('imports RSA 2048 from its CRT components; the card signs with it', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const card = pivCard();
    authenticate(card);
    expect(send(card, INS.IMPORT, ALG.RSA2048, 0x9a, rsaImport(privateKey, 2048)).sw).toBe(0x9000);
    expect(card.state.keys['9a']).toMatchObject({ algorithm: ALG.RSA2048, pinPolicy: 0x02, touchPolicy: 0x01, origin: 'imported' });
    verifyPin(card);
    const signature = resultOf(useKey(card, ALG.RSA2048, 0x9a, pkcs1v15Block(sha256(message), 256)));
    expect(verify('sha256', message, publicKey, signature)).toBe(true);
  });

  it.each([
    ['P-256', ALG.P256, 'prime256v1', 32, 'sha256'],
    ['P-384', ALG.P384, 'secp384r1', 48, 'sha384'],
  ] as const)('imports %s from its scalar, with policies', (_name, alg, namedCurve, size, hash) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    const card = pivCard();
    authenticate(card);
    const data = cat(tlv(0x06, field(privateKey, 'd', size)), tlv(0xaa, Uint8Array.of(0x01)), tlv(0xab, Uint8Array.of(0x02)));
    expect(send(card, INS.IMPORT, alg, 0x9c, data).sw).toBe(0x9000);
    expect(card.state.keys['9c']).toMatchObject({ algorithm: alg, pinPolicy: 0x01, touchPolicy: 0x02, origin: 'imported' });
    const digest = createHash(hash).update(message).digest();
    expect(verify(hash, message, publicKey, resultOf(useKey(card, alg, 0x9c, digest)))).toBe(true);
  });

  it('imports Ed25519 on 5.7 (tag 07, the 32-byte seed)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const card = pivCard('yk5.7.1');
    authenticate(card);
    expect(send(card, INS.IMPORT, ALG.ED25519, 0x9e, tlv(0x07, field(privateKey, 'd', 32))).sw).toBe(0x9000);
    expect(verify(null, message, publicKey, resultOf(useKey(card, ALG.ED25519, 0x9e, message)))).toBe(true);
  });

  it('imports into the attestation slot F9', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const card = pivCard();
    authenticate(card);
    expect(send(card, INS.IMPORT, ALG.P256, 0xf9, tlv(0x06, field(privateKey, 'd', 32))).sw).toBe(0x9000);
    expect(card.state.keys['f9']).toMatchObject({ algorithm: ALG.P256, pinPolicy: 0x01, origin: 'imported' });
  });

  it('needs the management key: 6982', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const card = pivCard();
    expect(send(card, INS.IMPORT, ALG.P256, 0x9a, tlv(0x06, field(privateKey, 'd', 32))).sw).toBe(0x6982);
    expect(card.state.keys['9a']).toBeUndefined();
  });

  it('answers 6B00 for a reference that cannot hold a key', () => {
    const card = pivCard();
    authenticate(card);
    expect(send(card, INS.IMPORT, ALG.P256, 0x9b, tlv(0x06, new Uint8Array(32).fill(1))).sw).toBe(0x6b00);
  });

  it('answers 6A80 for bad components', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const good = rsaImport(rsa, 1024);
    const card = pivCard();
    authenticate(card);
    const importAs = (alg: number, data: Uint8Array): number => send(card, INS.IMPORT, alg, 0x9d, data).sw;
    // Components of a 1024-bit key sent as RSA 2048; a missing component; a mixed-up dQ.
    expect(importAs(ALG.RSA2048, good)).toBe(0x6a80);
    expect(importAs(ALG.RSA1024, good.slice(0, good.length - 66))).toBe(0x6a80);
    expect(importAs(ALG.RSA1024, cat(good.slice(0, 3 * 66), tlv(0x04, field(other, 'dq', 64)), good.slice(4 * 66)))).toBe(0x6a80);
    // EC scalar of the wrong length, zero, or at least the group order.
    expect(importAs(ALG.P256, tlv(0x06, new Uint8Array(31).fill(1)))).toBe(0x6a80);
    expect(importAs(ALG.P256, tlv(0x06, new Uint8Array(32)))).toBe(0x6a80);
    expect(importAs(ALG.P256, tlv(0x06, new Uint8Array(32).fill(0xff)))).toBe(0x6a80);
    // Unknown tag, bad policy, unknown algorithm, 5.7 algorithm on 5.4.
    expect(importAs(ALG.P256, cat(tlv(0x06, new Uint8Array(32).fill(1)), tlv(0x09, Uint8Array.of(0))))).toBe(0x6a80);
    expect(importAs(ALG.P256, cat(tlv(0x06, new Uint8Array(32).fill(1)), tlv(0xaa, Uint8Array.of(0x04))))).toBe(0x6a80);
    expect(importAs(0x99, tlv(0x06, new Uint8Array(32).fill(1)))).toBe(0x6a80);
    expect(importAs(ALG.ED25519, tlv(0x07, new Uint8Array(32).fill(1)))).toBe(0x6a80);
    expect(card.state.keys['9d']).toBeUndefined();
    expect(importAs(ALG.RSA1024, good)).toBe(0x9000);
  });
});
