import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../state.ts';
import { apdu, authenticateMgmt, data, DEFAULT_MGMT_KEY, freshCard, MGMT, pinBytes, sw, type TestCard, toHex, transmitAll, verifyPin } from './test-support.ts';

const metadata = (card: TestCard, slot: number, p1 = 0x00): Uint8Array => transmitAll(card, apdu(0x00, 0xf7, p1, slot, undefined, { le: 0 }));

/** The metadata TLVs as tag -> value hex (one-byte tags, BER lengths up to 82 xx xx). */
function tags(resp: Uint8Array): Record<string, string> {
  const body = data(resp);
  const out: Record<string, string> = {};
  let at = 0;
  while (at < body.length) {
    const tag = body[at++]!;
    let len = body[at++]!;
    if (len > 0x80) {
      const count = len & 0x7f;
      len = 0;
      for (let i = 0; i < count; i++) len = len * 256 + body[at++]!;
    }
    out[tag.toString(16).padStart(2, '0')] = toHex(body.subarray(at, at + len));
    at += len;
  }
  return out;
}

function ecRecord(): { record: KeyRecord; point: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = '04' + Buffer.from(jwk.x!, 'base64url').toString('hex') + Buffer.from(jwk.y!, 'base64url').toString('hex');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('hex');
  return { record: { algorithm: 0x11, pinPolicy: 0x02, touchPolicy: 0x01, origin: 'generated', privateKeyPkcs8: pkcs8 }, point };
}

describe('GET VERSION', () => {
  for (const [profile, version] of [
    ['yk5.4.3', '050403'],
    ['yk5.7.1', '050701'],
    ['yk4.3.7', '040307'],
    ['yk4.3.4', '040304'],
  ] as const) {
    it(`answers ${version} on ${profile}`, () => {
      expect(toHex(freshCard(profile).transmit(apdu(0x00, 0xfd, 0x00, 0x00)))).toBe(version + '9000');
    });
  }
});

describe('GET SERIAL', () => {
  it('answers the serial as 4 bytes big-endian on a YubiKey 5', () => {
    for (const profile of ['yk5.4.3', 'yk5.7.1'] as const) {
      const card = freshCard(profile, (s) => {
        s.serial = 11409355;
      });
      expect(toHex(card.transmit(apdu(0x00, 0xf8, 0x00, 0x00)))).toBe('00ae17cb9000');
    }
  });

  it('does not exist on a YubiKey 4 (6D00)', () => {
    expect(sw(freshCard('yk4.3.7').transmit(apdu(0x00, 0xf8, 0x00, 0x00)))).toBe(0x6d00);
  });
});

