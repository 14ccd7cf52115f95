import { describe, expect, it } from 'vitest';
import { createVirtualYubiKey } from '../index.ts';
import type { KeyRecord } from '../state.ts';
import {
  apdu,
  authenticateMgmt,
  data,
  DEFAULT_MGMT_KEY,
  freshCard as fresh,
  hex,
  MGMT,
  pinBytes,
  reselectViaManagement,
  select,
  sw,
  type TestCard as Card,
  toHex,
  verifyPin,
} from './test-support.ts';

const emptyVerify = (card: Card): number => sw(card.transmit(apdu(0x00, 0x20, 0x00, 0x80)));
const change = (card: Card, p2: number, old: string, next: string): number =>
  sw(card.transmit(apdu(0x00, 0x24, 0x00, p2, Uint8Array.from([...pinBytes(old), ...pinBytes(next)]))));
const unblock = (card: Card, puk: string, pin: string): number =>
  sw(card.transmit(apdu(0x00, 0x2c, 0x00, 0x80, Uint8Array.from([...pinBytes(puk), ...pinBytes(pin)]))));
const putData = (card: Card, id: string, content: string): number =>
  sw(card.transmit(apdu(0x00, 0xdb, 0x3f, 0xff, hex(`5c03${id}53${(content.length / 2).toString(16).padStart(2, '0')}${content}`))));

function blockPin(card: Card): void {
  while (verifyPin(card, '000000') !== 0x63c0);
}

function blockPuk(card: Card): void {
  while (unblock(card, '00000000', '000000') !== 0x63c0);
}

describe('VERIFY', () => {
  it('accepts the default PIN and then answers the empty status query with 9000', () => {
    const card = fresh();
    expect(emptyVerify(card)).toBe(0x63c3);
    expect(verifyPin(card, '123456')).toBe(0x9000);
    expect(emptyVerify(card)).toBe(0x9000);
  });

  it('counts wrong PINs down with 63Cx, 63C0 on the try that blocks, then 6983 even for the right PIN', () => {
    const card = fresh();
    expect(verifyPin(card, '654321')).toBe(0x63c2);
    expect(verifyPin(card, '654321')).toBe(0x63c1);
    expect(verifyPin(card, '654321')).toBe(0x63c0);
    expect(verifyPin(card, '123456')).toBe(0x6983);
    expect(emptyVerify(card)).toBe(0x6983);
  });

  it('takes the all-FF "empty PIN" yubikit sends while resetting as a wrong PIN', () => {
    const card = fresh();
    expect(sw(card.transmit(apdu(0x00, 0x20, 0x00, 0x80, hex('ffffffffffffffff'))))).toBe(0x63c2);
  });

  it('restores the tries to the maximum after a right PIN', () => {
    const card = fresh();
    verifyPin(card, '000000');
    verifyPin(card, '000000');
    expect(verifyPin(card, '123456')).toBe(0x9000);
    reselectViaManagement(card);
    expect(emptyVerify(card)).toBe(0x63c3);
  });

  it('voids an earlier verification when a wrong PIN follows', () => {
    const card = fresh();
    verifyPin(card, '123456');
    expect(verifyPin(card, '000000')).toBe(0x63c2);
    expect(emptyVerify(card)).toBe(0x63c2);
  });

  it('keeps the verification across a re-SELECT of PIV (SP 800-73-4 Part 2 §3.1.1: status "unchanged")', () => {
    const card = fresh();
    verifyPin(card, '123456');
    expect(sw(select(card))).toBe(0x9000);
    expect(emptyVerify(card)).toBe(0x9000);
    // A SELECT of an application the card lacks changes nothing either.
    expect(sw(card.transmit(apdu(0x00, 0xa4, 0x04, 0x00, hex('a0000001510000'))))).toBe(0x6a82);
    expect(emptyVerify(card)).toBe(0x9000);
  });

  it('forgets the verification when another application is selected (as ykpiv does before 5.4.3), on reset and on power-off', () => {
    const card = fresh();
    verifyPin(card, '123456');
    reselectViaManagement(card);
    expect(emptyVerify(card)).toBe(0x63c3);
    verifyPin(card, '123456');
    card.reset();
    select(card);
    expect(emptyVerify(card)).toBe(0x63c3);
    verifyPin(card, '123456');
    card.powerOff();
    card.powerOn();
    select(card);
    expect(emptyVerify(card)).toBe(0x63c3);
  });

  it('answers 6A80 to a PIN that is not 8 bytes, without costing a try', () => {
    const card = fresh();
    expect(sw(card.transmit(apdu(0x00, 0x20, 0x00, 0x80, hex('313233343536'))))).toBe(0x6a80);
    expect(emptyVerify(card)).toBe(0x63c3);
  });

  it('answers 6A88 for another key reference (PUK 81, Bio 96) or P1', () => {
    const card = fresh();
    expect(sw(card.transmit(apdu(0x00, 0x20, 0x00, 0x81, pinBytes('12345678'))))).toBe(0x6a88);
    expect(sw(card.transmit(apdu(0x00, 0x20, 0x00, 0x96)))).toBe(0x6a88);
    expect(sw(card.transmit(apdu(0x00, 0x20, 0x01, 0x80, pinBytes('123456'))))).toBe(0x6a88);
    expect(emptyVerify(card)).toBe(0x63c3);
  });

  it('resets the verification with P1=FF on 5.4.3 and later', () => {
    for (const profile of ['yk5.4.3', 'yk5.7.1'] as const) {
      const card = fresh(profile);
      verifyPin(card, '123456');
      expect(sw(card.transmit(apdu(0x00, 0x20, 0xff, 0x80)))).toBe(0x9000);
      expect(emptyVerify(card)).toBe(0x63c3);
      expect(sw(card.transmit(apdu(0x00, 0x20, 0xff, 0x80, pinBytes('123456'))))).toBe(0x6a80);
    }
  });

  it('knows no P1=FF before 5.4.3 (6A88) and keeps the PIN verified', () => {
    const card = fresh('yk4.3.7');
    verifyPin(card, '123456');
    expect(sw(card.transmit(apdu(0x00, 0x20, 0xff, 0x80)))).toBe(0x6a88);
    expect(emptyVerify(card)).toBe(0x9000);
  });
});

