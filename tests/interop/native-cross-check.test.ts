// What our native/ code leaves on a key, judged by Yubico's own tool on the
// same card through pcscd: the PIN-protected management key as ykman keeps
// it, and the factory state after our full PIV reset.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MANAGEMENT_KEY, OBJECT_ID, SLOT } from '../../native/piv/constants.ts';
import { generateKey, slotMetadata } from '../../native/piv/keys.ts';
import { getObject, newChuid, putObject, readCertificate, writeCertificate } from '../../native/piv/objects.ts';
import { resetPiv } from '../../native/piv/reset.ts';
import { secretFromText } from '../../native/piv/secrets.ts';
import { authenticateManagementKey, managementKeyAlgorithm, managementKeyMetadata } from '../../native/yubikey/management-key.ts';
import { authenticateWithKnownKey, managementKeyState, protectManagementKey, readProtectedManagementKey } from '../../native/yubikey/pivman.ts';
import { withKey } from '../../native/yubikey/key-access.ts';
import { readKeyInfo } from '../../native/yubikey/key-info.ts';
import {
  DEFAULT_PIN,
  INTEROP_PROFILES,
  READER,
  expectFailure,
  expectSuccess,
  hasMetadata,
  pinTriesLine,
  pivInfo,
  useVirtualYubiKey,
  ykman,
} from './harness.ts';
import { certificateOfSize, hexOf, onKey, pcsc } from './native-support.ts';

/** ykman 4.0.9 (ykman/cli/piv.py info) for PIVMAN data with the "protected" flag. */
const PROTECTED_LINE = 'Management key is stored on the YubiKey, protected by PIN.';
const pin = (text: string): Uint8Array => secretFromText(text);

describe.each(INTEROP_PROFILES)('ykman judges native/ on %s', (profile) => {
  const key = useVirtualYubiKey(profile, 19_100_003);
  const metadata = hasMetadata(profile);
  /** Our choice for a new random key: AES-192 from 5.4 (the 5.7 default), else 3DES. */
  const protectedAlgorithm = profile === 'yk4.3.7' ? 'TDES' : 'AES192';

  it('after protectManagementKey, ykman says the key is stored and PIN-protected, and generates with the PIN alone', async () => {
    const stored = await onKey(async (s) => {
      await s.verifyPin(pin(DEFAULT_PIN));
      await authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
      await protectManagementKey(s);
      expect(await managementKeyState(s)).toBe('protected');
      return readProtectedManagementKey(s);
    });
    expect(stored).toHaveLength(24);
    expect(hexOf(stored!)).not.toBe(hexOf(DEFAULT_MANAGEMENT_KEY));

    const info = await pivInfo();
    expect(info).toContain(PROTECTED_LINE);
    expect(info).toContain(`Management key algorithm: ${protectedAlgorithm}`);
    expect(info).not.toContain('WARNING: Using default Management key!');
    // The default key no longer works; the PIN alone unlocks ykman's management operations.
    const pub = key.file('pub.pem');
    expect(expectFailure(await ykman(['piv', 'keys', 'generate', '-m', hexOf(DEFAULT_MANAGEMENT_KEY), '-a', 'ECCP256', '9a', pub])).stderr).toContain(
      'Authentication with management key failed.',
    );
    expectSuccess(await ykman(['piv', 'keys', 'generate', '-P', DEFAULT_PIN, '-a', 'ECCP256', '9a', pub]));

    // And our own code finds the stored key again in a new session (PIN first).
    expect((await withKey(pcsc(), READER, readKeyInfo)).managementKey).toBe('protected');
    await onKey(async (s) => {
      await s.verifyPin(pin(DEFAULT_PIN));
      await authenticateWithKnownKey(s);
      await generateKey(s, { slot: SLOT.KEY_MANAGEMENT, algorithm: 'ECCP256' });
      if (metadata) expect(await managementKeyMetadata(s)).toMatchObject({ algorithm: protectedAlgorithm, isDefault: false });
    });
  });

  it('after resetPiv, the key is in factory state for us and for ykman', async () => {
    const der = await certificateOfSize(1200, 'CN=before reset');
    await onKey(async (s) => {
      await s.verifyPin(pin(DEFAULT_PIN));
      await authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
      await generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'ECCP256' });
      await writeCertificate(s, SLOT.AUTHENTICATION, der);
      await putObject(s, OBJECT_ID.CHUID, newChuid());
      await protectManagementKey(s);
      await s.changeReference('pin', pin(DEFAULT_PIN), pin('97531864'));
    });
    expect(await pivInfo()).toContain(PROTECTED_LINE);

    await onKey(resetPiv);

    expect(await withKey(pcsc(), READER, readKeyInfo)).toMatchObject({ pinRetries: 3, pukRetries: metadata ? 3 : null, managementKey: 'default', slots: {} });
    await onKey(async (s) => {
      await s.verifyPin(pin(DEFAULT_PIN));
      await authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
      expect(await readCertificate(s, SLOT.AUTHENTICATION)).toBeNull();
      expect(await getObject(s, OBJECT_ID.CHUID)).toBeNull();
      if (metadata) expect(await slotMetadata(s, SLOT.AUTHENTICATION)).toBeNull();
    });
    const info = await pivInfo();
    expect(info).toMatch(pinTriesLine(profile, 3));
    expect(info).not.toContain(PROTECTED_LINE);
    expect(info).toContain(`Management key algorithm: ${profile === 'yk5.7.1' ? 'AES192' : 'TDES'}`);
    if (metadata) {
      expect(info).toContain('WARNING: Using default PIN!');
      expect(info).toContain('WARNING: Using default Management key!');
    }
    expect(info).toContain('CHUID:\tNo data available.');
    expect(info).not.toMatch(/^Slot /m);
  });
});
