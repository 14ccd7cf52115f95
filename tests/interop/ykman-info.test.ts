// `ykman info` and `ykman piv info` read a factory-fresh virtual key as they
// would a real YubiKey of that firmware (issue 3, section 4, first bullet).
import { describe, expect, it } from 'vitest';
import { FIRMWARE, INTEROP_PROFILES, hasMetadata, pinTriesLine, pivInfo, ykman, expectSuccess, useVirtualYubiKey } from './harness.ts';

describe.each(INTEROP_PROFILES)('ykman info on %s', (profile) => {
  const key = useVirtualYubiKey(profile, 19_000_001);

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