describe('GET METADATA', () => {
  it('does not exist before firmware 5.3 (6D00)', () => {
    for (const profile of ['yk4.3.7', 'yk4.3.4'] as const) {
      expect(sw(metadata(freshCard(profile), 0x80))).toBe(0x6d00);
    }
  });

  it('describes the factory PIN and PUK: FF, default, 3 of 3 tries', () => {
    const card = freshCard();
    expect(toHex(metadata(card, 0x80))).toBe('0101ff0501010602030390' + '00');
    expect(toHex(metadata(card, 0x81))).toBe('0101ff0501010602030390' + '00');
  });

  it('follows the PIN and PUK: tries left, and not default once changed', () => {
    const card = freshCard();
    verifyPin(card, '000000');
    expect(tags(metadata(card, 0x80))['06']).toBe('0302');
    const change = (p2: number, old: string, next: string): number =>
      sw(card.transmit(apdu(0x00, 0x24, 0x00, p2, Uint8Array.from([...pinBytes(old), ...pinBytes(next)]))));
    expect(change(0x80, '123456', '24681357')).toBe(0x9000);
    expect(tags(metadata(card, 0x80))).toEqual({ '01': 'ff', '05': '00', '06': '0303' });
    expect(change(0x81, '00000000', '87654321')).toBe(0x63c2);
    expect(change(0x81, '12345678', '87654321')).toBe(0x9000);
    expect(tags(metadata(card, 0x81))).toEqual({ '01': 'ff', '05': '00', '06': '0303' });
  });

  it('describes the factory management key: 3DES on 5.4.3, AES-192 on 5.7.1, no touch, default', () => {
    expect(toHex(metadata(freshCard('yk5.4.3'), 0x9b))).toBe('010103020200010501019000');
    expect(toHex(metadata(freshCard('yk5.7.1'), 0x9b))).toBe('01010a020200010501019000');
  });

  it('follows SET MANAGEMENT KEY: algorithm, touch, and "default" only for the factory key bytes', () => {
    const card = freshCard('yk5.4.3');
    authenticateMgmt(card, MGMT.TDES, DEFAULT_MGMT_KEY);
    const set = (alg: number, key: Uint8Array, p2: number): number =>
      sw(card.transmit(apdu(0x00, 0xff, 0xff, p2, Uint8Array.from([alg, 0x9b, key.length, ...key]))));
    expect(set(MGMT.AES256, new Uint8Array(32).fill(7), 0xfe)).toBe(0x9000);
    expect(tags(metadata(card, 0x9b))).toEqual({ '01': '0c', '02': '0002', '05': '00' });
    expect(set(MGMT.TDES, DEFAULT_MGMT_KEY, 0xfd)).toBe(0x9000);
    expect(tags(metadata(card, 0x9b))).toEqual({ '01': '03', '02': '0003', '05': '01' });
    expect(set(MGMT.TDES, DEFAULT_MGMT_KEY, 0xff)).toBe(0x9000);
    expect(tags(metadata(card, 0x9b))).toEqual({ '01': '03', '02': '0001', '05': '01' });
  });

  it('reports "default" only for the profile\'s factory algorithm with the factory bytes', () => {
    const set = (card: TestCard, alg: number, key: Uint8Array): number =>
      sw(card.transmit(apdu(0x00, 0xff, 0xff, 0xff, Uint8Array.from([alg, 0x9b, key.length, ...key]))));
    // 5.4.3: the factory key is 3DES; AES-192 holding the same 24 bytes is another key.
    const yk543 = freshCard('yk5.4.3');
    authenticateMgmt(yk543, MGMT.TDES, DEFAULT_MGMT_KEY);
    expect(set(yk543, MGMT.AES192, DEFAULT_MGMT_KEY)).toBe(0x9000);
    expect(tags(metadata(yk543, 0x9b))).toEqual({ '01': '0a', '02': '0001', '05': '00' });
    // 5.7.1: the factory key is AES-192 with those bytes; 3DES with them is not default.
    const yk571 = freshCard('yk5.7.1');
    expect(tags(metadata(yk571, 0x9b))).toEqual({ '01': '0a', '02': '0001', '05': '01' });
    authenticateMgmt(yk571, MGMT.AES192, DEFAULT_MGMT_KEY);
    expect(set(yk571, MGMT.TDES, DEFAULT_MGMT_KEY)).toBe(0x9000);
    expect(tags(metadata(yk571, 0x9b))).toEqual({ '01': '03', '02': '0001', '05': '00' });
    expect(set(yk571, MGMT.AES192, DEFAULT_MGMT_KEY)).toBe(0x9000);
    expect(tags(metadata(yk571, 0x9b))).toEqual({ '01': '0a', '02': '0001', '05': '01' });
  });

  it('describes a key slot: algorithm, PIN and touch policy, origin, public key', () => {
    const ec = ecRecord();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaJwk = createPublicKey(privateKey).export({ format: 'jwk' });
    const rsa: KeyRecord = {
      algorithm: 0x07,
      pinPolicy: 0x03,
      touchPolicy: 0x02,
      origin: 'imported',
      privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('hex'),
    };
    const card = freshCard('yk5.4.3', (s) => {
      s.keys['9a'] = ec.record;
      s.keys['9c'] = rsa;
    });
    expect(tags(metadata(card, 0x9a))).toEqual({ '01': '11', '02': '0201', '03': '01', '04': '8641' + ec.point });
    const rsaTags = tags(metadata(card, 0x9c));
    const modulus = Buffer.from(rsaJwk.n!, 'base64url').toString('hex');
    expect(rsaTags['01']).toBe('07');
    expect(rsaTags['02']).toBe('0302');
    expect(rsaTags['03']).toBe('02');
    expect(rsaTags['04']).toBe('81820100' + modulus + '8203010001');
  });

  it('answers 6A88 for an empty key slot and for the Bio reference 96', () => {
    const card = freshCard('yk5.7.1');
    for (const slot of [0x9a, 0x9c, 0x9d, 0x9e, 0x82, 0x95, 0x96]) expect(sw(metadata(card, slot))).toBe(0x6a88);
  });

  it('answers 6B00 for a reference that is no slot, and for P1 other than 00', () => {
    const card = freshCard();
    expect(sw(metadata(card, 0x42))).toBe(0x6b00);
    expect(sw(metadata(card, 0x9f))).toBe(0x6b00);
    expect(sw(metadata(card, 0x80, 0x01))).toBe(0x6b00);
  });

  it('describes the attestation key F9 the card was made with: RSA 2048, never/never, origin imported as on real keys', () => {
    const f9 = tags(metadata(freshCard(), 0xf9));
    expect(f9).toMatchObject({ '01': '07', '02': '0101', '03': '02' });
  });
});
