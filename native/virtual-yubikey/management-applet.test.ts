// The management applet through the whole card, as ykman reads it
// (yubikit/management.py: SELECT, READ CONFIG, DeviceInfo.parse).
import { describe, expect, it } from 'vitest';
import { createVirtualYubiKey } from './index.ts';
import { PROFILE_NAMES, type ProfileName } from './profiles.ts';
import { factoryPivState } from './state.ts';
import { bytesOf, hexOf, parseTlvs, type Tlv } from './tlv.ts';

const SERIAL = 0x01a2b3c4; // 27439044
const SELECT_MANAGEMENT = '00a4040008a000000527471117';

function card(profile: ProfileName) {
  // Factory PIV state without the F9 attestation key: these tests never touch PIV.
  return createVirtualYubiKey({ state: factoryPivState(profile, SERIAL) });
}

function send(c: ReturnType<typeof card>, apduHex: string): { data: string; sw: string } {
  const r = hexOf(c.transmit(bytesOf(apduHex)));
  return { data: r.slice(0, -4), sw: r.slice(-4) };
}

/** READ CONFIG page, checked the way yubikit checks it (length byte = rest of the response). */
function readConfig(c: ReturnType<typeof card>, page = 0): Map<number, string> {
  send(c, SELECT_MANAGEMENT);
  const { data, sw } = send(c, `001d${page.toString(16).padStart(2, '0')}00`);
  expect(sw).toBe('9000');
  const bytes = bytesOf(data);
  expect(bytes[0]).toBe(bytes.length - 1);
  return new Map(parseTlvs(bytes.slice(1)).map((t: Tlv) => [t.tag, hexOf(t.value)]));
}

describe('management applet: SELECT', () => {
  it.each(PROFILE_NAMES)('%s answers the version string yubikit parses', (profile) => {
    const c = card(profile);
    const { data, sw } = send(c, SELECT_MANAGEMENT);
    expect(sw).toBe('9000');
    const version = c.profile.version.join('.');
    expect(Buffer.from(data, 'hex').toString('ascii')).toBe(`Virtual mgr - FW version ${version}`);
  });
});

describe('management applet: READ CONFIG (device info)', () => {
  it('yk5.4.3 answers byte for byte what a real YubiKey 5 NFC 5.4.3 answers, with its own serial', () => {
    const c = card('yk5.4.3');
    send(c, SELECT_MANAGEMENT);
    const { data, sw } = send(c, '001d0000');
    expect(sw).toBe('9000');
    expect(data).toBe('2e0102033f0302033f020401a2b3c40401010503050403060200000701' + '0f0801000d02033f0e02033f0a01000f0100');
  });

  it.each(['yk5.4.3', 'yk5.7.1'] as const)('%s is a YubiKey 5 NFC: USB and NFC capabilities, PIV enabled on both', (profile) => {
    const info = readConfig(card(profile));
    expect(info.get(0x02)).toBe('01a2b3c4'); // serial
    expect(info.get(0x05)).toBe(hexOf(Uint8Array.from(card(profile).profile.version)));
    expect(info.get(0x04)).toBe('01'); // USB-A keychain
    for (const tag of [0x01, 0x03, 0x0d, 0x0e]) {
      const mask = parseInt(info.get(tag) ?? '0', 16);
      expect(mask & 0x0010, `PIV bit in tag ${tag}`).toBe(0x0010);
    }
    expect(info.get(0x0a)).toBe('00'); // no lock code
    expect(info.get(0x08)).toBe('00');
  });

  it.each(['yk4.3.7', 'yk4.3.4'] as const)('%s is a YubiKey 4: USB only, version from SELECT, no lock code', (profile) => {
    const info = readConfig(card(profile));
    expect(info.get(0x02)).toBe('01a2b3c4');
    expect(info.get(0x01)).toBe('003f');
    expect(info.has(0x05)).toBe(false);
    expect(info.has(0x0d)).toBe(false);
    expect(info.has(0x0e)).toBe(false);
    expect(info.has(0x0a)).toBe(false);
    expect(info.has(0x10)).toBe(false);
  });

  it('yk5.7.1 pages its device info: page 0 says "more data", page 1 holds the rest', () => {
    const c = card('yk5.7.1');
    const page0 = readConfig(c, 0);
    expect(page0.get(0x10)).toBe('01');
    const page1 = readConfig(c, 1);
    expect(page1.has(0x10)).toBe(false);
    expect(page1.get(0x16)).toBe('00'); // no enhanced-PIN complexity
    expect(send(c, '001d0200').sw).toBe('6a86');
  });

  it('yk5.4.3 has a single page: asking for page 1 answers 6A86', () => {
    const c = card('yk5.4.3');
    send(c, SELECT_MANAGEMENT);
    expect(send(c, '001d0100').sw).toBe('6a86');
  });

  it('accepts the extended-length form yubikit sends over USB', () => {
    const c = card('yk5.4.3');
    send(c, SELECT_MANAGEMENT);
    const { data, sw } = send(c, '001d0000000000');
    expect(sw).toBe('9000');
    expect(data.slice(0, 2)).toBe('2e');
  });

  it('answers 6D00 to management instructions it does not model (WRITE CONFIG, SET MODE, DEVICE RESET)', () => {
    const c = card('yk5.4.3');
    send(c, SELECT_MANAGEMENT);
    expect(send(c, '001c000003020a00').sw).toBe('6d00');
    expect(send(c, '001611000406000000').sw).toBe('6d00');
    expect(send(c, '001f0000').sw).toBe('6d00');
  });

  it('reads device info again after another applet was selected in between (ykman scans applets)', () => {
    const c = card('yk5.4.3');
    send(c, '00a4040007a0000005272001'); // OTP
    expect(readConfig(c).get(0x02)).toBe('01a2b3c4');
  });
});
