// The tray's model from the reminder state (design.md, "Renewal"): icon per stage, tooltip with the days left, the menu ("Renew now",
// "Snooze for N days" only where the rules allow, "Open Workforce Access",
// "Quit") and the notification to show, if any. Plain data in, plain data out:
// Electron's Tray (electron/main/system-tray.ts) and the web shell's in-page
// tray view only render what this says, so the decisions are tested here.
import type { ReminderDue, ReminderView, TrayAction, TrayIconName, TrayMenuItem, TrayModel, TrayNotification } from '../../ipc/contract.ts';

export const APP_NAME = 'Workforce Access';

export interface TrayInput {
  /** Null when nothing is paired (or the pairing has no certificate yet). */
  readonly reminder: ReminderView | null;
  /** The reminder the scheduler asked to show now, until the user acts on it or the state moves on. */
  readonly due: ReminderDue | null;
  readonly paired: boolean;
}

const days = (n: number): string => (n === 1 ? '1 day' : `${n} days`);

function iconFor({ reminder, paired }: TrayInput): TrayIconName {
  if (!paired || reminder === null || reminder.stage === 'none') return 'ok';
  return reminder.stage;
}

function tooltipFor({ reminder, paired }: TrayInput): string {
  // Short: Windows cuts a tray tooltip at 127 characters.
  if (!paired || reminder === null) return `${APP_NAME}: no security key paired`;
  if (reminder.stage === 'expired' || reminder.daysLeft <= 0) return `${APP_NAME}: sign-in certificate expired`;
  if (reminder.stage === 'none') return `${APP_NAME}: sign-in certificate valid for ${days(reminder.daysLeft)}`;
  const snoozed = reminder.snoozedUntil === null ? '' : ' (reminder snoozed)';
  return `${APP_NAME}: sign-in certificate expires in ${days(reminder.daysLeft)}${snoozed}`;
}

/** The snooze lengths on offer: the rules' choices, and none in the final and expired stages whatever they say. */
export function snoozeChoices(reminder: ReminderView | null): readonly number[] {
  if (reminder === null || !reminder.canSnooze) return [];
  if (reminder.stage !== 'notice' && reminder.stage !== 'urgent') return [];
  return reminder.snoozeChoices.filter((d) => Number.isInteger(d) && d >= 1);
}

function menuFor(input: TrayInput): TrayMenuItem[] {
  const menu: TrayMenuItem[] = [];
  const { reminder } = input;
  if (input.paired && reminder !== null && reminder.stage !== 'none') {
    menu.push({ action: 'renew', label: 'Renew now' });
    for (const d of snoozeChoices(reminder)) menu.push({ action: `snooze:${d}`, label: `Snooze for ${days(d)}` });
  }
  menu.push({ action: 'open', label: `Open ${APP_NAME}` }, { action: 'quit', label: 'Quit' });
  return menu;
}

/** Notice is the tray alone; from urgent on the app actively asks, and clicking the notification opens the window. */
export function notificationFor(due: ReminderDue): TrayNotification | null {
  const asleep = due.missedWhileAsleep ? ' This reminder came due while the computer was asleep.' : '';
  const open: TrayAction = 'open';
  switch (due.stage) {
    case 'notice':
      return null;
    case 'urgent':
      return {
        title: 'Renew your sign-in certificate',
        body: `It expires in ${days(due.daysLeft)}. Click to open ${APP_NAME} and renew it.${asleep}`,
        action: open,
      };
    case 'final':
      return {
        title: 'Your sign-in certificate expires very soon',
        body: `It expires in ${days(Math.max(due.daysLeft, 1))} and cannot be snoozed. Click to open ${APP_NAME} and renew it now.${asleep}`,
        action: open,
      };
    case 'expired':
      return {
        title: 'Your sign-in certificate has expired',
        body: `You can no longer sign in with your security key. Click to open ${APP_NAME} and renew it.${asleep}`,
        action: open,
      };
  }
}

/** The whole model, from the state alone. */
export function trayModel(input: TrayInput): TrayModel {
  const due = input.paired && input.reminder !== null ? input.due : null;
  return { icon: iconFor(input), tooltip: tooltipFor(input), menu: menuFor(input), notification: due === null ? null : notificationFor(due) };
}

/** A due reminder still applies while the reminder is in its stage and not snoozed. */
function dueStillApplies(due: ReminderDue, reminder: ReminderView | null): boolean {
  return reminder !== null && reminder.stage === due.stage && reminder.snoozedUntil === null;
}

const sameModel = (a: TrayModel, b: TrayModel): boolean => JSON.stringify(a) === JSON.stringify(b);

export interface TrayPresenterOptions {
  /** Called with each new model, only when it differs from the last. */
  readonly onChanged: (model: TrayModel) => void;
  readonly initial?: Partial<TrayInput>;
}

/**
 * Holds the tray's state as the events arrive ('reminder.changed',
 * 'reminder.due', pairing) and says when the model changes. A due reminder
 * stays until the state moves past it (another stage, a snooze, a renewal),
 * so the notification is in the model while the app is asking.
 */
export class TrayPresenter {
  #input: TrayInput;
  #model: TrayModel;
  readonly #onChanged: (model: TrayModel) => void;

  constructor({ onChanged, initial = {} }: TrayPresenterOptions) {
    this.#input = { reminder: initial.reminder ?? null, due: initial.due ?? null, paired: initial.paired ?? initial.reminder != null };
    this.#model = trayModel(this.#input);
    this.#onChanged = onChanged;
  }

  get model(): TrayModel {
    return this.#model;
  }

  /** The reminder view changed: a view means a paired certificate, null none. */
  setReminder(reminder: ReminderView | null): void {
    const due = this.#input.due !== null && dueStillApplies(this.#input.due, reminder) ? this.#input.due : null;
    this.#update({ reminder, due, paired: reminder !== null });
  }

  /** The scheduler asked to show a reminder now. */
  remind(due: ReminderDue): void {
    this.#update({ ...this.#input, due });
  }

  #update(input: TrayInput): void {
    this.#input = input;
    const next = trayModel(input);
    if (sameModel(next, this.#model)) return;
    this.#model = next;
    this.#onChanged(next);
  }
}