describe('CHANGE REFERENCE DATA', () => {
  it('changes the PIN; the old one then fails and the new one must be verified anew', () => {
    const card = fresh();
    verifyPin(card, '123456');
    expect(change(card, 0x80, '123456', '24681357')).toBe(0x9000);
    expect(emptyVerify(card)).toBe(0x63c3);
    expect(verifyPin(card, '123456')).toBe(0x63c2);
    expect(verifyPin(card, '24681357')).toBe(0x9000);
  });

  it('counts a wrong current PIN as VERIFY does and answers 6983 once blocked', () => {
    const card = fresh();
    expect(change(card, 0x80, '111111', '222222')).toBe(0x63c2);
    expect(emptyVerify(card)).toBe(0x63c2);
    blockPin(card);
    expect(change(card, 0x80, '123456', '222222')).toBe(0x6983);
  });

  it('refuses a new PIN or PUK under 6 characters with 6985, after accepting the current one', () => {
    const card = fresh();
    verifyPin(card, '000000');
    expect(change(card, 0x80, '123456', '12345')).toBe(0x6985);
    expect(emptyVerify(card)).toBe(0x63c3);
    expect(verifyPin(card, '123456')).toBe(0x9000);
    expect(change(card, 0x81, '12345678', '1234')).toBe(0x6985);
    expect(change(card, 0x81, '12345678', '87654321')).toBe(0x9000);
  });

  it('checks the current value before the new one (a wrong PIN with a short new PIN costs a try)', () => {
    const card = fresh();
    expect(change(card, 0x80, '', '')).toBe(0x63c2);
  });

  it('changes the PUK with its own counter', () => {
    const card = fresh();
    expect(change(card, 0x81, '00000000', '87654321')).toBe(0x63c2);
    expect(change(card, 0x81, '12345678', '87654321')).toBe(0x9000);
    expect(unblock(card, '12345678', '654321')).toBe(0x63c2);
    expect(unblock(card, '87654321', '654321')).toBe(0x9000);
    blockPuk(card);
    expect(change(card, 0x81, '87654321', '11112222')).toBe(0x6983);
  });

  it('answers 6A80 when the data are not 16 bytes and 6A88 for other P1/P2', () => {
    const card = fresh();
    expect(sw(card.transmit(apdu(0x00, 0x24, 0x00, 0x80, pinBytes('123456'))))).toBe(0x6a80);
    const both = Uint8Array.from([...pinBytes('123456'), ...pinBytes('654321')]);
    expect(sw(card.transmit(apdu(0x00, 0x24, 0x00, 0x82, both)))).toBe(0x6a88);
    expect(sw(card.transmit(apdu(0x00, 0x24, 0x01, 0x80, both)))).toBe(0x6a88);
    expect(emptyVerify(card)).toBe(0x63c3);
  });
});

