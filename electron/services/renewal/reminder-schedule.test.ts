// The renewal schedule at every boundary of the reminder rules: 30 d + 1 s,
// 30 d, 7 d, 1 d, 0 and after expiry; snooze rules; once per stage and once a
// day; the clock moved back; a time-zone change.
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, planSnooze, reminderSchedule, type StoredReminderState } from './reminder-schedule.ts';

const RENEWAL = { noticeDays: 30, urgentDays: 7, finalDays: 1 };
const NOT_AFTER = new Date('2027-03-01T12:00:00.000Z');
const SECOND = 1000;
const before = (ms: number): Date => new Date(NOT_AFTER.getTime() - ms);
const NOTHING: StoredReminderState = { snoozedUntil: null, lastShownAt: null, lastShownStage: 'none' };
const schedule = (now: Date, state: StoredReminderState = NOTHING) => reminderSchedule(NOT_AFTER, now, RENEWAL, state);

describe('stages at the boundaries', () => {
  it.each([
    ['30 days and 1 second before', before(30 * DAY_MS + SECOND), 'none', 31, false],
    ['exactly 30 days before', before(30 * DAY_MS), 'notice', 30, true],
    ['7 days and 1 second before', before(7 * DAY_MS + SECOND), 'notice', 8, true],
    ['exactly 7 days before', before(7 * DAY_MS), 'urgent', 7, true],
    ['1 day and 1 second before', before(DAY_MS + SECOND), 'urgent', 2, true],
    ['exactly 1 day before', before(DAY_MS), 'final', 1, false],
    ['1 second before', before(SECOND), 'final', 1, false],
    ['at expiry (0)', NOT_AFTER, 'expired', 0, false],
    ['3 days after expiry (negative)', before(-3 * DAY_MS), 'expired', -3, false],
  ] as const)('%s: %s, %i days left, snooze allowed: %s', (_label, now, stage, daysLeft, canSnooze) => {
    const { view } = schedule(now);
    expect(view).toMatchObject({ stage, daysLeft, canSnooze, snoozedUntil: null });
    expect(view.snoozeChoices.length > 0).toBe(canSnooze);
  });

  it('looks again exactly when the next stage begins, and at least hourly', () => {
    expect(schedule(before(30 * DAY_MS + SECOND)).nextCheckAt).toEqual(before(30 * DAY_MS));
    expect(schedule(before(7 * DAY_MS + 10 * SECOND)).nextCheckAt).toEqual(before(7 * DAY_MS));
    expect(schedule(before(DAY_MS + SECOND)).nextCheckAt).toEqual(before(DAY_MS));
    expect(schedule(before(SECOND)).nextCheckAt).toEqual(NOT_AFTER);
    const far = before(200 * DAY_MS);
    expect(schedule(far).nextCheckAt).toEqual(new Date(far.getTime() + HOUR_MS));
    const expired = before(-DAY_MS);
    expect(schedule(expired, { snoozedUntil: null, lastShownAt: expired.toISOString(), lastShownStage: 'expired' }).nextCheckAt).toEqual(
      new Date(expired.getTime() + HOUR_MS),
    );
  });

  it('a policy with equal thresholds skips the stage between them', () => {
    const renewal = { noticeDays: 30, urgentDays: 7, finalDays: 7 };
    const now = before(8 * DAY_MS);
    expect(reminderSchedule(NOT_AFTER, before(7 * DAY_MS + 60 * SECOND), renewal, NOTHING).nextCheckAt).toEqual(before(7 * DAY_MS));
    expect(reminderSchedule(NOT_AFTER, before(7 * DAY_MS), renewal, NOTHING).view.stage).toBe('final');
    expect(planSnooze(NOT_AFTER, now, renewal, 7)).toEqual({ allowed: true, until: before(7 * DAY_MS), days: 7 });
  });
});

