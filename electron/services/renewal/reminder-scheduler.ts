// Runs the renewal schedule (reminder-schedule.ts) against the stored
// reminder state: re-evaluates on start, on resume, on a clock change, at the
// schedule's next check and at least hourly; tells the shell when the view
// changes and when a reminder is due (each shown once, recorded before it is
// emitted). Snoozing lives here too: one owner of the reminder state. The
// clock and the timer are injected, so every path is tested without waiting.
import type { ReminderDue, ReminderView } from '../../ipc/contract.ts';
import { ServiceError } from '../app-error.ts';
import type { AuditEntry } from '../audit/audit-log.ts';
import type { PairingState } from '../pairing/pairing-store.ts';
import type { Policy } from '../policy/policy-schema.ts';
import type { JsonStore } from '../store/json-store.ts';
import { HOUR_MS, planSnooze, reminderSchedule } from './reminder-schedule.ts';

export type EvaluationReason = 'start' | 'resume' | 'clock-change' | 'timer' | 'paired' | 'renewed' | 'snoozed';

/** Calls `callback` after `ms`; returns the function that cancels it. */
export type SetTimer = (callback: () => void, ms: number) => () => void;

export const nodeTimer: SetTimer = (callback, ms) => {
  const handle = setTimeout(callback, ms);
  // The reminder timer alone never keeps a process (the CLI, a test) alive.
  handle.unref();
  return () => clearTimeout(handle);
};

export interface ReminderSchedulerOptions {
  readonly clock: () => Date;
  readonly setTimer: SetTimer;
  readonly store: JsonStore<PairingState>;
  readonly policy: Policy;
  readonly onChanged: (view: ReminderView | null) => void;
  readonly onDue: (due: ReminderDue) => void;
  readonly audit: { record(entry: AuditEntry): Promise<void> };
  readonly log?: (line: string) => void;
}

export class ReminderScheduler {
  private running = false;
  private cancelTimer: (() => void) | null = null;
  /** The last view sent, as JSON, so unchanged views are not sent again. */
  private lastSent: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: ReminderSchedulerOptions) {}

  start(): Promise<void> {
    this.running = true;
    return this.evaluate('start');
  }

  stop(): void {
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** The reminder as it stands now, without side effects (status, the CLI). */
  async view(): Promise<ReminderView | null> {
    const state = await this.o.store.read();
    if (state.pairing === null) return null;
    return reminderSchedule(new Date(state.pairing.certificate.notAfter), this.o.clock(), this.o.policy.renewal, state.reminder).view;
  }

  /** Looks at the schedule now: sends a changed view, shows a due reminder once, sets the next check. */
  evaluate(reason: EvaluationReason): Promise<void> {
    return this.serialized(() => this.evaluateNow(reason));
  }

  /** Snoozes the reminder by the rules (reminder-schedule.ts planSnooze); SNOOZE_NOT_ALLOWED where they forbid it. */
  snooze(days?: number): Promise<ReminderView> {
    return this.serialized(async () => {
      const state = await this.o.store.read();
      if (state.pairing === null) throw new ServiceError('NOT_PAIRED', { context: 'snooze' });
      const notAfter = new Date(state.pairing.certificate.notAfter);
      const plan = planSnooze(notAfter, this.o.clock(), this.o.policy.renewal, days);
      if (!plan.allowed) {
        throw new ServiceError('SNOOZE_NOT_ALLOWED', { stage: plan.stage }, { detail: plan.stage });
      }
      await this.o.store.write({ ...state, reminder: { ...state.reminder, snoozedUntil: plan.until.toISOString() } });
      await this.o.audit.record({
        event: 'RENEWAL_SNOOZED',
        outcome: 'success',
        keySerial: state.pairing.serial,
        certificateSerial: state.pairing.certificate.serial,
        detail: `until ${plan.until.toISOString()}`,
      });
      await this.evaluateNow('snoozed');
      const view = await this.view();
      if (view === null) throw new ServiceError('NOT_PAIRED', { context: 'removed-meanwhile' });
      return view;
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async evaluateNow(reason: EvaluationReason): Promise<void> {
    const now = this.o.clock();
    let nextCheck = now.getTime() + HOUR_MS;
    try {
      const state = await this.o.store.read();
      if (state.pairing === null) {
        this.send(null);
      } else {
        const schedule = reminderSchedule(new Date(state.pairing.certificate.notAfter), now, this.o.policy.renewal, state.reminder);
        nextCheck = schedule.nextCheckAt.getTime();
        this.send(schedule.view);
        // Reminders are only shown by a running scheduler (the app), never by a status query.
        if (schedule.due !== null && this.running) {
          // Read again just before writing: a renewal or pairing may have replaced the record meanwhile.
          const latest = await this.o.store.read();
          if (latest.pairing?.certificate.thumbprint !== state.pairing.certificate.thumbprint) return;
          await this.o.store.write({ ...latest, reminder: { ...latest.reminder, lastShownStage: schedule.due.stage, lastShownAt: now.toISOString() } });
          const due: ReminderDue = { ...schedule.due, missedWhileAsleep: reason === 'resume' };
          this.o.onDue(due);
          await this.o.audit
            .record({
              event: 'RENEWAL_REMINDER_SHOWN',
              outcome: 'success',
              keySerial: state.pairing.serial,
              certificateSerial: state.pairing.certificate.serial,
              detail: `${due.stage}, ${due.daysLeft} days left${due.missedWhileAsleep ? ', missed while asleep' : ''}`,
            })
            .catch((e: unknown) => this.o.log?.(`Audit log not written: ${String(e)}`));
        }
      }
    } catch (e) {
      this.o.log?.(`Renewal reminder: evaluation failed (${reason}): ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.arm(Math.min(nextCheck, now.getTime() + HOUR_MS) - now.getTime());
    }
  }

  private send(view: ReminderView | null): void {
    const json = JSON.stringify(view);
    if (json === this.lastSent) return;
    this.lastSent = json;
    this.o.onChanged(view);
  }

  private arm(ms: number): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (!this.running) return;
    this.cancelTimer = this.o.setTimer(() => void this.evaluate('timer'), Math.max(1, ms));
  }
}
