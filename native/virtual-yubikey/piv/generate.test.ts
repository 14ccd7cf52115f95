import { createHash, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVirtualYubiKey } from '../index.ts';
import { tlv } from '../tlv.ts';
import { reselectViaManagement } from './test-support.ts';
import {
  ALG,
  authenticate,
  generate,
  generateTemplate,
  INS,
  pivCard,
  pkcs1v15Block,
  publicKeyOf,
  resultOf,
  selectPiv,
  send,
  useKey,
  verifyPin,
} from './key-test-support.ts';

const message = Buffer.from('sign me');
const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();

describe('GENERATE ASYMMETRIC KEY PAIR', () => {
  it.each([
    ['RSA 1024', ALG.RSA1024, 128],
    ['RSA 2048', ALG.RSA2048, 256],
  ])('generates %s whose public key verifies what the card signs', (_name, alg, size) => {
    const card = pivCard();
    const publicKey = generate(card, 0x9a, alg);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(size * 8);
    expect(publicKey.asymmetricKeyDetails?.publicExponent).toBe(65537n);
    verifyPin(card);
    const signature = resultOf(useKey(card, alg, 0x9a, pkcs1v15Block(sha256(message), size)));
    expect(verify('sha256', message, publicKey, signature)).toBe(true);
  });

  it.each([
    ['P-256', ALG.P256, 'sha256', 65],
    ['P-384', ALG.P384, 'sha384', 97],
  ])('generates %s and answers 86 with the uncompressed point', (_name, alg, hash, pointLength) => {
    const card = pivCard();
    authenticate(card);
    const reply = send(card, INS.GENERATE, 0x00, 0x9a, generateTemplate(alg));
    expect(reply.sw).toBe(0x9000);
    // 7F49 L 86 L 04 X Y
    expect([...reply.data.slice(0, 2)]).toEqual([0x7f, 0x49]);
    expect([...reply.data.slice(3, 6)]).toEqual([0x86, pointLength, 0x04]);
    const publicKey = publicKeyOf(alg, reply.data);
    verifyPin(card);
    const digest = createHash(hash).update(message).digest();
    const signature = resultOf(useKey(card, alg, 0x9a, digest));
    expect(verify(hash, message, publicKey, signature)).toBe(true);
  });

  it('generates RSA 3072 and 4096 on 5.7', () => {
    const card = pivCard('yk5.7.1');
    for (const [alg, bits] of [
      [ALG.RSA3072, 3072],
      [ALG.RSA4096, 4096],
    ] as const) {
      const publicKey = generate(card, 0x9e, alg);
      expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(bits);
      // 9E: PIN policy never by default.
      const signature = resultOf(useKey(card, alg, 0x9e, pkcs1v15Block(sha256(message), bits / 8)));
      expect(verify('sha256', message, publicKey, signature)).toBe(true);
    }
    // RSA 4096 generation alone takes seconds on a busy 2-core machine (random prime search).
  }, 60_000);

  it('generates Ed25519 on 5.7: 86 holds 32 raw bytes and the card signs the message itself', () => {
    const card = pivCard('yk5.7.1');
    authenticate(card);
    const reply = send(card, INS.GENERATE, 0x00, 0x9e, generateTemplate(ALG.ED25519));
    expect([...reply.data.slice(3, 5)]).toEqual([0x86, 32]);
    const publicKey = publicKeyOf(ALG.ED25519, reply.data);
    const signature = resultOf(useKey(card, ALG.ED25519, 0x9e, message));
    expect(verify(null, message, publicKey, signature)).toBe(true);
  });

  it.each([
    ['RSA 3072', ALG.RSA3072],
    ['RSA 4096', ALG.RSA4096],
    ['Ed25519', ALG.ED25519],
    ['X25519', ALG.X25519],
    ['an unknown algorithm', 0x99],
  ])('answers 6A80 for %s on 5.4.3', (_name, alg) => {
    const card = pivCard('yk5.4.3');
    authenticate(card);
    expect(send(card, INS.GENERATE, 0x00, 0x9a, generateTemplate(alg)).sw).toBe(0x6a80);
    expect(card.state.keys['9a']).toBeUndefined();
  });

  it('still generates RSA on a ROCA-range 4.3.4 (the host tools refuse, not the card)', () => {
    const card = pivCard('yk4.3.4');
    const publicKey = generate(card, 0x9a, ALG.RSA2048);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('needs the management key: 6982', () => {
    const card = pivCard();
    expect(send(card, INS.GENERATE, 0x00, 0x9a, generateTemplate(ALG.P256)).sw).toBe(0x6982);
    // Selecting another application drops the authentication (SP 800-73-4 Part 2 §3.1.1).
    authenticate(card);
    reselectViaManagement(card);
    expect(send(card, INS.GENERATE, 0x00, 0x9a, generateTemplate(ALG.P256)).sw).toBe(0x6982);
  });

  it.each(['9b', '80', '81', '96', '00', '9f'])('answers 6B00 for key reference %s', (ref) => {
    const slot = parseInt(ref, 16);
    const card = pivCard();
    authenticate(card);
    expect(send(card, INS.GENERATE, 0x00, slot, generateTemplate(ALG.P256)).sw).toBe(0x6b00);
  });

  it('answers 6A80 for a malformed template, a missing algorithm or bad policies', () => {
    const card = pivCard();
    authenticate(card);
    const bad = [
      tlv(0xab, tlv(0x80, Uint8Array.of(ALG.P256))),
      tlv(0xac, new Uint8Array(0)),
      tlv(0xac, tlv(0x80, Uint8Array.of(ALG.P256, 0x00))),
      generateTemplate(ALG.P256, 0x05),
      generateTemplate(ALG.P256, undefined, 0x04),
      Uint8Array.of(0xac, 0x05, 0x80, 0x01),
    ];
    for (const data of bad) expect(send(card, INS.GENERATE, 0x00, 0x9a, data).sw).toBe(0x6a80);
  });

  it('stores the resolved default policies per slot', () => {
    const card = pivCard();
    const expected: Record<string, number> = { '9a': 0x02, '9c': 0x03, '9d': 0x02, '9e': 0x01, '82': 0x02, '95': 0x02 };
    for (const slot of Object.keys(expected)) generate(card, parseInt(slot, 16), ALG.P256);
    for (const [slot, pinPolicy] of Object.entries(expected)) {
      expect(card.state.keys[slot]).toMatchObject({ algorithm: ALG.P256, pinPolicy, touchPolicy: 0x01, origin: 'generated' });
    }
  });

  it('stores explicit policies and replaces the key already in the slot', () => {
    const card = pivCard();
    const first = generate(card, 0x9a, ALG.P256);
    const second = generate(card, 0x9a, ALG.P384, 0x01, 0x03);
    expect(second.equals(first)).toBe(false);
    expect(card.state.keys['9a']).toMatchObject({ algorithm: ALG.P384, pinPolicy: 0x01, touchPolicy: 0x03 });
  });

  it('persists the new key at once', () => {
    const saved: string[] = [];
    const card = createVirtualYubiKey({ onStateChange: (s) => saved.push(JSON.stringify(s.keys['9d'] ?? null)) });
    selectPiv(card);
    generate(card, 0x9d, ALG.P256);
    expect(JSON.parse(saved.at(-1)!)).toMatchObject({ algorithm: ALG.P256, origin: 'generated' });
  });

  it('does not touch the slot when the command fails', () => {
    const card = pivCard();
    generate(card, 0x9a, ALG.P256);
    const before = card.state.keys['9a'];
    expect(send(card, INS.GENERATE, 0x00, 0x9a, generateTemplate(ALG.P256, 0x07)).sw).toBe(0x6a80);
    expect(card.state.keys['9a']).toBe(before);
  });
});
