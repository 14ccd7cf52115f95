// The renewal reminder schedule, pure, so every boundary is testable (design.md,
// "Renewal"): from the certificate's expiry, the time now, the policy and the
// stored reminder state, what the user sees (the view), what to show now (a
// due reminder, at most one) and when to look again. Everything is computed
// from instants, never from local calendar days, so a time-zone change moves
// nothing; a stored time in the future (the clock moved back) is not trusted.
import type { ReminderDue, ReminderStage, ReminderView } from '../../ipc/contract.ts';
import type { Policy } from '../policy/policy-schema.ts';
import { daysLeft, reminderStage } from './reminder-stage.ts';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** The reminder state kept beside the pairing record (pairing-store.ts). */
export interface StoredReminderState {
  readonly snoozedUntil: string | null;
  /** When a reminder was last shown, and for which stage. */
  readonly lastShownAt: string | null;
  readonly lastShownStage: ReminderStage;
}

export interface ReminderSchedule {
  readonly view: ReminderView;
  readonly due: ReminderDue | null;
  /** The next instant the schedule can change: a stage threshold, a snooze's end, tomorrow's reminder. */
  readonly nextCheckAt: Date;
}

type Renewal = Policy['renewal'];

/** The snooze lengths offered, in days; those reaching past the next stage are left out. */
const SNOOZE_DAYS: Readonly<Record<'notice' | 'urgent', readonly number[]>> = { notice: [1, 3, 7], urgent: [1] };

/** The instant a stage begins (notice: noticeDays before expiry, …, expired: the expiry itself). */
export function stageStart(stage: Exclude<ReminderStage, 'none'>, notAfter: Date, renewal: Renewal): Date {
  const days = { notice: renewal.noticeDays, urgent: renewal.urgentDays, final: renewal.finalDays, expired: 0 }[stage];
  return new Date(notAfter.getTime() - days * DAY_MS);
}

const NEXT_STAGE: Readonly<Record<ReminderStage, Exclude<ReminderStage, 'none'> | null>> = {
  none: 'notice',
  notice: 'urgent',
  urgent: 'final',
  final: 'expired',
  expired: null,
};

/** When the current stage ends (the next one begins), or null in the expired stage. */
function nextStageStart(stage: ReminderStage, notAfter: Date, renewal: Renewal): Date | null {
  let next = NEXT_STAGE[stage];
  // Equal thresholds in the policy (e.g. urgentDays = finalDays) skip a stage.
  while (next !== null) {
    const start = stageStart(next, notAfter, renewal);
    if (reminderStage(daysLeft(notAfter, start), renewal) === next) return start;
    next = NEXT_STAGE[next];
  }
  return null;
}

/** The latest a snooze made now may last: the next stage's threshold, and for urgent also one day. */
function snoozeLimit(stage: ReminderStage, notAfter: Date, now: Date, renewal: Renewal): Date | null {
  if (stage !== 'notice' && stage !== 'urgent') return null;
  const next = nextStageStart(stage, notAfter, renewal) ?? notAfter;
  const cap = stage === 'urgent' ? now.getTime() + DAY_MS : Number.POSITIVE_INFINITY;
  return new Date(Math.min(next.getTime(), cap));
}

function snoozeChoices(stage: ReminderStage, limit: Date | null, now: Date): number[] {
  if (limit === null || (stage !== 'notice' && stage !== 'urgent')) return [];
  const room = limit.getTime() - now.getTime();
  if (room <= 0) return [];
  const fitting = SNOOZE_DAYS[stage].filter((d) => d * DAY_MS <= room);
  // Less than a day before the next stage: one "day" is offered, cut at the threshold.
  return fitting.length > 0 ? fitting : [1];
}

const parse = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

export function reminderSchedule(notAfter: Date, now: Date, renewal: Renewal, state: StoredReminderState): ReminderSchedule {
  const days = daysLeft(notAfter, now);
  const stage = reminderStage(days, renewal);
  const limit = snoozeLimit(stage, notAfter, now, renewal);
  const snoozedUntil = parse(state.snoozedUntil);
  // A snooze counts only while it lies within what could be chosen now: after the clock
  // moved back, or once the stage changed, it no longer hides the reminder.
  const snoozeActive = limit !== null && snoozedUntil !== null && snoozedUntil > now && snoozedUntil <= limit;
  const choices = snoozeChoices(stage, limit, now);
  const view: ReminderView = {
    stage,
    daysLeft: days,
    snoozedUntil: snoozeActive ? state.snoozedUntil : null,
    canSnooze: choices.length > 0,
    snoozeChoices: choices,
  };

  const lastShownAt = parse(state.lastShownAt);
  // A "last shown" in the future (clock moved back) is not trusted: the reminder is shown again, once.
  const trustedShown = lastShownAt !== null && lastShownAt <= now ? lastShownAt : null;
  const daily = stage === 'urgent' || stage === 'final' || stage === 'expired';
  let due: ReminderDue | null = null;
  if (stage !== 'none' && !snoozeActive) {
    const shownThisStage = trustedShown !== null && state.lastShownStage === stage;
    const snoozeEndedSinceShown = snoozedUntil !== null && snoozedUntil <= now && (trustedShown === null || trustedShown < snoozedUntil);
    const dayPassed = trustedShown !== null && now.getTime() - trustedShown.getTime() >= DAY_MS;
    if (!shownThisStage || snoozeEndedSinceShown || (daily && dayPassed)) due = { stage, daysLeft: days, missedWhileAsleep: false };
  }

  const candidates: number[] = [now.getTime() + HOUR_MS];
  const stageEnd = nextStageStart(stage, notAfter, renewal);
  if (stageEnd !== null) candidates.push(stageEnd.getTime());
  if (snoozeActive) candidates.push(snoozedUntil.getTime());
  if (daily && due === null && trustedShown !== null) candidates.push(trustedShown.getTime() + DAY_MS);
  const nextCheckAt = new Date(Math.max(now.getTime() + 1, Math.min(...candidates)));
  return { view, due, nextCheckAt };
}

export type SnoozePlan = { readonly allowed: true; readonly until: Date; readonly days: number } | { readonly allowed: false; readonly stage: ReminderStage };

/**
 * Until when a snooze of `days` (default: the shortest offered) made now lasts:
 * never past the next stage's threshold, in the urgent stage at most one day.
 * Not allowed in the none, final and expired stages.
 */
export function planSnooze(notAfter: Date, now: Date, renewal: Renewal, days?: number): SnoozePlan {
  const stage = reminderStage(daysLeft(notAfter, now), renewal);
  const limit = snoozeLimit(stage, notAfter, now, renewal);
  const choices = snoozeChoices(stage, limit, now);
  if (limit === null || choices.length === 0) return { allowed: false, stage };
  const asked = days ?? choices[0]!;
  const until = new Date(Math.min(now.getTime() + asked * DAY_MS, limit.getTime()));
  return { allowed: true, until, days: asked };
}
