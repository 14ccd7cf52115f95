// No key is left logged in, through pcscd: after each `wfa` command that verified the
// PIN or authenticated the management key, on success and on failure, the
// next program to connect (without resetting the card itself) finds the key
// logged out: the PIN status query answers 63Cx, and neither the management
// key nor what it or the PIN protects can be used. The virtual key keeps the
// PIV security status across a disconnect that leaves the card powered, as
// the hardware does (virtual-key-fidelity.test.ts), so only the app's own
// power-down on disconnect passes this.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeFailure, type RunResult } from '../../scripts/lib/exec.ts';
import { DEFAULT_PIN, READER, useVirtualYubiKey } from './harness.ts';
import { pcsc, wfa } from './native-support.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
/** SELECT PIV (SP 800-73-4 Part 2 §3.1.1). */
const SELECT_PIV = hex('00a4040005a000000308');
/** VERIFY PIN with no data: the PIN status query (SP 800-73-4 Part 2 §3.2.1). */
const PIN_STATUS = hex('00200080');
/** GET DATA of the PRINTED object (5FC109), where the PIN-protected management key is (yubikit piv.py OBJECT_ID.PRINTED): needs the PIN. */
const READ_PROTECTED_MANAGEMENT_KEY = hex('00cb3fff055c035fc10900');
/** PUT DATA of an empty retired-certificate object 5FC10D (SP 800-73-4 Part 1 Table 3): needs the management key. */
const WRITE_WITH_MANAGEMENT_KEY = hex('00db3fff075c035fc10d5300');
/** GENERAL AUTHENTICATE: ECDSA P-256 (11) with slot 9a over a 32-byte digest (SP 800-73-4 Part 2 §3.2.4): needs the PIN. */
const SIGN_WITH_9A = hex(`0087119a267c2482008120${'ab'.repeat(32)}`);

const NEW_PIN = '48273916';
const OTHER_PIN = '59384027';

interface SecurityStatus {
  readonly pinStatus: string;
  readonly readProtectedManagementKey: string;
  readonly writeWithManagementKey: string;
  readonly signWith9a: string;
}

/** What a program that connects next sees: it selects PIV, asks the PIN status and tries what needs the PIN or the management key. */
async function securityStatusSeenByTheNextProgram(): Promise<SecurityStatus> {
  const connection = await pcsc().connect(READER, 'shared');
  const sw = async (apdu: Uint8Array): Promise<string> => {
    const reply = await connection.transmit(apdu);
    return Buffer.from(reply.subarray(reply.length - 2)).toString('hex');
  };
  try {
    expect(await sw(SELECT_PIV)).toBe('9000');
    return {
      pinStatus: await sw(PIN_STATUS),
      readProtectedManagementKey: await sw(READ_PROTECTED_MANAGEMENT_KEY),
      writeWithManagementKey: await sw(WRITE_WITH_MANAGEMENT_KEY),
      signWith9a: await sw(SIGN_WITH_9A),
    };
  } finally {
    await connection.disconnect(); // leaves the card as it is: this program resets nothing
  }
}

/** Logged out: the PIN not verified (63Cx: x tries left) and "security status not satisfied" (6982) for the rest. */
async function expectLoggedOut(after: string, keyHasCertificate: boolean): Promise<void> {
  const status = await securityStatusSeenByTheNextProgram();
  expect(status.pinStatus, `PIN status after ${after}`).toMatch(/^63c[1-9a-f]$/);
  expect(status.writeWithManagementKey, `PUT DATA without the management key after ${after}`).toBe('6982');
  if (keyHasCertificate) {
    expect(status.readProtectedManagementKey, `reading the protected management key after ${after}`).toBe('6982');
    expect(status.signWith9a, `signing with 9a after ${after}`).toBe('6982');
  }
}

function expectOk(result: RunResult): void {
  expect(result.code, describeFailure(result)).toBe(0);
}

describe('the key is left logged out after every wfa command, through pcscd (yk5.4.3)', () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_700_001);
  const policy = (extra: Record<string, unknown> = {}): string => {
    const file = key.file('policy.json');
    writeFileSync(file, JSON.stringify({ key: { algorithm: 'ECCP256' }, ...extra }));
    return file;
  };

  it('after wfa key verify-pin, wfa pair, wfa check and wfa change-pin', async () => {
    const common = ['--data-dir', key.file('data'), '--config', policy(), '--json'];

    expectOk(await wfa(['key', 'verify-pin', '--reader', READER, '--json'], { input: `${DEFAULT_PIN}\n` }));
    await expectLoggedOut('wfa key verify-pin', false);

    expectOk(await wfa(['pair', '--default-pin', '--user', 'alice', ...common], { input: `${NEW_PIN}\n` }));
    await expectLoggedOut('wfa pair', true);

    expectOk(await wfa(['check', ...common], { input: `${NEW_PIN}\n` }));
    await expectLoggedOut('wfa check', true);

    expectOk(await wfa(['change-pin', ...common], { input: `${NEW_PIN}\n${OTHER_PIN}\n` }));
    await expectLoggedOut('wfa change-pin', true);
  });

  it('after a pairing that fails once the PIN is verified and the management key authenticated', async () => {
    // The local CA issues clientAuth and smartcardLogon: a policy asking for codeSigning
    // refuses the issued certificate at the last step, after every step on the key.
    const strict = policy({ certificate: { requiredEku: ['codeSigning'], requireUpn: true } });
    const pair = await wfa(['pair', '--default-pin', '--data-dir', key.file('data'), '--config', strict, '--user', 'alice', '--json'], {
      input: `${NEW_PIN}\n`,
    });
    expect(pair.code, describeFailure(pair)).toBe(3);
    expect(pair.stdout).toContain('"error"');
    await expectLoggedOut('a failed wfa pair', true);
  });
});
