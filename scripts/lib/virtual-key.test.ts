import { describe, expect, it } from 'vitest';
import { createVirtualYubiKey } from '../../native/virtual-yubikey/index.ts';
import { cliArgs, factoryState, parseReadyLine, readerName, usbReaderFriendlyName } from './virtual-key.ts';

describe('virtual key READY line', () => {
  it('parses the line the CLI prints when the card is ready', () => {
    expect(parseReadyLine('READY reader="Virtual PCD 00 01" serial=12345678 firmware=5.7.1\n')).toEqual({
      reader: 'Virtual PCD 00 01',
      serial: 12345678,
      firmware: '5.7.1',
    });
  });

  it('ignores any other line', () => {
    expect(parseReadyLine('connecting to 127.0.0.1:35963')).toBeUndefined();
    expect(parseReadyLine('READY reader=Virtual serial=1 firmware=5.4.3')).toBeUndefined();
    expect(parseReadyLine('READY reader="Virtual PCD 00 00" serial=x firmware=5.4.3')).toBeUndefined();
  });
});

describe('virtual key command line', () => {
  it('passes only the options given', () => {
    expect(cliArgs({ reader: 0, profile: 'yk5.4.3' })).toEqual(['--reader', '0', '--profile', 'yk5.4.3']);
    expect(cliArgs({ reader: 1, profile: 'yk4.3.7', serial: 42, state: '/tmp/s.json', faultAfter: 7 })).toEqual([
      '--reader',
      '1',
      '--profile',
      'yk4.3.7',
      '--serial',
      '42',
      '--state',
      '/tmp/s.json',
      '--fault-after',
      '7',
    ]);
  });

  it('names readers as vpcd does', () => {
    expect(readerName(0)).toBe('Virtual PCD 00 00');
    expect(readerName(1)).toBe('Virtual PCD 00 01');
    expect(readerName(10)).toBe('Virtual PCD 00 0A');
  });
});

describe('reader names and factory cards for the rig', () => {
  it('names the reader as a real YubiKey of that firmware shows over USB on Linux', () => {
    expect(readerName(0, usbReaderFriendlyName('5.4.3'))).toBe('Yubico YubiKey OTP+FIDO+CCID 00 00');
    expect(readerName(0, usbReaderFriendlyName('5.7.1'))).toBe('Yubico YubiKey OTP+FIDO+CCID 00 00');
    expect(readerName(0, usbReaderFriendlyName('4.3.7'))).toBe('Yubico YubiKey OTP+U2F+CCID 00 00');
  });

  it('gives each key its own copy of the factory card of its profile and serial', () => {
    const a = factoryState('yk5.4.3', 11_111_111);
    const b = factoryState('yk5.4.3', 11_111_111);
    const c = factoryState('yk5.4.3', 22_222_222);
    expect([a.serial, b.serial, c.serial]).toEqual([11_111_111, 11_111_111, 22_222_222]);
    // One serial, one factory card (the same attestation root); another serial, its own.
    expect(b.attestationRoot).toBe(a.attestationRoot);
    expect(c.attestationRoot).not.toBe(a.attestationRoot);
    a.pinRetriesLeft = 0;
    expect(b.pinRetriesLeft).toBe(3);
    expect(factoryState('yk5.4.3', 11_111_111).pinRetriesLeft).toBe(3);
    // A working card: it answers SELECT PIV with 9000.
    const card = createVirtualYubiKey({ state: b });
    const answer = card.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x00, 0x05, 0xa0, 0x00, 0x00, 0x03, 0x08));
    expect(Array.from(answer.slice(-2))).toEqual([0x90, 0x00]);
  });
});