describe('RESET RETRY COUNTER', () => {
  it('unblocks a blocked PIN with the PUK, sets the new PIN and all its tries', () => {
    const card = fresh();
    blockPin(card);
    expect(unblock(card, '12345678', '975318')).toBe(0x9000);
    expect(emptyVerify(card)).toBe(0x63c3);
    expect(verifyPin(card, '975318')).toBe(0x9000);
  });

  it('counts wrong PUKs down and answers 6983 once the PUK is blocked', () => {
    const card = fresh();
    expect(unblock(card, '00000000', '975318')).toBe(0x63c2);
    expect(unblock(card, '00000000', '975318')).toBe(0x63c1);
    expect(unblock(card, '00000000', '975318')).toBe(0x63c0);
    expect(unblock(card, '12345678', '975318')).toBe(0x6983);
    expect(verifyPin(card, '123456')).toBe(0x9000);
  });

  it('refuses a short new PIN (6985), wrong lengths (6A80) and other P1/P2 (6A88)', () => {
    const card = fresh();
    expect(unblock(card, '12345678', '123')).toBe(0x6985);
    expect(sw(card.transmit(apdu(0x00, 0x2c, 0x00, 0x80, pinBytes('12345678'))))).toBe(0x6a80);
    const both = Uint8Array.from([...pinBytes('12345678'), ...pinBytes('654321')]);
    expect(sw(card.transmit(apdu(0x00, 0x2c, 0x00, 0x81, both)))).toBe(0x6a88);
    expect(sw(card.transmit(apdu(0x00, 0x2c, 0x01, 0x80, both)))).toBe(0x6a88);
  });
});

describe('SET PIN RETRIES', () => {
  const setRetries = (card: Card, pin: number, puk: number): number => sw(card.transmit(apdu(0x00, 0xfa, pin, puk)));

  it('needs both the management key and the PIN (6982 otherwise)', () => {
    const card = fresh();
    expect(setRetries(card, 5, 4)).toBe(0x6982);
    verifyPin(card, '123456');
    expect(setRetries(card, 5, 4)).toBe(0x6982);
    reselectViaManagement(card);
    expect(authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY)).toBe(0x9000);
    expect(setRetries(card, 5, 4)).toBe(0x6982);
    verifyPin(card, '123456');
    expect(setRetries(card, 5, 4)).toBe(0x9000);
  });

  it('sets both counters and puts the PIN and PUK back to 123456 / 12345678', () => {
    const card = fresh();
    expect(change(card, 0x80, '123456', '11223344')).toBe(0x9000);
    expect(change(card, 0x81, '12345678', '55667788')).toBe(0x9000);
    authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
    verifyPin(card, '11223344');
    expect(setRetries(card, 9, 7)).toBe(0x9000);
    expect(emptyVerify(card)).toBe(0x63c9);
    expect(verifyPin(card, '000000')).toBe(0x63c8);
    expect(change(card, 0x81, '00000000', '12345678')).toBe(0x63c6);
    expect(verifyPin(card, '123456')).toBe(0x9000);
    expect(change(card, 0x81, '12345678', '87654321')).toBe(0x9000);
  });

  it('refuses 0 tries with 6B00', () => {
    const card = fresh();
    authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
    verifyPin(card, '123456');
    expect(setRetries(card, 0, 3)).toBe(0x6b00);
    expect(setRetries(card, 3, 0)).toBe(0x6b00);
  });
});

