// The CLI's promises, in-process (virtual keys): one JSON object for
// every outcome, flags a command does not take are usage errors, one key
// selection everywhere (--reader, --serial, paired, only), the last try not
// spent without --yes, the next step after a blocked PIN, Windows-made policy
// files, and relative paths taken from the user's folder (npm's INIT_CWD).
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualTransport } from '../../native/virtual-yubikey/virtual-transport.ts';
import { createVirtualYubiKey } from '../../native/virtual-yubikey/index.ts';
import { wfa } from './cli-test-support.ts';

const R0 = 'Virtual PCD 00 00';
const R1 = 'Virtual PCD 00 01';

async function twoKeys() {
  const t = new VirtualTransport();
  t.insert(R0, createVirtualYubiKey({ profile: 'yk5.4.3', serial: 23000001 }));
  t.insert(R1, createVirtualYubiKey({ profile: 'yk5.7.1', serial: 23000002 }));
  const dir = await mkdtemp(join(tmpdir(), 'wfa-cli12-'));
  return { t, dir, run: (args: string[], stdin = '') => wfa(t, [...args, '--data-dir', dir], stdin) };
}

const only = (stdout: string): unknown => {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const value = JSON.parse(lines[0]!) as unknown;
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value;
};

describe('case 9: with --json, exactly one JSON object on stdout, whatever happens', () => {
  const t = new VirtualTransport();
  t.insert(R0, null);
  it.each([
    [[], 2, 'USAGE'],
    [['key'], 2, 'USAGE'],
    [['key', 'frobnicate'], 2, 'USAGE'],
    [['frobnicate'], 2, 'USAGE'],
    [['status', '--yes'], 2, 'USAGE'],
    [['status', '--reader', R0], 2, 'USAGE'],
    [['key', 'list', '--serial', '5'], 2, 'USAGE'],
    [['key', 'info', '--serial', 'abc'], 2, 'USAGE'],
    [['status', '--bogus'], 2, 'USAGE'],
    [['key', 'info'], 3, 'NO_KEY'],
    [['enroll-test', '--data-dir', '/proc/wfa'], 3, 'DATA_DIR_UNUSABLE'],
  ] as const)('wfa %j --json: exit %i, {"error": {"code": "%s"}}', async (args, exit, code) => {
    const r = await wfa(t, [...args, '--json']);
    expect(r.code).toBe(exit);
    expect(only(r.stdout)).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) as unknown }) });
  });

  it('"wfa key" alone names the key commands; --help --json is one object too', async () => {
    const r = await wfa(t, ['key']);
    expect(r.stderr).toMatch(/"key" needs a key command: list, info, verify-pin, change-pin, change-puk, unblock-pin, reset/);
    const help = await wfa(t, ['--help', '--json']);
    expect(help.code).toBe(0);
    expect(only(help.stdout)).toEqual({ usage: expect.stringContaining('Usage: npm run wfa') as unknown });
    expect(only((await wfa(t, ['key', 'list', '--json'])).stdout)).toEqual({ keys: [] });
  });
});

describe('one key selection for every command', { timeout: 120_000 }, () => {
  it('--reader and --serial choose; an unknown reader lists the readers; two keys name --reader/--serial', async () => {
    const { run } = await twoKeys();
    const many = await run(['key', 'info', '--json']);
    expect(only(many.stdout)).toEqual({
      error: expect.objectContaining({ code: 'MULTIPLE_KEYS', message: expect.stringMatching(/23000001.*23000002.*--reader NAME or --serial N/) as unknown }),
    });
    expect(only((await run(['key', 'info', '--serial', '23000002', '--json'])).stdout)).toMatchObject({ serial: 23000002, reader: R1 });
    expect(only((await run(['key', 'info', '--reader', R1, '--json'])).stdout)).toMatchObject({ serial: 23000002 });
    const nowhere = await run(['key', 'info', '--reader', 'Nope', '--json']);
    expect(only(nowhere.stdout)).toEqual({
      error: expect.objectContaining({ code: 'READER_NOT_FOUND', message: `There is no reader called "Nope". Readers: "${R0}", "${R1}".` }),
    });
    const missing = await run(['key', 'info', '--serial', '999', '--json']);
    expect(only(missing.stdout)).toEqual({
      error: expect.objectContaining({ code: 'NO_KEY', message: expect.stringMatching(/999 is not plugged in.*23000001, 23000002/) as unknown }),
    });
    const both = await run(['key', 'info', '--reader', R0, '--serial', '23000002', '--json']);
    expect(only(both.stdout)).toMatchObject({ error: { code: 'NO_KEY' } });
  });

  it('the paired key is the default; another key is OTHER_KEY naming both serials until --other-key confirms (case 10)', async () => {
    const { run, t } = await twoKeys();
    const paired = await run(['pair', '--serial', '23000001', '--default-pin', '--user', 'carol', '--json'], '583920\n');
    expect(only(paired.stdout)).toMatchObject({ serial: 23000001, warnings: [] });
    // With two keys plugged in, the paired one is chosen without flags.
    expect(only((await run(['check', '--json'], '583920\n')).stdout)).toMatchObject({ serial: 23000001 });
    const other = await run(['deregister', '--yes', '--serial', '23000002', '--json']);
    expect(other.code).toBe(3);
    expect(only(other.stdout)).toEqual({
      error: expect.objectContaining({ code: 'OTHER_KEY', message: expect.stringMatching(/23000002 is not the paired key \(23000001\)/) as unknown }),
    });
    const confirmed = await run(['deregister', '--yes', '--serial', '23000002', '--other-key', '--json']);
    expect(only(confirmed.stdout)).toEqual({ revoked: false, warnings: [] });
    // The paired key is unplugged: the only key left is not it.
    t.remove(R0);
    const changed = await run(['change-pin', '--json'], '123456\n40917263\n');
    expect(only(changed.stdout)).toEqual({
      error: expect.objectContaining({ code: 'OTHER_KEY', message: expect.stringMatching(/23000002.*23000001/) as unknown }),
    });
    const status = only((await run(['status', '--json'])).stdout) as { pairing: { serial: number } };
    expect(status.pairing.serial).toBe(23000001);
  });
});

