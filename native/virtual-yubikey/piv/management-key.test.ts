import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  apdu,
  authenticateMgmt,
  data,
  DEFAULT_MGMT_KEY,
  freshCard,
  hex,
  hostDecrypt,
  hostEncrypt,
  MGMT,
  reselectViaManagement,
  sw,
  type TestCard,
  toHex,
} from './test-support.ts';

const generalAuthenticate = (card: TestCard, alg: number, body: string | Uint8Array): Uint8Array =>
  card.transmit(apdu(0x00, 0x87, alg, 0x9b, typeof body === 'string' ? hex(body) : body));

const setKey = (card: TestCard, alg: number, key: Uint8Array, p2 = 0xff, p1 = 0xff): number =>
  sw(card.transmit(apdu(0x00, 0xff, p1, p2, Uint8Array.from([alg, 0x9b, key.length, ...key]))));

/** PUT DATA of a small object: succeeds only with the management key authenticated. */
const canWrite = (card: TestCard): boolean => sw(card.transmit(apdu(0x00, 0xdb, 0x3f, 0xff, hex('5c035fff0053028000')))) === 0x9000;

const template = (...items: [number, Uint8Array][]): Uint8Array => {
  const inner = items.flatMap(([tag, value]) => [tag, value.length, ...value]);
  return Uint8Array.from([0x7c, inner.length, ...inner]);
};

describe('GENERAL AUTHENTICATE 9B, mutual (witness 80, challenge 81)', () => {
  for (const [profile, alg] of [
    ['yk5.4.3', MGMT.TDES],
    ['yk4.3.7', MGMT.TDES],
    ['yk4.3.4', MGMT.TDES],
    ['yk5.7.1', MGMT.AES192],
  ] as const) {
    it(`accepts the factory key on ${profile} (algorithm ${alg.toString(16)}) and then allows PUT DATA`, () => {
      const card = freshCard(profile);
      expect(canWrite(card)).toBe(false);
      expect(authenticateMgmt(card, alg, DEFAULT_MGMT_KEY)).toBe(0x9000);
      expect(canWrite(card)).toBe(true);
    });
  }

  it('sends a one-block encrypted witness in 7C 80 (8 bytes 3DES, 16 AES)', () => {
    const tdes = data(generalAuthenticate(freshCard('yk5.4.3'), MGMT.TDES, '7c028000'));
    expect(toHex(tdes.subarray(0, 4))).toBe('7c0a8008');
    const aes = data(generalAuthenticate(freshCard('yk5.7.1'), MGMT.AES192, '7c028000'));
    expect(toHex(aes.subarray(0, 4))).toBe('7c128010');
  });

  it('answers 6A80 when P1 is not the key algorithm (3DES against the 5.7 AES-192 default, and back)', () => {
    expect(sw(generalAuthenticate(freshCard('yk5.7.1'), MGMT.TDES, '7c028000'))).toBe(0x6a80);
    expect(sw(generalAuthenticate(freshCard('yk5.4.3'), MGMT.AES192, '7c028000'))).toBe(0x6a80);
  });

  it('answers 6982 to a wrong key, and the witness is used up', () => {
    const card = freshCard();
    const step1 = data(generalAuthenticate(card, MGMT.TDES, '7c028000'));
    const wrong = hostDecrypt(MGMT.TDES, hex('11'.repeat(24)), step1.subarray(4));
    const right = hostDecrypt(MGMT.TDES, DEFAULT_MGMT_KEY, step1.subarray(4));
    const challenge = Uint8Array.from(randomBytes(8));
    expect(sw(generalAuthenticate(card, MGMT.TDES, template([0x80, wrong], [0x81, challenge])))).toBe(0x6982);
    expect(sw(generalAuthenticate(card, MGMT.TDES, template([0x80, right], [0x81, challenge])))).toBe(0x6982);
    expect(canWrite(card)).toBe(false);
    expect(authenticateMgmt(card, MGMT.TDES, hex('11'.repeat(24)))).toBe(0x6982);
  });

  it('answers 6982 to step 2 without step 1', () => {
    const body = template([0x80, new Uint8Array(8)], [0x81, new Uint8Array(8)]);
    expect(sw(generalAuthenticate(freshCard(), MGMT.TDES, body))).toBe(0x6982);
  });

  it('takes the trailing empty 82 the yesdk sends, and answers 6A80 to a challenge of the wrong length', () => {
    const card = freshCard();
    let step1 = data(generalAuthenticate(card, MGMT.TDES, '7c028000'));
    let witness = hostDecrypt(MGMT.TDES, DEFAULT_MGMT_KEY, step1.subarray(4));
    const challenge = Uint8Array.from(randomBytes(8));
    const step2 = generalAuthenticate(card, MGMT.TDES, template([0x80, witness], [0x81, challenge], [0x82, new Uint8Array(0)]));
    expect(sw(step2)).toBe(0x9000);
    expect(toHex(data(step2))).toBe('7c0a8208' + toHex(hostEncrypt(MGMT.TDES, DEFAULT_MGMT_KEY, challenge)));
    step1 = data(generalAuthenticate(card, MGMT.TDES, '7c028000'));
    expect(canWrite(card)).toBe(false);
    witness = hostDecrypt(MGMT.TDES, DEFAULT_MGMT_KEY, step1.subarray(4));
    expect(sw(generalAuthenticate(card, MGMT.TDES, template([0x80, witness], [0x81, new Uint8Array(7)])))).toBe(0x6a80);
  });

  it('answers 6A80 to a malformed template', () => {
    const card = freshCard();
    expect(sw(generalAuthenticate(card, MGMT.TDES, '7c00'))).toBe(0x6a80);
    expect(sw(generalAuthenticate(card, MGMT.TDES, '7d028000'))).toBe(0x6a80);
    expect(sw(generalAuthenticate(card, MGMT.TDES, '7c048000'))).toBe(0x6a80);
    expect(sw(generalAuthenticate(card, MGMT.TDES, '7c0480008100'))).toBe(0x6a80);
  });

  it('is kept on a re-SELECT of PIV and forgotten when another application is selected (SP 800-73-4 Part 2 §3.1.1)', () => {
    const card = freshCard();
    authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
    card.transmit(apdu(0x00, 0xa4, 0x04, 0x00, hex('a000000308')));
    expect(canWrite(card)).toBe(true);
    reselectViaManagement(card);
    expect(canWrite(card)).toBe(false);
  });
});

