// A random management key stored on the card, PIN-protected, as
// `ykman piv access change-management-key --generate --protect` leaves it
// (what pairing leaves too): afterwards the PIN alone unlocks management operations.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MANAGEMENT_KEY,
  DEFAULT_PIN,
  INTEROP_PROFILES,
  expectFailure,
  expectSuccess,
  hasMetadata,
  pivInfo,
  useVirtualYubiKey,
  ykman,
  type InteropProfile,
} from './harness.ts';

/** ykman 4.0.9 MANAGEMENT_KEY_TYPE names the card accepts: AES from 5.4 (yubikit piv.py). */
const algorithmsFor = (profile: InteropProfile): readonly string[] => (profile === 'yk4.3.7' ? ['TDES'] : ['TDES', 'AES128', 'AES192', 'AES256']);

const protectedKeyLine = 'Management key is stored on the YubiKey, protected by PIN.';

describe.each(INTEROP_PROFILES)('ykman PIN-protected management key on %s', (profile) => {
  const key = useVirtualYubiKey(profile, 19_000_004);

  /** `change-management-key --generate --protect`, asserted to succeed. */
  const protectWithRandomKey = async (algorithm: string): Promise<void> => {
    expectSuccess(
      await ykman([
        'piv',
        'access',
        'change-management-key',
        '-m',
        DEFAULT_MANAGEMENT_KEY,
        '-P',
        DEFAULT_PIN,
        '-a',
        algorithm,
        '--generate',
        '--protect',
        '--force',
      ]),
    );
  };

  it.each(algorithmsFor(profile))('--generate --protect with %s: stored, and a key generates with the PIN alone', async (algorithm) => {
    await protectWithRandomKey(algorithm);
    const info = await pivInfo();
    expect(info).toContain(protectedKeyLine);
    if (hasMetadata(profile)) {
      expect(info).toContain(`Management key algorithm: ${algorithm}`);
      expect(info).not.toContain('WARNING: Using default Management key!');
    }
    // Generating needs the management key: ykman reads it from the
    // PIN-protected object (5FC109) after VERIFY.
    expectSuccess(await ykman(['piv', 'keys', 'generate', '-P', DEFAULT_PIN, '-a', 'ECCP256', '9a', key.file('pub.pem')]));
  });

  it('with the protected key, certificates generate with the PIN; the default key and a wrong PIN unlock nothing', async () => {
    await protectWithRandomKey(profile === 'yk4.3.7' ? 'TDES' : 'AES256');
    const pub = key.file('pub.pem');
    expectSuccess(await ykman(['piv', 'keys', 'generate', '-P', DEFAULT_PIN, '-a', 'ECCP256', '9a', pub]));
    expectSuccess(await ykman(['piv', 'certificates', 'generate', '-P', DEFAULT_PIN, '-s', 'CN=protected', '9a', pub]));
    expect(await pivInfo()).toContain('Subject DN:\tCN=protected');

    expect(expectFailure(await ykman(['piv', 'keys', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-a', 'ECCP256', '9c', pub])).stderr).toContain(
      'Authentication with management key failed.',
    );
    expect(expectFailure(await ykman(['piv', 'keys', 'generate', '-P', '000000', '-a', 'ECCP256', '9c', pub])).stderr).toContain(
      'PIN verification failed, 2 tries left.',
    );
  });

  it('a new explicit management key replaces the default', async () => {
    const newKey = 'a1a2a3a4a5a6a7a8b1b2b3b4b5b6b7b8c1c2c3c4c5c6c7c8';
    expectSuccess(await ykman(['piv', 'access', 'change-management-key', '-m', DEFAULT_MANAGEMENT_KEY, '-a', 'TDES', '-n', newKey, '--force']));
    const pub = key.file('pub.pem');
    expectSuccess(await ykman(['piv', 'keys', 'generate', '-m', newKey, '-a', 'ECCP256', '9a', pub]));
    expect(expectFailure(await ykman(['piv', 'keys', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-a', 'ECCP256', '9a', pub])).stderr).toContain(
      'Authentication with management key failed.',
    );
    expect(await pivInfo()).not.toContain(protectedKeyLine);
  });
});