describe('cases 6 and 10 through the CLI', { timeout: 120_000 }, () => {
  it('the last PIN try is not spent without --yes; a blocked PIN says what to do next, in check and status', async () => {
    const { run } = await twoKeys();
    await run(['pair', '--serial', '23000001', '--default-pin', '--user', 'carol'], '583920\n');
    for (let i = 0; i < 2; i++) await run(['check'], '000000\n');
    const last = await run(['check', '--json'], '000000\n');
    expect(only(last.stdout)).toEqual({
      error: expect.objectContaining({ code: 'LAST_PIN_TRY', retries: 1, message: expect.stringMatching(/--yes/) as unknown }),
    });
    expect((await run(['check', '--yes'], '000000\n')).code).toBe(3);
    const blocked = await run(['check'], '583920\n');
    expect(blocked.stderr).toMatch(/^SMART_CARD_BLOCKED: The smart card is blocked\. .*administrator must reset .*unblock-pin.*pair the key again/m);
    const status = await run(['status']);
    expect(status.stdout).toMatch(/PIN tries left 0 \(blocked\)/);
    expect(status.stdout).toMatch(/^Problem: +SMART_CARD_BLOCKED: The PIN of security key 23000001 is blocked\..*pair it again/m);
  });

  it('a PIN the rules refuse names the rule and never reaches the key', async () => {
    const { run } = await twoKeys();
    await run(['pair', '--serial', '23000001', '--default-pin', '--user', 'carol'], '583920\n');
    for (const [pin, words] of [
      ['583920174', /must be 6 to 8 characters long \(it has 9\)/],
      ['58392', /it has 5/],
      ['5839 20', /letters, digits and symbols only/],
      ['5839é2', /letters, digits and symbols only/],
    ] as const) {
      const r = await run(['change-pin', '--json'], `583920\n${pin}\n`);
      expect(only(r.stdout)).toEqual({
        error: expect.objectContaining({ code: 'PIN_TOO_WEAK', message: expect.stringMatching(words) as unknown, field: 'newPin' }),
      });
    }
    const verify = await run(['key', 'verify-pin', '--serial', '23000001', '--json'], '123456789\n');
    expect(only(verify.stdout)).toEqual({
      error: expect.objectContaining({
        code: 'PIN_FORMAT',
        message: expect.stringMatching(/6 to 8 characters long \(this one has 9\)\. Nothing was sent/) as unknown,
      }),
    });
    const info = only((await run(['key', 'info', '--serial', '23000001', '--json'])).stdout) as { pinRetries: number };
    expect(info.pinRetries).toBe(3);
  });

  it('key reset on the paired key says so; status then reports the stale pairing (case 5)', async () => {
    const { run } = await twoKeys();
    await run(['pair', '--serial', '23000001', '--default-pin', '--user', 'carol'], '583920\n');
    const refused = await run(['key', 'reset', '--serial', '23000001']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Security key 23000001 is the key paired on this computer/);
    const reset = await run(['key', 'reset', '--serial', '23000001', '--yes']);
    expect(reset.stdout).toMatch(/This was the key paired on this computer: pair it again/);
    const status = only((await run(['status', '--json'])).stdout) as { problems: { code: string }[] };
    expect(status.problems.map((p) => p.code)).toEqual(['PAIRING_STALE']);
    expect((await run(['pair', '--serial', '23000001', '--default-pin', '--user', 'carol'], '583920\n')).code).toBe(0);
  });
});

describe("Windows-made files and the user's folder", { timeout: 60_000 }, () => {
  it('a policy with a byte-order mark and CRLF line ends is read; relative --config and --data-dir are taken from INIT_CWD', async () => {
    const userDir = await mkdtemp(join(tmpdir(), 'wfa-user-'));
    await mkdir(join(userDir, 'conf'));
    await writeFile(join(userDir, 'conf', 'policy.json'), '\uFEFF{\r\n  "certificate": { "validityDays": 30 }\r\n}\r\n');
    const t = new VirtualTransport();
    t.insert(R0, null);
    const r = await wfa(t, ['enroll-test', '--config', 'conf/policy.json', '--data-dir', 'data', '--json'], '', { INIT_CWD: userDir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(only(r.stdout)).toMatchObject({ ok: true });
    expect(await readdir(join(userDir, 'data'))).toContain('local-ca');
  });
});