describe('GENERAL AUTHENTICATE 9B, one-way (challenge 81, response 82), as ykpiv_auth_getchallenge', () => {
  for (const [profile, alg, n] of [
    ['yk5.4.3', MGMT.TDES, 8],
    ['yk5.7.1', MGMT.AES192, 16],
  ] as const) {
    it(`authenticates with E_K(challenge) on ${profile}`, () => {
      const card = freshCard(profile);
      const step1 = generalAuthenticate(card, alg, '7c028100');
      expect(sw(step1)).toBe(0x9000);
      expect(toHex(data(step1).subarray(0, 4))).toBe(toHex(Uint8Array.of(0x7c, n + 2, 0x81, n)));
      const response = hostEncrypt(alg, DEFAULT_MGMT_KEY, data(step1).subarray(4));
      const step2 = generalAuthenticate(card, alg, template([0x82, response]));
      expect(sw(step2)).toBe(0x9000);
      expect(data(step2).length).toBe(0);
      expect(canWrite(card)).toBe(true);
    });
  }

  it('answers 6982 to a wrong response and does not take a second try', () => {
    const card = freshCard();
    const challenge = data(generalAuthenticate(card, MGMT.TDES, '7c028100')).subarray(4);
    const right = hostEncrypt(MGMT.TDES, DEFAULT_MGMT_KEY, challenge);
    expect(sw(generalAuthenticate(card, MGMT.TDES, template([0x82, new Uint8Array(8)])))).toBe(0x6982);
    expect(sw(generalAuthenticate(card, MGMT.TDES, template([0x82, right])))).toBe(0x6982);
    expect(canWrite(card)).toBe(false);
  });

  it('does not mix the forms: a mutual step 2 after a one-way step 1 is refused', () => {
    const card = freshCard();
    const challenge = data(generalAuthenticate(card, MGMT.TDES, '7c028100')).subarray(4);
    const body = template([0x80, hostEncrypt(MGMT.TDES, DEFAULT_MGMT_KEY, challenge)], [0x81, new Uint8Array(8)]);
    expect(sw(generalAuthenticate(card, MGMT.TDES, body))).toBe(0x6982);
  });
});

