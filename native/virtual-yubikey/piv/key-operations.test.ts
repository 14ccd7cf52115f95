import { constants, createHash, diffieHellman, generateKeyPairSync, publicEncrypt, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cat, tlv } from '../tlv.ts';
import { ecPointOf } from './public-key.ts';
import { ALG, generate, INS, pivCard, pkcs1v15Block, resultOf, selectPiv, send, useKey, verifyPin } from './key-test-support.ts';
import { reselectViaManagement } from './test-support.ts';

const message = Buffer.from('the quick brown fox');
const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();

describe('GENERAL AUTHENTICATE with a slot key', () => {
  it('decrypts RSA: the raw block comes back, the host strips the padding', () => {
    const card = pivCard();
    const publicKey = generate(card, 0x9d, ALG.RSA2048);
    const secret = Buffer.from('session key material');
    const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, secret);
    verifyPin(card);
    const block = resultOf(useKey(card, ALG.RSA2048, 0x9d, ciphertext));
    expect(block.length).toBe(256);
    // EME-PKCS1-v1_5: 00 02 PS 00 M (RFC 8017 §7.2.1).
    expect([...block.slice(0, 2)]).toEqual([0x00, 0x02]);
    expect(Buffer.from(block.slice(block.length - secret.length)).equals(secret)).toBe(true);
  });

  it('signs a short digest on P-256 as a big-endian integer (yubikit sends SHA-1 unpadded)', () => {
    const card = pivCard();
    const publicKey = generate(card, 0x9e, ALG.P256);
    const digest = createHash('sha1').update(message).digest();
    const signature = resultOf(useKey(card, ALG.P256, 0x9e, digest));
    expect(verify('sha1', message, publicKey, signature)).toBe(true);
  });

  it.each([
    ['P-256', ALG.P256, 'prime256v1'],
    ['P-384', ALG.P384, 'secp384r1'],
  ] as const)('agrees an ECDH secret on %s that matches the peer side', (_name, alg, namedCurve) => {
    const card = pivCard();
    const cardPublic = generate(card, 0x9d, alg);
    const peer = generateKeyPairSync('ec', { namedCurve });
    verifyPin(card);
    const secret = resultOf(useKey(card, alg, 0x9d, ecPointOf(peer.publicKey), 0x85));
    const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: cardPublic });
    expect(Buffer.from(secret).equals(expected)).toBe(true);
  });

  it('agrees an X25519 secret on 5.7', () => {
    const card = pivCard('yk5.7.1');
    const cardPublic = generate(card, 0x9e, ALG.X25519);
    const peer = generateKeyPairSync('x25519');
    const peerRaw = Buffer.from(peer.publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const secret = resultOf(useKey(card, ALG.X25519, 0x9e, peerRaw, 0x85));
    expect(Buffer.from(secret).equals(diffieHellman({ privateKey: peer.privateKey, publicKey: cardPublic }))).toBe(true);
    // X25519 cannot sign.
    expect(useKey(card, ALG.X25519, 0x9e, sha256(message)).sw).toBe(0x6a80);
  });

  it('answers 6A88 for an empty slot', () => {
    const card = pivCard();
    verifyPin(card);
    expect(useKey(card, ALG.P256, 0x9a, sha256(message)).sw).toBe(0x6a88);
  });

  it('answers 6A80 when P1 is not the key algorithm', () => {
    const card = pivCard();
    generate(card, 0x9e, ALG.P256);
    expect(useKey(card, ALG.P384, 0x9e, sha256(message)).sw).toBe(0x6a80);
    expect(useKey(card, ALG.RSA2048, 0x9e, sha256(message)).sw).toBe(0x6a80);
  });

  it('answers 6B00 for the attestation slot and non-key references', () => {
    const card = pivCard();
    verifyPin(card);
    for (const slot of [0xf9, 0x80, 0x96, 0x01]) expect(useKey(card, ALG.RSA2048, slot, new Uint8Array(256)).sw).toBe(0x6b00);
  });

  it('answers 6A80 for data of the wrong length or form', () => {
    const card = pivCard();
    generate(card, 0x9e, ALG.RSA1024);
    generate(card, 0x82, ALG.P256);
    // RSA wants exactly the modulus length, and a value below the modulus.
    expect(useKey(card, ALG.RSA1024, 0x9e, new Uint8Array(127)).sw).toBe(0x6a80);
    expect(useKey(card, ALG.RSA1024, 0x9e, new Uint8Array(129)).sw).toBe(0x6a80);
    expect(useKey(card, ALG.RSA1024, 0x9e, new Uint8Array(128).fill(0xff)).sw).toBe(0x6a80);
    // ECDH on an RSA key.
    expect(useKey(card, ALG.RSA1024, 0x9e, new Uint8Array(128), 0x85).sw).toBe(0x6a80);
    verifyPin(card);
    // ECDSA input longer than the field, or empty.
    expect(useKey(card, ALG.P256, 0x82, new Uint8Array(33)).sw).toBe(0x6a80);
    expect(useKey(card, ALG.P256, 0x82, new Uint8Array(0)).sw).toBe(0x6a80);
    // A peer point that is not on the curve, or not uncompressed.
    const offCurve = cat(Uint8Array.of(0x04), new Uint8Array(64).fill(1));
    expect(useKey(card, ALG.P256, 0x82, offCurve, 0x85).sw).toBe(0x6a80);
    expect(useKey(card, ALG.P256, 0x82, new Uint8Array(33).fill(2), 0x85).sw).toBe(0x6a80);
    // 82 missing, 82 not empty, not a 7C template, both 81 and 85.
    const sign = (data: Uint8Array): number => send(card, INS.AUTHENTICATE, ALG.P256, 0x82, data).sw;
    expect(sign(tlv(0x7c, tlv(0x81, sha256(message))))).toBe(0x6a80);
    expect(sign(tlv(0x7c, cat(tlv(0x82, Uint8Array.of(1)), tlv(0x81, sha256(message)))))).toBe(0x6a80);
    expect(sign(tlv(0x7d, cat(tlv(0x82, new Uint8Array(0)), tlv(0x81, sha256(message)))))).toBe(0x6a80);
    expect(sign(tlv(0x7c, cat(tlv(0x82, new Uint8Array(0)), tlv(0x81, sha256(message)), tlv(0x85, offCurve))))).toBe(0x6a80);
  });

  it('PIN policy once: 6982 until VERIFY, then every use in the session (re-SELECT of PIV too), until another application is selected', () => {
    const card = pivCard();
    const publicKey = generate(card, 0x9a, ALG.P256);
    const digest = sha256(message);
    expect(useKey(card, ALG.P256, 0x9a, digest).sw).toBe(0x6982);
    expect(verifyPin(card)).toBe(0x9000);
    for (let i = 0; i < 3; i++) {
      expect(verify('sha256', message, publicKey, resultOf(useKey(card, ALG.P256, 0x9a, digest)))).toBe(true);
    }
    selectPiv(card);
    expect(useKey(card, ALG.P256, 0x9a, digest).sw).toBe(0x9000);
    reselectViaManagement(card);
    expect(useKey(card, ALG.P256, 0x9a, digest).sw).toBe(0x6982);
  });

  it('PIN policy always: the VERIFY must come right before each use', () => {
    const card = pivCard();
    generate(card, 0x9c, ALG.P256);
    const digest = sha256(message);
    expect(verifyPin(card)).toBe(0x9000);
    expect(useKey(card, ALG.P256, 0x9c, digest).sw).toBe(0x9000);
    expect(useKey(card, ALG.P256, 0x9c, digest).sw).toBe(0x6982);
    verifyPin(card);
    expect(useKey(card, ALG.P256, 0x9c, digest).sw).toBe(0x9000);
  });

  it('PIN policy never: usable without any VERIFY', () => {
    const card = pivCard();
    generate(card, 0x9a, ALG.P256, 0x01);
    expect(useKey(card, ALG.P256, 0x9a, sha256(message)).sw).toBe(0x9000);
  });

  it('a wrong PIN does not open a key', () => {
    const card = pivCard();
    generate(card, 0x9a, ALG.P256);
    expect(verifyPin(card, '654321')).toBe(0x63c2);
    expect(useKey(card, ALG.P256, 0x9a, sha256(message)).sw).toBe(0x6982);
  });

  it('grants touch at once for touch policy always and cached', () => {
    const card = pivCard();
    generate(card, 0x9a, ALG.P256, 0x01, 0x02);
    generate(card, 0x9d, ALG.P256, 0x01, 0x03);
    expect(useKey(card, ALG.P256, 0x9a, sha256(message)).sw).toBe(0x9000);
    expect(useKey(card, ALG.P256, 0x9d, sha256(message)).sw).toBe(0x9000);
  });

  it('signs RSA 2048 through the short-APDU path with command and response chaining', () => {
    const card = pivCard();
    const publicKey = generate(card, 0x9e, ALG.RSA2048);
    const data = tlv(0x7c, cat(tlv(0x82, new Uint8Array(0)), tlv(0x81, pkcs1v15Block(sha256(message), 256))));
    // ykpiv style: 255-byte blocks with CLA 10, then GET RESPONSE while 61xx.
    const first = card.transmit(cat(Uint8Array.of(0x10, 0x87, ALG.RSA2048, 0x9e, 255), data.slice(0, 255)));
    expect([...first]).toEqual([0x90, 0x00]);
    const rest = data.slice(255);
    let out = card.transmit(cat(Uint8Array.of(0x00, 0x87, ALG.RSA2048, 0x9e, rest.length), rest, Uint8Array.of(0x00)));
    let response: Uint8Array = out.slice(0, -2);
    while (out[out.length - 2] === 0x61) {
      out = card.transmit(Uint8Array.of(0x00, 0xc0, 0x00, 0x00, out[out.length - 1]!));
      response = cat(response, out.slice(0, -2));
    }
    expect([...out.slice(-2)]).toEqual([0x90, 0x00]);
    const signature = resultOf({ sw: 0x9000, data: response });
    expect(verify('sha256', message, publicKey, signature)).toBe(true);
  });
});
