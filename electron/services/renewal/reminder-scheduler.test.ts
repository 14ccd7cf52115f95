// The ReminderScheduler with an injected clock and timer, over the real
// pairing store in a temporary folder: start, timer, resume after sleep,
// clock changes, snooze rules and their persistence across a restart.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReminderDue, ReminderView } from '../../ipc/contract.ts';
import type { AuditEntry } from '../audit/audit-log.ts';
import { emptyPairingState, type PairingState, pairingStore } from '../pairing/pairing-store.ts';
import { policySchema } from '../policy/policy-schema.ts';
import type { JsonStore } from '../store/json-store.ts';
import { DAY_MS, HOUR_MS } from './reminder-schedule.ts';
import { ReminderScheduler } from './reminder-scheduler.ts';

const NOT_AFTER = new Date('2027-03-01T12:00:00.000Z');
const before = (ms: number): Date => new Date(NOT_AFTER.getTime() - ms);

class Harness {
  now: Date;
  readonly changed: (ReminderView | null)[] = [];
  readonly due: ReminderDue[] = [];
  readonly audit: AuditEntry[] = [];
  /** The one armed timer: when it fires, in clock time. */
  timer: { at: number; fire: () => void } | null = null;
  readonly scheduler: ReminderScheduler;

  constructor(
    readonly store: JsonStore<PairingState>,
    now: Date,
  ) {
    this.now = now;
    this.scheduler = this.make();
  }

  make(): ReminderScheduler {
    return new ReminderScheduler({
      clock: () => this.now,
      setTimer: (fire, ms) => {
        const timer = { at: this.now.getTime() + ms, fire };
        this.timer = timer;
        return () => {
          if (this.timer === timer) this.timer = null;
        };
      },
      store: this.store,
      policy: policySchema.parse({}),
      onChanged: (v) => this.changed.push(v),
      onDue: (d) => this.due.push(d),
      audit: { record: async (e) => void this.audit.push(e) },
    });
  }

  /** Lets time pass as a running machine does: every timer in between fires on time. */
  async advanceTo(target: Date): Promise<void> {
    while (this.timer !== null && this.timer.at <= target.getTime()) {
      const { at, fire } = this.timer;
      this.timer = null;
      this.now = new Date(at);
      fire();
      await this.settle();
    }
    this.now = target;
  }

  async settle(): Promise<void> {
    await this.scheduler.evaluate('timer').catch(() => undefined);
  }
}

async function pairedStore(notAfter = NOT_AFTER): Promise<JsonStore<PairingState>> {
  const store = pairingStore(await mkdtemp(join(tmpdir(), 'wfa-reminders-')));
  await store.write({
    ...emptyPairingState(),
    pairing: {
      serial: 21000001,
      model: 'YubiKey 5 NFC',
      firmware: '5.4.3',
      algorithm: 'RSA2048',
      certificate: { serial: '0a', subject: 'CN=alice', notAfter: notAfter.toISOString(), thumbprint: 'a'.repeat(64), derBase64: '' },
      pairedAt: '2026-03-01T12:00:00.000Z',
    },
  });
  return store;
}

