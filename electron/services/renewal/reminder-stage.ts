// Which renewal reminder applies (design.md, "Renewal"; policy.renewal):
// from noticeDays before expiry (snooze allowed), from urgentDays (the app
// asks; snooze allowed), from finalDays (no snooze). Days are whole days left.
import type { ReminderStage, ReminderView } from '../../ipc/contract.ts';
import type { Policy } from '../policy/policy-schema.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysLeft(notAfter: Date, now: Date): number {
  return Math.ceil((notAfter.getTime() - now.getTime()) / DAY_MS);
}

export function reminderStage(days: number, renewal: Policy['renewal']): ReminderStage {
  if (days <= 0) return 'expired';
  if (days <= renewal.finalDays) return 'final';
  if (days <= renewal.urgentDays) return 'urgent';
  if (days <= renewal.noticeDays) return 'notice';
  return 'none';
}

export function reminderView(notAfter: Date, now: Date, renewal: Policy['renewal'], snoozedUntil: string | null): ReminderView {
  const days = daysLeft(notAfter, now);
  const stage = reminderStage(days, renewal);
  const canSnooze = stage === 'notice' || stage === 'urgent';
  const snoozeActive = canSnooze && snoozedUntil !== null && new Date(snoozedUntil) > now;
  return { stage, daysLeft: days, snoozedUntil: snoozeActive ? snoozedUntil : null, canSnooze, snoozeChoices: canSnooze ? [1] : [] };
}
