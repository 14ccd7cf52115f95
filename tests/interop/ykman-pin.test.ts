// PIN and PUK handling through `ykman piv access …` and `ykman piv reset`
// (the card must count tries as a YubiKey does). Messages are ykman 4.0.9's
// (ykman/cli/piv.py); the retry counts in them come from the card's 63Cx.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MANAGEMENT_KEY,
  DEFAULT_PIN,
  DEFAULT_PUK,
  INTEROP_PROFILES,
  expectFailure,
  expectSuccess,
  hasMetadata,
  pinTriesLine,
  pivInfo,
  useVirtualYubiKey,
  ykman,
} from './harness.ts';

const changePin = (pin: string, newPin: string) => ykman(['piv', 'access', 'change-pin', '-P', pin, '-n', newPin]);
const changePuk = (puk: string, newPuk: string) => ykman(['piv', 'access', 'change-puk', '-p', puk, '-n', newPuk]);
const unblockPin = (puk: string, newPin: string) => ykman(['piv', 'access', 'unblock-pin', '-p', puk, '-n', newPin]);

describe.each(INTEROP_PROFILES)('ykman PIN and PUK on %s', (profile) => {
  const key = useVirtualYubiKey(profile, 19_000_002);

  it('change-pin sets a new PIN; the old one then fails and costs a try', async () => {
    expect(expectSuccess(await changePin(DEFAULT_PIN, '654321')).stdout).toContain('New PIN set.');
    expect(expectFailure(await changePin(DEFAULT_PIN, '111111')).stderr).toContain('PIN change failed - 2 tries left.');
    expect(await pivInfo()).toMatch(pinTriesLine(profile, 2));
    // The right PIN resets the counter.
    expectSuccess(await changePin('654321', '12345678'));
    const info = await pivInfo();
    expect(info).toMatch(pinTriesLine(profile, 3));
    if (hasMetadata(profile)) expect(info).not.toContain('WARNING: Using default PIN!');
  });

  it('change-puk sets a new PUK; unblock-pin then takes only the new one', async () => {
    expect(expectSuccess(await changePuk(DEFAULT_PUK, '87654321')).stdout).toContain('New PUK set.');
    expect(expectFailure(await unblockPin(DEFAULT_PUK, '222222')).stderr).toContain('PIN unblock failed - 2 tries left.');
    expect(expectSuccess(await unblockPin('87654321', '222222')).stdout).toContain('PIN unblocked');
    expectSuccess(await changePin('222222', '333333'));
  });

  it('a wrong PUK is refused with the tries left', async () => {
    expect(expectFailure(await changePuk('00000000', '87654321')).stderr).toContain('PUK change failed - 2 tries left.');
    expect(expectFailure(await changePuk('00000000', '87654321')).stderr).toContain('PUK change failed - 1 tries left.');
    expect(expectFailure(await changePuk('00000000', '87654321')).stderr).toContain('PUK is blocked.');
    expect(expectFailure(await changePuk(DEFAULT_PUK, '87654321')).stderr).toContain('PUK is blocked.');
  });

  it('three wrong PINs block the PIN; unblock-pin with the PUK sets a new one', async () => {
    expect(expectFailure(await changePin('000000', '654321')).stderr).toContain('PIN change failed - 2 tries left.');
    expect(expectFailure(await changePin('000000', '654321')).stderr).toContain('PIN change failed - 1 tries left.');
    expect(expectFailure(await changePin('000000', '654321')).stderr).toContain('PIN is blocked.');
    // Blocked: even the right PIN is refused.
    expect(expectFailure(await changePin(DEFAULT_PIN, '654321')).stderr).toContain('PIN is blocked.');
    expect(await pivInfo()).toMatch(pinTriesLine(profile, 0));

    expect(expectSuccess(await unblockPin(DEFAULT_PUK, '654321')).stdout).toContain('PIN unblocked');
    expect(await pivInfo()).toMatch(pinTriesLine(profile, 3));
    expectSuccess(await changePin('654321', '7654321'));
  });

  it('piv reset --force restores the factory state', async () => {
    // Change everything a reset must undo: PIN, PUK, a key, a certificate.
    expectSuccess(await changePin(DEFAULT_PIN, '654321'));
    expectSuccess(await changePuk(DEFAULT_PUK, '87654321'));
    const pub = key.file('pub.pem');
    expectSuccess(await ykman(['piv', 'keys', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-a', 'ECCP256', '9a', pub]));
    expectSuccess(await ykman(['piv', 'certificates', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-P', '654321', '-s', 'CN=before reset', '9a', pub]));
    expect(await pivInfo()).toContain('Slot 9a:');

    // yubikit's reset() blocks PIN and PUK itself, then sends RESET (INS FB).
    const reset = expectSuccess(await ykman(['piv', 'reset', '--force']));
    expect(reset.stdout).toContain('Success! All PIV data have been cleared from the YubiKey.');

    const info = await pivInfo();
    expect(info).toMatch(pinTriesLine(profile, 3));
    expect(info).not.toContain('Slot 9a:');
    expect(info).toContain('CHUID:\tNo data available.');
    if (hasMetadata(profile)) {
      expect(info).toContain('WARNING: Using default PIN!');
      expect(info).toContain('WARNING: Using default Management key!');
      expect(expectFailure(await ykman(['piv', 'keys', 'export', '9a', key.file('gone.pem')])).stderr).toContain('No key stored in slot AUTHENTICATION.');
    }
    expect(expectFailure(await ykman(['piv', 'certificates', 'export', '9a', key.file('gone.crt')])).stderr).toContain('No certificate found.');
    // Factory PIN and PUK work again, and so does the default management key.
    expectSuccess(await changePin(DEFAULT_PIN, '654321'));
    expectSuccess(await changePuk(DEFAULT_PUK, '87654321'));
    expectSuccess(await ykman(['piv', 'keys', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-a', 'ECCP256', '9a', pub]));
  });
});
