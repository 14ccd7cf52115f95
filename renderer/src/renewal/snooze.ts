// Snoozing the renewal reminder, from the banner or the in-page tray view:
// the main process applies the rules; a refusal (SNOOZE_NOT_ALLOWED in the
// final and expired stages) is shown in its words, never dropped.
import { wfa } from '../api.ts';
import { useErrorStore } from '../stores/error-store.ts';
import { useNoticeStore } from '../stores/notice-store.ts';
import { useStatusStore } from '../stores/status-store.ts';
import { formatDateTime } from '../components/format.ts';

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
