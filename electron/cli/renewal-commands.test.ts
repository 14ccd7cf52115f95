// `wfa status --json`, `wfa snooze` and `wfa renew` at every reminder stage:
// with the local CA issuing certificates valid for 20, 5 and 1 days,
// after pairing the reminder is notice, urgent and final; snooze works for
// the first two and is refused for the last (exit 3, SNOOZE_NOT_ALLOWED); the
// snooze survives a restart (every `wfa` run is a new start of the services).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualTransport } from '../../native/virtual-yubikey/virtual-transport.ts';
import { createVirtualYubiKey } from '../../native/virtual-yubikey/index.ts';
import { SettingsService } from '../services/settings/settings-store.ts';
import { wfa } from './cli-test-support.ts';

const PIN = '583920';
const DAY_MS = 24 * 60 * 60 * 1000;

async function pairedWithValidity(days: number) {
  const t = new VirtualTransport();
  t.insert('Virtual PCD 00 00', createVirtualYubiKey({ profile: 'yk5.4.3', serial: 22100000 + days }));
  const dir = await mkdtemp(join(tmpdir(), 'wfa-cli-renewal-'));
  const config = join(dir, 'policy.json');
  await writeFile(config, JSON.stringify({ certificate: { validityDays: days } }));
  const base = ['--data-dir', join(dir, 'data'), '--config', config];
  const run = (args: string[], stdin = '') => wfa(t, [...args, ...base], stdin);
  const paired = await run(['pair', '--default-pin', '--user', 'bob', '--json'], `${PIN}\n`);
  expect(paired.code, paired.stderr + paired.stdout).toBe(0);
  return { t, run, dataDir: join(dir, 'data') };
}

const json = (stdout: string): Record<string, unknown> => JSON.parse(stdout) as Record<string, unknown>;

describe('wfa status, snooze and renew', { timeout: 120_000 }, () => {
  it.each([
    [20, 'notice', 20],
    [5, 'urgent', 5],
  ] as const)('certificates valid %i days: %s, snooze allowed, stored, and still snoozed at the next start', async (validity, stage, daysLeft) => {
    const { run } = await pairedWithValidity(validity);
    const status = json((await run(['status', '--json'])).stdout);
    expect(status['reminder']).toEqual({ stage, daysLeft, canSnooze: true, snoozedUntil: null, snoozeChoices: expect.any(Array) as unknown });

    const before = Date.now();
    const snoozed = await run(['snooze', '--json']);
    expect(snoozed.code, snoozed.stdout).toBe(0);
    const until = json(snoozed.stdout)['snoozedUntil'] as string;
    expect(until).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // One day by default; urgent: never more than until the next day.
    expect(new Date(until).getTime() - before).toBeGreaterThan(DAY_MS - 60_000);
    expect(new Date(until).getTime() - before).toBeLessThanOrEqual(DAY_MS + 60_000);

    const later = json((await run(['status', '--json'])).stdout);
    expect(later['reminder']).toMatchObject({ stage, snoozedUntil: until, canSnooze: true });
    expect((await run(['status'])).stdout).toContain(`Reminder:        ${stage} (snoozed until ${until})`);
  });

  it('the urgent stage: --days 7 is cut to the next day; the notice stage: --days 7 is kept', async () => {
    const urgent = await pairedWithValidity(5);
    const cut = json((await urgent.run(['snooze', '--days', '7', '--json'])).stdout);
    expect(new Date(cut['snoozedUntil'] as string).getTime() - Date.now()).toBeLessThanOrEqual(DAY_MS);
    const notice = await pairedWithValidity(20);
    const kept = json((await notice.run(['snooze', '--days', '7', '--json'])).stdout);
    expect(new Date(kept['snoozedUntil'] as string).getTime() - Date.now()).toBeGreaterThan(6 * DAY_MS);
    // The choice is remembered, to be offered first next time.
    expect(await new SettingsService(notice.dataDir).read()).toMatchObject({ lastSnoozeDays: 7 });
    expect((await notice.run(['snooze', '--days', '0'])).code).toBe(2);
    expect((await notice.run(['snooze', '--days', 'soon'])).code).toBe(2);
  });

  it('certificates valid 1 day: final, snooze refused with exit 3 and SNOOZE_NOT_ALLOWED, nothing stored', async () => {
    const { run } = await pairedWithValidity(1);
    expect(json((await run(['status', '--json'])).stdout)['reminder']).toEqual({
      stage: 'final',
      daysLeft: 1,
      canSnooze: false,
      snoozedUntil: null,
      snoozeChoices: [],
    });
    for (const args of [
      ['snooze', '--json'],
      ['snooze', '--days', '1', '--json'],
    ]) {
      const refused = await run(args);
      expect(refused.code).toBe(3);
      expect(json(refused.stdout)).toMatchObject({ error: { code: 'SNOOZE_NOT_ALLOWED', message: expect.stringContaining('Renew') as unknown } });
    }
    const text = await run(['snooze']);
    expect(text.code).toBe(3);
    expect(text.stderr).toMatch(/^SNOOZE_NOT_ALLOWED: /);
    expect(json((await run(['status', '--json'])).stdout)['reminder']).toMatchObject({ stage: 'final', snoozedUntil: null });
  });

  it('wfa renew (stdin: PIN): a new certificate in the record (still 5 days: the same policy); --reader with another key is OTHER_KEY', async () => {
    const { t, run } = await pairedWithValidity(5);
    const before = json((await run(['status', '--json'])).stdout)['pairing'] as { certificate: { serial: string; notAfter: string } };
    const renewed = await run(['renew', '--json'], `${PIN}\n`);
    expect(renewed.code, renewed.stdout + renewed.stderr).toBe(0);
    expect(renewed.stderr).toMatch(/\[5\/5\] saving/);
    expect(renewed.stdout + renewed.stderr).not.toContain(PIN);
    const view = json(renewed.stdout);
    expect(view).toMatchObject({ serial: 22100005, previousSerial: before.certificate.serial, warnings: [] });
    expect((view['certificate'] as { serial: string }).serial).not.toBe(before.certificate.serial);
    const after = json((await run(['status', '--json'])).stdout);
    expect(after['pairing']).toMatchObject({ certificate: view['certificate'] });
    expect(after['reminder']).toMatchObject({ stage: 'urgent' });

    t.insert('Virtual PCD 00 01', createVirtualYubiKey({ profile: 'yk5.4.3', serial: 22199999 }));
    const other = await run(['renew', '--reader', 'Virtual PCD 00 01', '--json'], `${PIN}\n`);
    expect(other.code).toBe(3);
    expect(json(other.stdout)).toMatchObject({ error: { code: 'OTHER_KEY', message: expect.stringMatching(/22199999.*22100005/) as unknown } });
  });
});