describe('ReminderScheduler', () => {
  let store: JsonStore<PairingState>;
  beforeEach(async () => {
    store = await pairedStore();
  });

  it('on start: sends the view, shows the due reminder once, records it, and checks again at least hourly', async () => {
    const h = new Harness(store, before(10 * DAY_MS));
    await h.scheduler.start();
    expect(h.changed).toEqual([expect.objectContaining({ stage: 'notice', daysLeft: 10, canSnooze: true })]);
    expect(h.due).toEqual([{ stage: 'notice', daysLeft: 10, missedWhileAsleep: false }]);
    expect(h.audit).toEqual([expect.objectContaining({ event: 'RENEWAL_REMINDER_SHOWN', outcome: 'success', keySerial: 21000001 })]);
    expect((await store.read()).reminder).toMatchObject({ lastShownStage: 'notice', lastShownAt: before(10 * DAY_MS).toISOString() });
    expect(h.timer!.at - h.now.getTime()).toBeLessThanOrEqual(HOUR_MS);
    await h.advanceTo(before(9 * DAY_MS));
    expect(h.due).toHaveLength(1);
    // A restart in the same stage does not show it again.
    const restarted = new Harness(store, before(9 * DAY_MS));
    await restarted.scheduler.start();
    expect(restarted.due).toEqual([]);
    h.scheduler.stop();
    restarted.scheduler.stop();
  });

  it('while running: the urgent stage at its threshold, then once a day, then final and expired', async () => {
    const h = new Harness(store, before(8 * DAY_MS));
    await h.scheduler.start();
    await h.advanceTo(before(7 * DAY_MS));
    expect(h.due.map((d) => d.stage)).toEqual(['notice', 'urgent']);
    await h.advanceTo(before(6 * DAY_MS - HOUR_MS));
    expect(h.due.map((d) => `${d.stage}:${d.daysLeft}`)).toEqual(['notice:8', 'urgent:7', 'urgent:6']);
    await h.advanceTo(before(-DAY_MS));
    expect(h.due.map((d) => d.stage).slice(-3)).toEqual(['final', 'expired', 'expired']);
    expect(h.changed.at(-1)).toMatchObject({ stage: 'expired', canSnooze: false, snoozeChoices: [] });
    h.scheduler.stop();
  });

  it('a reminder missed while asleep is shown once on wake', async () => {
    const h = new Harness(store, before(40 * DAY_MS));
    await h.scheduler.start();
    expect(h.due).toEqual([]);
    // Asleep: no timer fires. Waking up 8 days before expiry (notice began meanwhile).
    h.now = before(8 * DAY_MS);
    await h.scheduler.evaluate('resume');
    await h.scheduler.evaluate('resume');
    expect(h.due).toEqual([{ stage: 'notice', daysLeft: 8, missedWhileAsleep: true }]);
    expect(h.audit.filter((e) => e.event === 'RENEWAL_REMINDER_SHOWN')).toHaveLength(1);
    h.scheduler.stop();
  });

  it('a clock moved back re-evaluates: the stage follows the clock, and an untrustworthy "last shown" shows the reminder again', async () => {
    const h = new Harness(store, before(5 * DAY_MS));
    await h.scheduler.start();
    expect(h.due).toHaveLength(1);
    h.now = before(12 * DAY_MS);
    await h.scheduler.evaluate('clock-change');
    expect(h.changed.at(-1)).toMatchObject({ stage: 'notice', daysLeft: 12 });
    expect(h.due.at(-1)).toMatchObject({ stage: 'notice', daysLeft: 12 });
    h.now = before(40 * DAY_MS);
    await h.scheduler.evaluate('clock-change');
    expect(h.changed.at(-1)).toMatchObject({ stage: 'none' });
    h.scheduler.stop();
  });

  it('snooze: stored, survives a restart, hides the reminder until it ends, then shows it again', async () => {
    const h = new Harness(store, before(20 * DAY_MS));
    await h.scheduler.start();
    const view = await h.scheduler.snooze(3);
    expect(view).toMatchObject({ stage: 'notice', snoozedUntil: before(17 * DAY_MS).toISOString() });
    expect(h.audit.at(-1)).toMatchObject({ event: 'RENEWAL_SNOOZED', outcome: 'success' });
    h.scheduler.stop();

    const restarted = new Harness(store, before(18 * DAY_MS));
    await restarted.scheduler.start();
    expect(restarted.changed.at(-1)).toMatchObject({ snoozedUntil: before(17 * DAY_MS).toISOString() });
    expect(restarted.due).toEqual([]);
    await restarted.advanceTo(before(17 * DAY_MS - 1));
    expect(restarted.due).toEqual([{ stage: 'notice', daysLeft: 17, missedWhileAsleep: false }]);
    expect(restarted.changed.at(-1)).toMatchObject({ snoozedUntil: null });
    restarted.scheduler.stop();
  });

  it('snooze in the urgent stage lasts at most until the next day; refused in final and expired with SNOOZE_NOT_ALLOWED', async () => {
    const h = new Harness(store, before(3 * DAY_MS));
    expect(await h.scheduler.snooze(7)).toMatchObject({ stage: 'urgent', snoozedUntil: before(2 * DAY_MS).toISOString() });
    for (const at of [before(DAY_MS), before(HOUR_MS), NOT_AFTER, before(-DAY_MS)]) {
      h.now = at;
      await expect(h.scheduler.snooze()).rejects.toMatchObject({ appError: { code: 'SNOOZE_NOT_ALLOWED' } });
      await expect(h.scheduler.snooze(1)).rejects.toMatchObject({ appError: { code: 'SNOOZE_NOT_ALLOWED' } });
    }
    // Refused, never silently stored.
    expect((await store.read()).reminder.snoozedUntil).toBe(before(2 * DAY_MS).toISOString());
  });

  it('no pairing: the view is null and snoozing is NOT_PAIRED', async () => {
    const empty = pairingStore(await mkdtemp(join(tmpdir(), 'wfa-reminders-')));
    const h = new Harness(empty, before(3 * DAY_MS));
    await h.scheduler.start();
    expect(h.changed).toEqual([null]);
    await expect(h.scheduler.snooze()).rejects.toMatchObject({ appError: { code: 'NOT_PAIRED' } });
    h.scheduler.stop();
    expect(h.timer).toBeNull();
  });
});
