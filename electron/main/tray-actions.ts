// What each tray pick does, as a plain function over what the shell can do,
// so it is tested without Electron (app.ts gives it the window, the quit and
// the snooze handler). The page does the renewal itself: "Renew now" shows the
// window and tells the page, which opens its renewal form (PIN, progress, result).
import type { ReminderView, Result, TrayAction } from '../ipc/contract.ts';

export interface TrayActionShell {
  /** Shows the window (restored, in front, focused). */
  showWindow(): void;
  /** Quits for real (the window's close only hides it). */
  quit(): void;
  snooze(days: number): Promise<Result<ReminderView>>;
  /** Sends 'tray.action' to the page. */
  tellPage(action: TrayAction): void;
  log(line: string): void;
}

/** `snooze:7` -> 7; null for anything else. */
export function snoozeDays(action: TrayAction): number | null {
  const match = /^snooze:(\d+)$/.exec(action);
  return match === null ? null : Number(match[1]);
}

export async function runTrayAction(action: TrayAction, shell: TrayActionShell): Promise<void> {
  if (action === 'open') return shell.showWindow();
  if (action === 'quit') return shell.quit();
  if (action === 'renew') {
    shell.showWindow();
    return shell.tellPage('renew');
  }
  const days = snoozeDays(action);
  if (days === null) return shell.log(`tray: unknown action ${action}`);
  // Snoozing from the tray is quiet when it works: the tray and the page follow 'reminder.changed'.
  const result = await shell.snooze(days);
  if (result.ok) return;
  // Refused (the stage moved on while the menu was open): the window shows the reminder as it is now, with its message.
  shell.log(`tray: snooze refused (${result.error.code})`);
  shell.showWindow();
  shell.tellPage(action);
}
