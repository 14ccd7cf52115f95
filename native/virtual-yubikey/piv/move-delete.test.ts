import { createHash, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reselectViaManagement } from './test-support.ts';
import { ALG, authenticate, generate, INS, pivCard, resultOf, send, useKey, verifyPin } from './key-test-support.ts';

const digest = createHash('sha256').update('moved keys still sign').digest();

describe('MOVE KEY / DELETE KEY', () => {
  it('moves a key on 5.7: the destination signs with it, the source is empty', () => {
    const card = pivCard('yk5.7.1');
    const publicKey = generate(card, 0x9a, ALG.P256, 0x02, 0x03);
    const record = card.state.keys['9a'];
    expect(send(card, INS.MOVE, 0x82, 0x9a).sw).toBe(0x9000);
    expect(card.state.keys['9a']).toBeUndefined();
    expect(card.state.keys['82']).toEqual(record);
    verifyPin(card);
    expect(verify('sha256', Buffer.from('moved keys still sign'), publicKey, resultOf(useKey(card, ALG.P256, 0x82, digest)))).toBe(true);
    expect(useKey(card, ALG.P256, 0x9a, digest).sw).toBe(0x6a88);
  });

  it('deletes a key on 5.7, the attestation key included', () => {
    const card = pivCard('yk5.7.1');
    generate(card, 0x9d, ALG.P256);
    expect(send(card, INS.MOVE, 0xff, 0x9d).sw).toBe(0x9000);
    expect(card.state.keys['9d']).toBeUndefined();
    expect(send(card, INS.MOVE, 0xff, 0xf9).sw).toBe(0x9000);
    expect(card.state.keys['f9']).toBeUndefined();
  });

  it('answers 6A88 for an empty source or an empty slot to delete', () => {
    const card = pivCard('yk5.7.1');
    authenticate(card);
    expect(send(card, INS.MOVE, 0x82, 0x9a).sw).toBe(0x6a88);
    expect(send(card, INS.MOVE, 0xff, 0x9a).sw).toBe(0x6a88);
  });

  it('answers 6A80 when the destination holds a key (also when it is the source)', () => {
    const card = pivCard('yk5.7.1');
    generate(card, 0x9a, ALG.P256);
    generate(card, 0x9c, ALG.P256);
    const before = { ...card.state.keys };
    expect(send(card, INS.MOVE, 0x9c, 0x9a).sw).toBe(0x6a80);
    expect(send(card, INS.MOVE, 0x9a, 0x9a).sw).toBe(0x6a80);
    expect(card.state.keys).toEqual(before);
  });

  it('answers 6B00 for F9 in a move and for references that hold no key', () => {
    const card = pivCard('yk5.7.1');
    generate(card, 0x9a, ALG.P256);
    expect(send(card, INS.MOVE, 0xf9, 0x9a).sw).toBe(0x6b00);
    expect(send(card, INS.MOVE, 0x9a, 0xf9).sw).toBe(0x6b00);
    expect(send(card, INS.MOVE, 0x9b, 0x9a).sw).toBe(0x6b00);
    expect(send(card, INS.MOVE, 0xff, 0x80).sw).toBe(0x6b00);
  });

  it('needs the management key: 6982', () => {
    const card = pivCard('yk5.7.1');
    generate(card, 0x9a, ALG.P256);
    reselectViaManagement(card);
    expect(send(card, INS.MOVE, 0x82, 0x9a).sw).toBe(0x6982);
    expect(send(card, INS.MOVE, 0xff, 0x9a).sw).toBe(0x6982);
    expect(card.state.keys['9a']).toBeDefined();
  });

  it.each(['yk5.4.3', 'yk4.3.7'] as const)('does not exist before 5.7: 6D00 on %s', (profile) => {
    const card = pivCard(profile);
    generate(card, 0x9a, ALG.P256);
    expect(send(card, INS.MOVE, 0x82, 0x9a).sw).toBe(0x6d00);
    expect(send(card, INS.MOVE, 0xff, 0x9a).sw).toBe(0x6d00);
    expect(card.state.keys['9a']).toBeDefined();
  });
});
