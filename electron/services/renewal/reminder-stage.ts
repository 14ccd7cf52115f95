// Which renewal reminder applies (design.md, "Renewal"; policy.renewal):
// from noticeDays before expiry (snooze allowed), from urgentDays (the app
// asks; snooze allowed), from finalDays (no snooze). Days are whole days left,
// rounded up: 30 days and 1 second before expiry is 31 days.
import type { ReminderStage } from '../../ipc/contract.ts';
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
