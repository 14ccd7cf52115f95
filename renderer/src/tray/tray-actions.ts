// What a tray pick does in the page: from the in-page tray view, and from the
// desktop tray through 'tray.action' (the window is already shown by then).
import type { TrayAction } from '../../../electron/ipc/contract.ts';
import { snoozeReminder } from '../renewal/renewal-flow.ts';
import { useRenewalStore } from '../stores/renewal-store.ts';
import { snoozeDays } from './snooze-days.ts';

/** "Open": the page is open; the focus goes to its heading, so a screen reader says where the user is. */
function focusPage(): void {
  document.querySelector<HTMLElement>('main h1')?.focus();
}

export function runPageTrayAction(action: TrayAction): void {
  if (action === 'renew') return useRenewalStore.getState().start();
  if (action === 'open' || action === 'quit') return focusPage();
  const days = snoozeDays(action);
  if (days !== null) void snoozeReminder(days);
}
