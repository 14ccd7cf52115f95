// The renewal's calls to the main process and where each answer leads, as
// wizard/pairing-flow.ts does for pairing: renewing the certificate from the
// renewal screen, and snoozing the reminder from the banner or the in-page
// tray view. The main process applies the rules; a refusal
// (SNOOZE_NOT_ALLOWED in the final and expired stages) is shown in its
// words, never dropped. The PIN passes through as an argument only.
import type { ChannelInput, RenewalView } from '../../../electron/ipc/contract.ts';
import { wfa } from '../api.ts';
import { formatDateTime } from '../components/format.ts';
import { useErrorStore } from '../stores/error-store.ts';
import { useNoticeStore } from '../stores/notice-store.ts';
import { useRenewalStore } from '../stores/renewal-store.ts';
import { useStatusStore } from '../stores/status-store.ts';
import { useTrayStore } from '../stores/tray-store.ts';

/** Renews the certificate: the renewal, or null when it failed (the form shows why, 'renewal'). */
export async function renewCertificate(request: ChannelInput<'renewal.renew'>): Promise<RenewalView | null> {
  useErrorStore.getState().clear();
  useRenewalStore.getState().resetProgress();
  const answer = await wfa().renewalRenew(request);
  if (answer.ok) useStatusStore.getState().setReminder(answer.value.reminder);
  else useErrorStore.getState().show('renewal', answer.error);
  // The key's tries left and the certificate changed: read them again, and the tray with them.
  void useStatusStore.getState().refresh();
  void useTrayStore.getState().refresh();
  return answer.ok ? answer.value : null;
}

export async function snoozeReminder(days: number): Promise<boolean> {
  useErrorStore.getState().clear();
  useNoticeStore.getState().clear();
  const result = await wfa().renewalSnooze({ days });
  if (!result.ok) {
    useErrorStore.getState().show('snooze', result.error);
    return false;
  }
  useStatusStore.getState().setReminder(result.value);
  const until = result.value.snoozedUntil;
  useNoticeStore.getState().show(until === null ? 'The reminder was snoozed.' : `The reminder is snoozed until ${formatDateTime(until)}.`);
  return true;
}