describe('SET MANAGEMENT KEY', () => {
  const newTdes = hex('00112233445566778899aabbccddeeff0011223344556677');

  it('needs the management key (6982) and leaves the key unchanged', () => {
    const card = freshCard();
    expect(setKey(card, MGMT.TDES, newTdes)).toBe(0x6982);
    expect(authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY)).toBe(0x9000);
  });

  it('replaces the key; the session stays authenticated; only the new key works afterwards', () => {
    const card = freshCard();
    authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
    expect(setKey(card, MGMT.TDES, newTdes)).toBe(0x9000);
    expect(canWrite(card)).toBe(true);
    expect(authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY)).toBe(0x6982);
    expect(authenticateMgmt(card, MGMT.TDES, newTdes)).toBe(0x9000);
    expect(card.state.managementKey).toEqual({ algorithm: MGMT.TDES, keyHex: toHex(newTdes), touchPolicy: 0x01 });
  });

  it('records touch always with P2 FE and touch cached with P2 FD (yesdk apdu/set-mgmt-key.md)', () => {
    const card = freshCard();
    authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
    expect(setKey(card, MGMT.TDES, newTdes, 0xfe)).toBe(0x9000);
    expect(card.state.managementKey.touchPolicy).toBe(0x02);
    expect(authenticateMgmt(card, MGMT.TDES, newTdes)).toBe(0x9000);
    expect(setKey(card, MGMT.TDES, DEFAULT_MGMT_KEY, 0xfd)).toBe(0x9000);
    expect(card.state.managementKey.touchPolicy).toBe(0x03);
    expect(authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY)).toBe(0x9000);
  });

  for (const [alg, length] of [
    [MGMT.AES128, 16],
    [MGMT.AES192, 24],
    [MGMT.AES256, 32],
  ] as const) {
    it(`switches to AES (${alg.toString(16)}, ${length} bytes) on 5.4.3; P1 must then name it`, () => {
      const card = freshCard('yk5.4.3');
      authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
      const key = Uint8Array.from(randomBytes(length));
      expect(setKey(card, alg, key)).toBe(0x9000);
      expect(sw(generalAuthenticate(card, MGMT.TDES, '7c028000'))).toBe(0x6a80);
      expect(authenticateMgmt(card, alg, key)).toBe(0x9000);
    });
  }

  it('goes back from AES-192 to 3DES on 5.7.1', () => {
    const card = freshCard('yk5.7.1');
    authenticateMgmt(card, MGMT.AES192, DEFAULT_MGMT_KEY);
    expect(setKey(card, MGMT.TDES, newTdes)).toBe(0x9000);
    expect(authenticateMgmt(card, MGMT.TDES, newTdes)).toBe(0x9000);
  });

  it('has no AES before firmware 5.4 (6A80 on yk4.3.7)', () => {
    const card = freshCard('yk4.3.7');
    authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
    expect(setKey(card, MGMT.AES128, new Uint8Array(16))).toBe(0x6a80);
    expect(setKey(card, MGMT.AES192, new Uint8Array(24))).toBe(0x6a80);
    expect(authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY)).toBe(0x9000);
  });

  it('answers 6A80 to a key of the wrong length, an unknown algorithm or a malformed body', () => {
    const card = freshCard();
    authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
    expect(setKey(card, MGMT.TDES, new Uint8Array(16))).toBe(0x6a80);
    expect(setKey(card, MGMT.AES128, new Uint8Array(24))).toBe(0x6a80);
    expect(setKey(card, 0x04, new Uint8Array(24))).toBe(0x6a80);
    expect(sw(card.transmit(apdu(0x00, 0xff, 0xff, 0xff, Uint8Array.from([0x03, 0x9a, 24, ...newTdes]))))).toBe(0x6a80);
    expect(sw(card.transmit(apdu(0x00, 0xff, 0xff, 0xff)))).toBe(0x6a80);
    expect(authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY)).toBe(0x9000);
  });

  it('answers 6B00 to P1 other than FF and to P2 other than FF/FE/FD', () => {
    const card = freshCard();
    authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
    expect(setKey(card, MGMT.TDES, newTdes, 0xff, 0x00)).toBe(0x6b00);
    expect(setKey(card, MGMT.TDES, newTdes, 0xfc)).toBe(0x6b00);
    expect(setKey(card, MGMT.TDES, newTdes, 0x00)).toBe(0x6b00);
    expect(card.state.managementKey.keyHex).toBe(toHex(DEFAULT_MGMT_KEY));
  });

  it("accepts a DES weak key: the weak-key check is yubico-piv-tool's, not the card's", () => {
    const card = freshCard();
    authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
    const weak = hex('fe'.repeat(24));
    expect(setKey(card, MGMT.TDES, weak)).toBe(0x9000);
    expect(authenticateMgmt(card, MGMT.TDES, weak)).toBe(0x9000);
  });
});
