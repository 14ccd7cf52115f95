import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apdu, authenticateMgmt, data, DEFAULT_MGMT_KEY, freshCard, hex, MGMT, sw, type TestCard, toHex, transmitAll, verifyPin } from './test-support.ts';

/** BER length octets (ISO 7816-4 §5.2). */
function berLength(n: number): number[] {
  return n < 0x80 ? [n] : n <= 0xff ? [0x81, n] : [0x82, n >> 8, n & 0xff];
}

function tlv(tag: number[], value: Uint8Array): Uint8Array {
  return Uint8Array.from([...tag, ...berLength(value.length), ...value]);
}

const idTlv = (id: string): Uint8Array => tlv([0x5c], hex(id));
const getCommand = (id: string): Uint8Array => apdu(0x00, 0xcb, 0x3f, 0xff, idTlv(id), { le: 0 });
const putBody = (id: string, content: Uint8Array, tag = [0x53]): Uint8Array => Uint8Array.from([...idTlv(id), ...tlv(tag, content)]);

function getObject(card: TestCard, id: string): Uint8Array {
  return transmitAll(card, getCommand(id));
}

function putObject(card: TestCard, id: string, content: Uint8Array): number {
  return sw(card.transmit(apdu(0x00, 0xdb, 0x3f, 0xff, putBody(id, content))));
}

function adminCard(profile: 'yk5.4.3' | 'yk5.7.1' | 'yk4.3.7' = 'yk5.4.3'): TestCard {
  const card = freshCard(profile);
  const alg = profile === 'yk5.7.1' ? MGMT.AES192 : MGMT.TDES;
  expect(authenticateMgmt(card, alg, DEFAULT_MGMT_KEY)).toBe(0x9000);
  return card;
}

describe('GET DATA', () => {
  it('answers the discovery object 7E with the PIV AID and PIN usage policy 40 00', () => {
    const resp = getObject(freshCard(), '7e');
    expect(sw(resp)).toBe(0x9000);
    expect(toHex(data(resp))).toBe('7e124f0ba0000003080000100001005f2f024000');
  });

  it('answers 6A82 for an object that was never written', () => {
    expect(sw(getObject(freshCard(), '5fc105'))).toBe(0x6a82);
    expect(sw(getObject(freshCard(), '7f61'))).toBe(0x6a82);
  });

  it('reads the attestation certificate 5FFF01 without PIN or management key', () => {
    const card = freshCard('yk5.4.3', (s) => {
      s.objects['5fff01'] = '7003010203';
    });
    expect(toHex(getObject(card, '5fff01'))).toBe('53057003010203' + '9000');
  });

  for (const id of ['5fc103', '5fc108', '5fc109', '5fc121']) {
    it(`keeps ${id} behind the PIN: 6982 before VERIFY (even when absent), then the object or 6A82`, () => {
      const card = adminCard();
      expect(sw(getObject(card, id))).toBe(0x6982);
      expect(verifyPin(card, '123456')).toBe(0x9000);
      expect(sw(getObject(card, id))).toBe(0x6a82);
      expect(putObject(card, id, hex('880489021122'))).toBe(0x9000);
      expect(toHex(getObject(card, id))).toBe('5306880489021122' + '9000');
    });
  }

  it('answers 6A80 for ids a YubiKey does not have and for a malformed request', () => {
    const card = freshCard();
    expect(sw(getObject(card, '010203'))).toBe(0x6a80);
    expect(sw(getObject(card, '7f'))).toBe(0x6a80);
    expect(sw(getObject(card, '5fc1050a'))).toBe(0x6a80);
    expect(sw(card.transmit(apdu(0x00, 0xcb, 0x3f, 0xff, hex('5303112233'))))).toBe(0x6a80);
    expect(sw(card.transmit(apdu(0x00, 0xcb, 0x3f, 0xff, hex('5c035fc1055c01'))))).toBe(0x6a80);
    expect(sw(card.transmit(apdu(0x00, 0xcb, 0x3f, 0xff, hex('5c055fc1'))))).toBe(0x6a80);
  });

  it('answers 6B00 for P1 P2 other than 3F FF', () => {
    expect(sw(freshCard().transmit(apdu(0x00, 0xcb, 0x00, 0x00, idTlv('7e'))))).toBe(0x6b00);
  });
});