describe('which reminder is due', () => {
  it('nothing before the notice stage; the notice once when the stage begins, then not again in that stage', () => {
    expect(schedule(before(30 * DAY_MS + SECOND)).due).toBeNull();
    const entry = before(30 * DAY_MS);
    expect(schedule(entry).due).toEqual({ stage: 'notice', daysLeft: 30, missedWhileAsleep: false });
    const shown: StoredReminderState = { snoozedUntil: null, lastShownAt: entry.toISOString(), lastShownStage: 'notice' };
    expect(schedule(new Date(entry.getTime() + 5 * DAY_MS), shown).due).toBeNull();
  });

  it('the urgent reminder once a day; the final and expired ones on entry', () => {
    const entry = before(7 * DAY_MS);
    const noticeShown: StoredReminderState = { snoozedUntil: null, lastShownAt: before(20 * DAY_MS).toISOString(), lastShownStage: 'notice' };
    expect(schedule(entry, noticeShown).due).toMatchObject({ stage: 'urgent', daysLeft: 7 });
    const shown: StoredReminderState = { snoozedUntil: null, lastShownAt: entry.toISOString(), lastShownStage: 'urgent' };
    const almostADay = new Date(entry.getTime() + DAY_MS - SECOND);
    expect(schedule(almostADay, shown).due).toBeNull();
    expect(schedule(almostADay, shown).nextCheckAt).toEqual(new Date(entry.getTime() + DAY_MS));
    expect(schedule(new Date(entry.getTime() + DAY_MS), shown).due).toMatchObject({ stage: 'urgent', daysLeft: 6 });
    expect(schedule(before(DAY_MS), shown).due).toMatchObject({ stage: 'final', daysLeft: 1 });
    expect(schedule(NOT_AFTER, { ...shown, lastShownAt: before(DAY_MS).toISOString(), lastShownStage: 'final' }).due).toMatchObject({
      stage: 'expired',
      daysLeft: 0,
    });
  });

  it('nothing while snoozed; the reminder comes back when the snooze ends', () => {
    const now = before(20 * DAY_MS);
    const snoozed: StoredReminderState = {
      snoozedUntil: before(17 * DAY_MS).toISOString(),
      lastShownAt: before(25 * DAY_MS).toISOString(),
      lastShownStage: 'notice',
    };
    const during = schedule(now, snoozed);
    expect(during.due).toBeNull();
    expect(during.view.snoozedUntil).toBe(snoozed.snoozedUntil);
    expect(during.nextCheckAt.getTime()).toBeLessThanOrEqual(now.getTime() + HOUR_MS);
    const after = schedule(before(17 * DAY_MS), snoozed);
    expect(after.view.snoozedUntil).toBeNull();
    expect(after.due).toMatchObject({ stage: 'notice', daysLeft: 17 });
    // Shown again after the snooze: not a third time.
    expect(schedule(before(16 * DAY_MS), { ...snoozed, lastShownAt: before(17 * DAY_MS).toISOString() }).due).toBeNull();
  });

  it('a clock moved back: a "last shown" in the future is not trusted, the reminder is shown again', () => {
    const shownAt = before(5 * DAY_MS);
    const state: StoredReminderState = { snoozedUntil: null, lastShownAt: shownAt.toISOString(), lastShownStage: 'urgent' };
    expect(schedule(new Date(shownAt.getTime() + HOUR_MS), state).due).toBeNull();
    const movedBack = new Date(shownAt.getTime() - 2 * HOUR_MS);
    expect(schedule(movedBack, state).due).toMatchObject({ stage: 'urgent', daysLeft: 6 });
  });

  it('a clock moved back: a snooze longer than could be chosen now no longer hides the urgent reminder', () => {
    const snoozedAt = before(3 * DAY_MS);
    const state: StoredReminderState = {
      snoozedUntil: new Date(snoozedAt.getTime() + DAY_MS).toISOString(),
      lastShownAt: snoozedAt.toISOString(),
      lastShownStage: 'urgent',
    };
    expect(schedule(snoozedAt, state).view.snoozedUntil).toBe(state.snoozedUntil);
    const movedBack = new Date(snoozedAt.getTime() - 2 * DAY_MS);
    const view = schedule(movedBack, state);
    expect(view.view.snoozedUntil).toBeNull();
    expect(view.due).toMatchObject({ stage: 'urgent' });
  });

  it('a time-zone change moves nothing: the schedule depends on instants only', () => {
    const now = new Date('2027-02-22T23:30:00.000Z');
    const state: StoredReminderState = { snoozedUntil: null, lastShownAt: '2027-02-22T08:00:00.000Z', lastShownStage: 'urgent' };
    const inUtc = schedule(now, state);
    const original = process.env['TZ'];
    try {
      for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata']) {
        process.env['TZ'] = zone;
        // The same instant, written with a local offset as a client in that zone would store it.
        const local = new Date(now.getTime());
        expect(schedule(local, state)).toEqual(inUtc);
        expect(planSnooze(NOT_AFTER, local, RENEWAL)).toEqual(planSnooze(NOT_AFTER, now, RENEWAL));
      }
    } finally {
      if (original === undefined) delete process.env['TZ'];
      else process.env['TZ'] = original;
    }
    expect(inUtc.view).toMatchObject({ stage: 'urgent', daysLeft: 7 });
  });
});