describe('RESET', () => {
  const reset = (card: Card): number => sw(card.transmit(apdu(0x00, 0xfb, 0x00, 0x00)));
  const record: KeyRecord = { algorithm: 0x11, pinPolicy: 2, touchPolicy: 1, origin: 'generated', privateKeyPkcs8: '00' };

  it('is refused with 6985 unless the PIN and the PUK are both blocked', () => {
    const card = fresh();
    expect(reset(card)).toBe(0x6985);
    blockPin(card);
    expect(reset(card)).toBe(0x6985);
    const other = fresh();
    blockPuk(other);
    expect(reset(other)).toBe(0x6985);
  });

  it('runs as ykman does it: all-FF VERIFY and RESET RETRY until blocked, then FB', () => {
    const card = fresh('yk4.3.7');
    while (sw(card.transmit(apdu(0x00, 0x20, 0x00, 0x80, hex('ff'.repeat(8))))) !== 0x63c0);
    while (sw(card.transmit(apdu(0x00, 0x2c, 0x00, 0x80, hex('ff'.repeat(16))))) !== 0x63c0);
    expect(reset(card)).toBe(0x9000);
    expect(verifyPin(card, '123456')).toBe(0x9000);
  });

  for (const [profile, alg] of [
    ['yk5.4.3', MGMT.TDES],
    ['yk5.7.1', MGMT.AES192],
    ['yk4.3.7', MGMT.TDES],
  ] as const) {
    it(`restores factory state on ${profile}, keeping the attestation key and certificate`, () => {
      const card = fresh(profile, (s) => {
        s.keys = { f9: { ...record }, '9a': { ...record } };
        s.objects = { '5fff01': 'aabb', '5fc105': 'ccdd' };
      });
      const state = card.state;
      const newKey = hex('00112233445566778899aabbccddeeff0011223344556677');
      authenticateMgmt(card, alg, DEFAULT_MGMT_KEY);
      expect(sw(card.transmit(apdu(0x00, 0xff, 0xff, 0xfe, Uint8Array.from([alg, 0x9b, 24, ...newKey]))))).toBe(0x9000);
      change(card, 0x80, '123456', '24681357');
      change(card, 0x81, '12345678', '86427531');
      blockPin(card);
      blockPuk(card);
      expect(reset(card)).toBe(0x9000);

      expect(state.pinHex).toBe('313233343536ffff');
      expect(state.pukHex).toBe('3132333435363738');
      expect([state.pinRetriesMax, state.pinRetriesLeft, state.pukRetriesMax, state.pukRetriesLeft]).toEqual([3, 3, 3, 3]);
      expect(state.managementKey).toEqual({ algorithm: alg, keyHex: toHex(DEFAULT_MGMT_KEY), touchPolicy: 0x01 });
      expect(Object.keys(state.keys)).toEqual(['f9']);
      expect(state.objects).toEqual({ '5fff01': 'aabb' });
      // The session is gone too: no management key authentication survives.
      expect(putData(card, '5fc102', '3000')).toBe(0x6982);
      expect(authenticateMgmt(card, alg, DEFAULT_MGMT_KEY)).toBe(0x9000);
      expect(verifyPin(card, '123456')).toBe(0x9000);
      expect(change(card, 0x81, '12345678', '87654321')).toBe(0x9000);
    });
  }

  it('persists every change of the PIN counters through onStateChange', () => {
    const seen: number[] = [];
    const card = createVirtualYubiKey({ state: fresh().state, onStateChange: (s) => seen.push(s.pinRetriesLeft) });
    select(card);
    verifyPin(card, '000000');
    verifyPin(card, '123456');
    expect(seen).toEqual([2, 3]);
    expect(data(card.transmit(apdu(0x00, 0x20, 0x00, 0x80))).length).toBe(0);
  });
});