describe('PUT DATA', () => {
  it('needs the management key (6982)', () => {
    const card = freshCard();
    verifyPin(card, '123456');
    expect(putObject(card, '5fc102', hex('3000'))).toBe(0x6982);
  });

  for (const profile of ['yk5.4.3', 'yk5.7.1', 'yk4.3.7'] as const) {
    it(`writes, overwrites and deletes (empty 53) an object on ${profile}`, () => {
      const card = adminCard(profile);
      expect(putObject(card, '5fc102', hex('3019d4e7'))).toBe(0x9000);
      expect(toHex(getObject(card, '5fc102'))).toBe('53043019d4e7' + '9000');
      expect(putObject(card, '5fc102', hex('fe00'))).toBe(0x9000);
      expect(toHex(getObject(card, '5fc102'))).toBe('5302fe00' + '9000');
      expect(putObject(card, '5fc102', new Uint8Array(0))).toBe(0x9000);
      expect(sw(getObject(card, '5fc102'))).toBe(0x6a82);
      expect(card.state.objects['5fc102']).toBeUndefined();
    });
  }

  it('stores any id from 5F0000 to 5FFFFF (PIVMAN data 5FFF00, unnamed ids)', () => {
    const card = adminCard();
    for (const id of ['5f0000', '5fc124', '5fff00', '5fffff']) {
      expect(putObject(card, id, hex('8003810101'))).toBe(0x9000);
      expect(toHex(getObject(card, id))).toBe('53058003810101' + '9000');
    }
  });

  it('stores the BITGT 7F61 under its own tag', () => {
    const card = adminCard();
    const body = putBody('7f61', hex('020100'), [0x7f, 0x61]);
    expect(sw(card.transmit(apdu(0x00, 0xdb, 0x3f, 0xff, body)))).toBe(0x9000);
    expect(toHex(getObject(card, '7f61'))).toBe('7f6103020100' + '9000');
    expect(putObject(card, '7f61', hex('020100'))).toBe(0x6a80);
  });

  it('refuses discovery (read-only), unknown ids and malformed data with 6A80', () => {
    const card = adminCard();
    expect(putObject(card, '7e', hex('4f00'))).toBe(0x6a80);
    expect(putObject(card, '123456', hex('00'))).toBe(0x6a80);
    expect(putObject(card, '5fc10501', hex('00'))).toBe(0x6a80);
    expect(sw(card.transmit(apdu(0x00, 0xdb, 0x3f, 0xff, putBody('5fc105', hex('00'), [0x54]))))).toBe(0x6a80);
    expect(sw(card.transmit(apdu(0x00, 0xdb, 0x3f, 0xff, idTlv('5fc105'))))).toBe(0x6a80);
    expect(sw(card.transmit(apdu(0x00, 0xdb, 0x3f, 0xff, hex('5c035fc1055302aa'))))).toBe(0x6a80);
    expect(toHex(getObject(card, '7e')).startsWith('7e12')).toBe(true);
  });

  it('takes up to 3063 bytes and answers 6A84 for more', () => {
    const card = adminCard();
    expect(putObject(card, '5fc105', new Uint8Array(3063).fill(0x30))).toBe(0x9000);
    expect(putObject(card, '5fc10a', new Uint8Array(3064).fill(0x30))).toBe(0x6a84);
    expect(sw(getObject(card, '5fc10a'))).toBe(0x6a82);
  });

  it('holds 51,200 bytes of objects in all (the F9 certificate included), as yesdk cert-size.md says; past it 6A84 and nothing changes', () => {
    for (const profile of ['yk5.4.3', 'yk4.3.7'] as const) {
      const card = adminCard(profile);
      const used = (): number => Object.values(card.state.objects).reduce((n, h) => n + h.length / 2, 0);
      const f9Bytes = used();
      expect(f9Bytes).toBeGreaterThan(500); // the attestation certificate 5FFF01 takes its share
      // Fill with 3000-byte objects (retired-slot certificates 5FC10D on) until the next one cannot fit.
      let id = 0x5fc10d;
      while (used() + 3000 <= 51_200) {
        expect(putObject(card, id.toString(16), new Uint8Array(3000).fill(0x30))).toBe(0x9000);
        id++;
      }
      const left = 51_200 - used();
      const before = structuredClone(card.state.objects);
      expect(putObject(card, id.toString(16), new Uint8Array(left + 1).fill(0x31))).toBe(0x6a84);
      expect(card.state.objects).toEqual(before);
      expect(sw(getObject(card, id.toString(16)))).toBe(0x6a82);
      // Exactly what is left fits; then not one byte more, not even a new small object.
      expect(putObject(card, id.toString(16), new Uint8Array(left).fill(0x31))).toBe(0x9000);
      expect(used()).toBe(51_200);
      expect(putObject(card, '5fff10', Uint8Array.of(1))).toBe(0x6a84);
      // Replacing an object counts its old size as free; deleting frees its room.
      expect(putObject(card, '5fc10d', new Uint8Array(3000).fill(0x32))).toBe(0x9000);
      expect(putObject(card, '5fc10d', new Uint8Array(0))).toBe(0x9000);
      expect(putObject(card, '5fff10', Uint8Array.of(1))).toBe(0x9000);
    }
  });

  it('answers 6B00 for P1 P2 other than 3F FF', () => {
    const card = adminCard();
    expect(sw(card.transmit(apdu(0x00, 0xdb, 0x3f, 0x00, putBody('5fc105', hex('00')))))).toBe(0x6b00);
  });
});

describe('a 2,000-byte certificate object', () => {
  const certificate = Uint8Array.from([0x70, 0x82, 0x07, 0xc7, ...randomBytes(1991), 0x71, 0x01, 0x00, 0xfe, 0x00]);
  const body = putBody('5fc105', certificate);

  it('is written with command chaining (CLA 10, blocks of 255) and read back with 61xx + GET RESPONSE', () => {
    const card = adminCard();
    for (let at = 0; at < body.length; at += 255) {
      const last = at + 255 >= body.length;
      const resp = card.transmit(apdu(last ? 0x00 : 0x10, 0xdb, 0x3f, 0xff, body.subarray(at, at + 255)));
      expect(sw(resp)).toBe(0x9000);
    }
    const first = card.transmit(getCommand('5fc105'));
    expect(data(first).length).toBe(256);
    expect(sw(first) >> 8).toBe(0x61);
    const whole = transmitAll(card, getCommand('5fc105'));
    expect(sw(whole)).toBe(0x9000);
    expect(toHex(data(whole))).toBe(toHex(tlv([0x53], certificate)));
  });

  it('is written and read with one extended APDU each', () => {
    const card = adminCard();
    expect(sw(card.transmit(apdu(0x00, 0xdb, 0x3f, 0xff, body, { extended: true })))).toBe(0x9000);
    const resp = card.transmit(apdu(0x00, 0xcb, 0x3f, 0xff, idTlv('5fc105'), { extended: true, le: 0 }));
    expect(sw(resp)).toBe(0x9000);
    expect(toHex(data(resp))).toBe(toHex(tlv([0x53], certificate)));
  });
});