describe('snooze rules', () => {
  it('in the notice stage: 1, 3 or 7 days, never past the urgent threshold', () => {
    const now = before(20 * DAY_MS);
    expect(schedule(now).view.snoozeChoices).toEqual([1, 3, 7]);
    expect(planSnooze(NOT_AFTER, now, RENEWAL, 7)).toEqual({ allowed: true, until: before(13 * DAY_MS), days: 7 });
    const close = before(9 * DAY_MS);
    expect(schedule(close).view.snoozeChoices).toEqual([1]);
    expect(planSnooze(NOT_AFTER, close, RENEWAL, 30)).toEqual({ allowed: true, until: before(7 * DAY_MS), days: 30 });
    // Less than a day left in the stage: one day is offered, cut at the threshold.
    const lastHour = before(7 * DAY_MS + HOUR_MS);
    expect(schedule(lastHour).view.snoozeChoices).toEqual([1]);
    expect(planSnooze(NOT_AFTER, lastHour, RENEWAL)).toMatchObject({ allowed: true, until: before(7 * DAY_MS) });
  });

  it('in the urgent stage: at most until the next day, and never past the final threshold', () => {
    const now = before(5 * DAY_MS);
    expect(schedule(now).view.snoozeChoices).toEqual([1]);
    expect(planSnooze(NOT_AFTER, now, RENEWAL, 3)).toEqual({ allowed: true, until: before(4 * DAY_MS), days: 3 });
    const late = before(DAY_MS + 6 * HOUR_MS);
    expect(planSnooze(NOT_AFTER, late, RENEWAL, 1)).toEqual({ allowed: true, until: before(DAY_MS), days: 1 });
  });

  it('refused in the final and expired stages, and before any reminder', () => {
    expect(planSnooze(NOT_AFTER, before(DAY_MS), RENEWAL)).toEqual({ allowed: false, stage: 'final' });
    expect(planSnooze(NOT_AFTER, before(HOUR_MS), RENEWAL, 1)).toEqual({ allowed: false, stage: 'final' });
    expect(planSnooze(NOT_AFTER, NOT_AFTER, RENEWAL)).toEqual({ allowed: false, stage: 'expired' });
    expect(planSnooze(NOT_AFTER, before(40 * DAY_MS), RENEWAL)).toEqual({ allowed: false, stage: 'none' });
  });

  it('a snooze stored in the notice stage does not carry into the urgent stage', () => {
    const state: StoredReminderState = {
      snoozedUntil: before(7 * DAY_MS).toISOString(),
      lastShownAt: before(10 * DAY_MS).toISOString(),
      lastShownStage: 'notice',
    };
    expect(schedule(before(7 * DAY_MS + SECOND), state).view.snoozedUntil).toBe(state.snoozedUntil);
    const urgent = schedule(before(7 * DAY_MS), state);
    expect(urgent.view.snoozedUntil).toBeNull();
    expect(urgent.due).toMatchObject({ stage: 'urgent' });
  });
});
