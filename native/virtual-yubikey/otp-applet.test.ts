// The OTP applet's two reads: status on SELECT (yubikit YubiOtpSession) and
// the serial, as yubico-piv-tool reads a YubiKey 4's (ykpiv.c _ykpiv_get_serial).
import { describe, expect, it } from 'vitest';
import { createVirtualYubiKey } from './index.ts';
import type { ProfileName } from './profiles.ts';
import { factoryPivState } from './state.ts';
import { bytesOf, hexOf } from './tlv.ts';

const SERIAL = 12345678; // 00bc614e

function card(profile: ProfileName) {
  return createVirtualYubiKey({ state: factoryPivState(profile, SERIAL) });
}

function send(c: ReturnType<typeof card>, apduHex: string): { data: string; sw: string } {
  const r = hexOf(c.transmit(bytesOf(apduHex)));
  return { data: r.slice(0, -4), sw: r.slice(-4) };
}

describe('OTP applet', () => {
  it("SELECT by yubikit's 7-byte AID answers the status: firmware version, no slot programmed", () => {
    expect(send(card('yk5.4.3'), '00a4040007a0000005272001')).toEqual({ data: '050403000000', sw: '9000' });
    expect(send(card('yk4.3.7'), '00a4040007a0000005272001')).toEqual({ data: '040307000000', sw: '9000' });
  });

  it("yubico-piv-tool's YubiKey 4 serial sequence: SELECT OTP (8-byte AID), 00 01 10 00, SELECT PIV", () => {
    const c = card('yk4.3.7');
    expect(send(c, '00a4040008a000000527200101').sw).toBe('9000');
    expect(send(c, '00011000')).toEqual({ data: '00bc614e', sw: '9000' });
    expect(send(c, '00a4040005a000000308').sw).toBe('9000');
  });

  it("answers device info on slot 13, in the management applet's format", () => {
    const c = card('yk5.4.3');
    send(c, '00a4040007a0000005272001');
    const { data, sw } = send(c, '00011300');
    expect(sw).toBe('9000');
    const bytes = bytesOf(data);
    expect(bytes[0]).toBe(bytes.length - 1);
    expect(data).toContain('020400bc614e');
  });

  it('answers 6D00 to everything else (slot programming, other instructions)', () => {
    const c = card('yk5.4.3');
    send(c, '00a4040007a0000005272001');
    expect(send(c, '00010100').sw).toBe('6d00'); // program slot 1
    expect(send(c, '00020000').sw).toBe('6d00');
  });
});
