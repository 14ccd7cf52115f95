// The virtual YubiKey behaves as the hardware does where it once did not
// (tests passing on it must mean the same on a real key), seen through pcscd: by the app's own PC/SC transport and by ykman.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CardConnection } from '../../native/pcsc/transport.ts';
import { DEFAULT_MANAGEMENT_KEY, DEFAULT_PIN, expectFailure, expectSuccess, INTEROP_PROFILES, pivInfo, READER, useVirtualYubiKey, ykman } from './harness.ts';
import { pcsc } from './native-support.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const SELECT_PIV = hex('00a4040005a000000308');
const SELECT_MANAGEMENT = hex('00a4040008a000000527471117');
const VERIFY_STATUS = hex('0020008000');
const verifyPin = (pin: string): Uint8Array => hex(`0020008008${Buffer.from(pin.padEnd(8, '\xff'), 'latin1').toString('hex')}`);

async function sw(connection: CardConnection, apdu: Uint8Array): Promise<string> {
  const reply = await connection.transmit(apdu);
  return Buffer.from(reply.subarray(reply.length - 2)).toString('hex');
}

describe.each(INTEROP_PROFILES)('the virtual key as the hardware on %s, through pcscd', (profile) => {
  useVirtualYubiKey(profile, 19_000_010);

  it('keeps the PIN verified across a disconnect that leaves the card powered and a new SELECT of PIV; another application clears it', async () => {
    const first = await pcsc().connect(READER, 'shared');
    expect(await sw(first, SELECT_PIV)).toBe('9000');
    expect(await sw(first, verifyPin(DEFAULT_PIN))).toBe('9000');
    await first.disconnect(); // SCARD_LEAVE_CARD

    const second = await pcsc().connect(READER, 'shared');
    try {
      // SP 800-73-4 Part 2 §3.1.1: re-selecting PIV leaves its security status unchanged.
      expect(await sw(second, SELECT_PIV)).toBe('9000');
      expect(await sw(second, VERIFY_STATUS)).toBe('9000');
      // What ykpiv does before 5.4.3 to drop the PIN: select another application, then PIV.
      expect(await sw(second, SELECT_MANAGEMENT)).toBe('9000');
      expect(await sw(second, SELECT_PIV)).toBe('9000');
      expect(await sw(second, VERIFY_STATUS)).toBe('63c3');
    } finally {
      await second.disconnect();
    }
  });
});

describe('ykman sees "default management key" only for the factory algorithm and bytes', () => {
  describe.each([
    // [profile, factory algorithm, the other algorithm given the same 24 bytes]
    ['yk5.4.3', 'TDES', 'AES192'],
    ['yk5.7.1', 'AES192', 'TDES'],
  ] as const)('on %s', (profile, factory, other) => {
    useVirtualYubiKey(profile, 19_000_011);

    it(`warns for the factory ${factory} key, not for ${other} holding the same bytes, and again once ${factory} is back`, async () => {
      expect(await pivInfo()).toContain('WARNING: Using default Management key!');
      expect(await pivInfo()).toContain(`Management key algorithm: ${factory}`);
      const change = (algorithm: string) =>
        ykman(['piv', 'access', 'change-management-key', '-m', DEFAULT_MANAGEMENT_KEY, '-n', DEFAULT_MANAGEMENT_KEY, '-a', algorithm, '-f']);
      expectSuccess(await change(other));
      let info = await pivInfo();
      expect(info).toContain(`Management key algorithm: ${other}`);
      expect(info).not.toContain('WARNING: Using default Management key!');
      expectSuccess(await change(factory));
      info = await pivInfo();
      expect(info).toContain('WARNING: Using default Management key!');
    });
  });
});

describe('object storage is full at 51,200 bytes (yesdk cert-size.md), through ykman', () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_000_012);

  it('takes 3000-byte objects until the storage is full, then refuses the next with an error and keeps the rest', async () => {
    const data = key.file('object.bin');
    writeFileSync(data, Buffer.alloc(3000, 0x30));
    const importObject = (id: number) => ykman(['piv', 'objects', 'import', '-m', DEFAULT_MANAGEMENT_KEY, id.toString(16), data]);
    // The F9 certificate takes about 800 of the 51,200 bytes: 16 objects of 3000 fit, a 17th does not.
    for (let i = 0; i < 16; i++) expectSuccess(await importObject(0x5fc10d + i));
    const refused = expectFailure(await importObject(0x5fc10d + 16));
    expect(refused.stderr + refused.stdout).toMatch(/6a84|NO_SPACE/i);
    expectFailure(await ykman(['piv', 'objects', 'export', (0x5fc10d + 16).toString(16), key.file('out.bin')]));
    expectSuccess(await ykman(['piv', 'objects', 'export', (0x5fc10d + 15).toString(16), key.file('out.bin')]));
  });
});
