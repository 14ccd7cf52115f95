// The APDU trace (WFA_APDU_TRACE=1) through pcscd: the traffic is shown, and
// never a PIN (as hex or as text) nor a management key, wherever it travels.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MANAGEMENT_KEY } from '../../native/piv/constants.ts';
import { secretFromText } from '../../native/piv/secrets.ts';
import { authenticateManagementKey, managementKeyAlgorithm } from '../../native/yubikey/management-key.ts';
import { authenticateWithKnownKey, protectManagementKey, readProtectedManagementKey } from '../../native/yubikey/pivman.ts';
import { describeFailure } from '../../scripts/lib/exec.ts';
import { DEFAULT_PIN, READER, useVirtualYubiKey } from './harness.ts';
import { hexOf, onKey, wfa } from './native-support.ts';

const TRACE = { ...process.env, WFA_APDU_TRACE: '1' };
const NEW_PIN = '97531864';

/** Every way a PIN could show: as typed, as hex (upper and lower case), and padded with FF as the card gets it. */
function forms(secret: string): string[] {
  const hex = Buffer.from(secret).toString('hex');
  return [secret, hex, hex.toUpperCase(), `${hex}ffff`.slice(0, 16)];
}

function expectNoneOf(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) for (const form of forms(secret)) expect(text, `the trace shows "${form}"`).not.toContain(form);
}

describe('APDU trace through pcscd', () => {
  useVirtualYubiKey('yk5.4.3', 19_400_001);
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  // YubiKey 4 and 5 get extended APDUs (00 and a 2-byte Lc, then Le 0000), as yubikit sends them.
  it('wfa key verify-pin and change-pin trace their APDUs on stderr without the PINs', async () => {
    const verify = await wfa(['key', 'verify-pin', '--reader', READER], { env: TRACE, input: `${DEFAULT_PIN}\n` });
    expect(verify.code, describeFailure(verify)).toBe(0);
    expect(verify.stderr).toMatch(/^apdu > 00a4040005a00000030800$/m);
    expect(verify.stderr).toMatch(/^apdu > 00200080000008<10 bytes redacted>$/m);
    expectNoneOf(verify.stderr + verify.stdout, [DEFAULT_PIN]);

    const change = await wfa(['key', 'change-pin', '--reader', READER], { env: TRACE, input: `${DEFAULT_PIN}\n${NEW_PIN}\n` });
    expect(change.code, describeFailure(change)).toBe(0);
    expect(change.stderr).toMatch(/^apdu > 00240080000010<18 bytes redacted>$/m);
    expectNoneOf(change.stderr + change.stdout, [DEFAULT_PIN, NEW_PIN]);

    // Without the variable: no trace at all.
    const quiet = await wfa(['key', 'verify-pin', '--reader', READER], { input: `${NEW_PIN}\n` });
    expect(quiet.code, describeFailure(quiet)).toBe(0);
    expect(quiet.stderr).not.toContain('apdu >');
  });

  it('management key authentication and the PIN-protected key (PUT and GET DATA 5FC109) stay redacted', async () => {
    vi.stubEnv('WFA_APDU_TRACE', '1');
    let trace = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      trace += String(chunk);
      return true;
    });
    const stored = await onKey(async (s) => {
      await s.verifyPin(secretFromText(DEFAULT_PIN));
      await authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
      await protectManagementKey(s);
      await authenticateWithKnownKey(s);
      return readProtectedManagementKey(s);
    });
    vi.restoreAllMocks();
    expect(stored).not.toBeNull();
    const key = hexOf(stored!);
    for (const form of [key, key.toUpperCase(), key.slice(0, 16), key.slice(16), hexOf(DEFAULT_MANAGEMENT_KEY).slice(0, 16)]) {
      expect(trace, `the trace shows key bytes ${form}`).not.toContain(form);
    }
    const lines = trace.split('\n');
    const answerTo = (command: RegExp): string[] => lines.flatMap((l, i) => (command.test(l) ? [lines[i + 1] ?? ''] : []));
    // Every GENERAL AUTHENTICATE with the management key (P2 9B): data and answer redacted.
    const authentications = lines.filter((l) => /^apdu > 0087..9b/.test(l));
    expect(authentications.length).toBeGreaterThanOrEqual(4);
    for (const l of authentications) expect(l).toMatch(/<\d+ bytes redacted>$/);
    for (const a of answerTo(/^apdu > 0087..9b/)) expect(a).toMatch(/^apdu < (<\d+ bytes redacted>)? 9000$/);
    // SET MANAGEMENT KEY, and the key written to and read from 5FC109.
    expect(lines.filter((l) => l.startsWith('apdu > 00ffff'))).toEqual([expect.stringMatching(/^apdu > 00ffffff0000..<\d+ bytes redacted>$/)]);
    expect(lines.filter((l) => /^apdu > 00db3fff0000..5c035fc109/.test(l))).toEqual([]);
    expect(lines.filter((l) => /^apdu > 00db3fff0000..<\d+ bytes redacted>$/.test(l)).length).toBeGreaterThanOrEqual(1);
    const reads = answerTo(/^apdu > 00cb3fff0000055c035fc1090000$/);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const a of reads) expect(a).toMatch(/^apdu < <\d+ bytes redacted> 9000$/);
  });
});
