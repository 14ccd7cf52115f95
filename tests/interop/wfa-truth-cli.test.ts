// The CLI tells the truth about the key, through pcscd: `npm run wfa` against a virtual 5.4.3 key, judged by
// ykman. Nothing refused changes the key; a change that happened is never
// reported as a failure; stale pairings and the last try are found from the key.
import { mkdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../scripts/lib/exec.ts';
import { DEFAULT_PIN, expectFailure, pinTriesLine, pivInfo, useVirtualYubiKey, ykman } from './harness.ts';
import { jsonOf, wfa } from './native-support.ts';

const NEW_PIN = '48273916';

describe('wfa tells the truth about the key, through pcscd', () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_700_012);
  const pair = (dataDir: string, extra: string[] = []) =>
    wfa(['pair', '--default-pin', '--data-dir', dataDir, '--user', 'alice', '--json', ...extra], { input: `${NEW_PIN}\n` });

  it('case 1: an audit log that cannot be written stops change-pin before the key is touched (STORE_UNREADABLE, old PIN still works)', async () => {
    const dataDir = key.file('data');
    expect((await pair(dataDir)).code).toBe(0);
    const audit = `${dataDir}/audit.log`;
    rmSync(audit, { force: true });
    mkdirSync(audit);
    const r = await wfa(['change-pin', '--data-dir', dataDir, '--json'], { input: `${NEW_PIN}\n40917263\n` });
    expect(r.code, describeFailure(r)).toBe(3);
    expect(jsonOf(r)).toEqual({
      error: expect.objectContaining({ code: 'STORE_UNREADABLE', detail: audit, message: expect.stringMatching(/audit\.log .*folder, not a file/) as unknown }),
    });
    expect(await pivInfo()).toMatch(pinTriesLine('yk5.4.3', 3));
    const verify = await wfa(['key', 'verify-pin', '--data-dir', dataDir], { input: `${NEW_PIN}\n` });
    expect(verify.code, describeFailure(verify)).toBe(0);
  });

  it('case 2: a data folder under /proc is DATA_DIR_UNUSABLE at once, not a hang; the key keeps its factory PIN', async () => {
    const r = await pair('/proc/wfa');
    expect(r.code, describeFailure(r)).toBe(3);
    expect(jsonOf(r)).toEqual({ error: expect.objectContaining({ code: 'DATA_DIR_UNUSABLE', detail: '/proc/wfa' }) });
    expect((await wfa(['key', 'verify-pin'], { input: `${DEFAULT_PIN}\n` })).code).toBe(0);
  });

  it('case 4: a user name that is no UPN is refused before the key changes (ykman: no certificate, default PIN and management key)', async () => {
    const r = await wfa(['pair', '--default-pin', '--data-dir', key.file('data'), '--user', 'x, O=Evil Corp, CN=admin', '--json'], { input: `${NEW_PIN}\n` });
    expect(r.code, describeFailure(r)).toBe(3);
    expect(jsonOf(r)).toEqual({ error: expect.objectContaining({ code: 'IDENTITY_INVALID' }) });
    const info = await pivInfo();
    expect(info).not.toMatch(/^Slot 9a:/m);
    expect(info).toContain('WARNING: Using default PIN!');
    expect(info).toContain('WARNING: Using default Management key!');
  });

  it('case 5: key reset on the paired key says so; status reports the stale pairing; change-pin refuses and changes nothing', async () => {
    const dataDir = key.file('data');
    expect((await pair(dataDir)).code).toBe(0);
    const reset = await wfa(['key', 'reset', '--yes', '--data-dir', dataDir]);
    expect(reset.code, describeFailure(reset)).toBe(0);
    expect(reset.stdout).toMatch(/This was the key paired on this computer: pair it again/);
    const status = await wfa(['status', '--data-dir', dataDir, '--json']);
    expect((jsonOf(status) as { problems: { code: string }[] }).problems.map((p) => p.code)).toEqual(['PAIRING_STALE']);
    const change = await wfa(['change-pin', '--data-dir', dataDir, '--json'], { input: `${DEFAULT_PIN}\n40917263\n` });
    expect(jsonOf(change)).toEqual({ error: expect.objectContaining({ code: 'PAIRING_STALE' }) });
    expect(await pivInfo()).toContain('WARNING: Using default PIN!');
  });

  it('case 6: pairing a key set up elsewhere with one PIN try left stops before the try (LAST_PIN_TRY), ykman still sees 1 try', async () => {
    expect((await pair(key.file('elsewhere'))).code).toBe(0);
    for (let i = 0; i < 2; i++) expectFailure(await ykman(['piv', 'access', 'change-pin', '-P', '000000', '-n', '11223344']));
    const r = await wfa(['pair', '--data-dir', key.file('data'), '--user', 'alice', '--json'], { input: `${NEW_PIN}\n40917263\n` });
    expect(r.code, describeFailure(r)).toBe(3);
    expect(jsonOf(r)).toEqual({ error: expect.objectContaining({ code: 'LAST_PIN_TRY', retries: 1 }) });
    expect(await pivInfo()).toMatch(pinTriesLine('yk5.4.3', 1));
  });

  it('--serial chooses the key; an unknown serial is NO_KEY naming the keys plugged in', async () => {
    expect(jsonOf(await wfa(['key', 'info', '--serial', String(key.serial), '--json']))).toMatchObject({ serial: key.serial });
    expect(jsonOf(await wfa(['key', 'info', '--serial', '1', '--json']))).toEqual({
      error: expect.objectContaining({ code: 'NO_KEY', message: expect.stringContaining(String(key.serial)) as unknown }),
    });
  });
});
