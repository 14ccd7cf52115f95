// `ykman info` and `ykman piv info` read a factory-fresh virtual key as they
// would a real YubiKey of that firmware, behind vpcd's own reader name and
// behind a YubiKey's USB reader name, from which ykman tells USB from NFC.
import { describe, expect, it } from 'vitest';
import { FIRMWARE, PROFILES_AND_NAMINGS, hasMetadata, pinTriesLine, pivInfo, ykman, expectSuccess, useVirtualYubiKey } from './harness.ts';

describe.each(PROFILES_AND_NAMINGS)('ykman info on %s, reader named the %s way', (profile, naming) => {
  const key = useVirtualYubiKey(profile, 19_000_001, naming);

  it('reads the reader name as the key would be read: USB under a YubiKey’s name, with PIV enabled', async () => {
    const { stdout } = expectSuccess(await ykman(['info']));
    if (naming === 'usb') {
      // ykman/pcsc/__init__.py: "yubico yubikey" in the name means USB, the interfaces come from the name.
      expect(key.reader).toMatch(profile === 'yk4.3.7' ? /^Yubico YubiKey OTP\+U2F\+CCID 00 00$/ : /^Yubico YubiKey OTP\+FIDO\+CCID 00 00$/);
      expect(stdout).toMatch(/^Enabled USB interfaces: OTP, FIDO, CCID$/m);
      // On 5.x the table has a USB and an NFC column; on 4.x one column, USB.
      expect(stdout).toMatch(/^PIV\s+Enabled\b/m);
    } else {
      expect(key.reader).toBe('Virtual PCD 00 00');
      expect(stdout).not.toContain('Enabled USB interfaces');
    }
  });

  it('shows the serial and the firmware version', async () => {
    const { stdout } = expectSuccess(await ykman(['info']));
    expect(stdout).toContain(`Serial number: ${key.serial}`);
    expect(stdout).toContain(`Firmware version: ${FIRMWARE[profile]}`);
    expect(key.card.firmware).toBe(FIRMWARE[profile]);
    expect(key.card.serial).toBe(key.serial);
  });

  it('names the device as ykman names that model (ykman/device.py get_name)', async () => {
    const { stdout } = expectSuccess(await ykman(['info']));
    // design.md: the 5.x profiles are a YubiKey 5 NFC.
    expect(stdout).toMatch(profile === 'yk4.3.7' ? /^Device type: YubiKey 4$/m : /^Device type: YubiKey 5 NFC$/m);
  });

  it('piv info shows PIN tries 3 of 3 and the factory management key', async () => {
    const info = await pivInfo();
    expect(info).toContain(`PIV version: ${FIRMWARE[profile]}`);
    expect(info).toMatch(pinTriesLine(profile, 3));
    // Default algorithm: 3DES, AES-192 from 5.7 (yubikit MANAGEMENT_KEY_TYPE names).
    expect(info).toContain(`Management key algorithm: ${profile === 'yk5.7.1' ? 'AES192' : 'TDES'}`);
    if (hasMetadata(profile)) {
      // Only GET METADATA tells ykman that the PIN and key are still the defaults.
      expect(info).toContain('WARNING: Using default PIN!');
      expect(info).toContain('WARNING: Using default Management key!');
    }
    expect(info).toContain('CHUID:\tNo data available.');
    expect(info).toContain('CCC: \tNo data available.');
    expect(info).not.toMatch(/^Slot /m);
  });
});
