// The paired key's calls to the main process (change the PIN, check sign-in,
// remove the key) and where each answer leads, as wizard/pairing-flow.ts does
// for pairing: the screens keep their fields and busy state, the outcome goes
// to the stores from here. PINs pass through as arguments only; nothing here
// keeps them.
import type { ChannelInput, SignInCheckView } from '../../../electron/ipc/contract.ts';
import { wfa } from '../api.ts';
import { useErrorStore } from '../stores/error-store.ts';
import { useNoticeStore, withWarnings } from '../stores/notice-store.ts';
import { useStatusStore } from '../stores/status-store.ts';

/** How a PIN change ended: a wrong current PIN is typed again, the new one the user chose can stay. */
export type PinChangeOutcome = 'changed' | 'current-pin-incorrect' | 'failed';

/** Changes the PIN. Changed: the notice says so. Not changed: the form shows why ('pin-change'). */
export async function changePin(request: ChannelInput<'pin.change'>): Promise<PinChangeOutcome> {
  useErrorStore.getState().clear();
  const result = await wfa().pinChange(request);
  if (result.ok) {
    useNoticeStore.getState().show(withWarnings('Your PIN was changed. Use the new PIN from now on.', result.value.warnings));
    return 'changed';
  }
  useErrorStore.getState().show('pin-change', result.error);
  // The tries left changed on the key: read them again, so the count shown is the key's.
  void useStatusStore.getState().refresh();
  return result.error.code === 'PIN_INCORRECT' ? 'current-pin-incorrect' : 'failed';
}

/** Checks sign-in as Windows would: what passed, or null when it did not (the form shows why, 'signin'). */
export async function checkSignIn(request: ChannelInput<'signin.check'>): Promise<SignInCheckView | null> {
  useErrorStore.getState().clear();
  const result = await wfa().signinCheck(request);
  if (!result.ok) useErrorStore.getState().show('signin', result.error);
  // A PIN try changes the tries left on the key: read them again, so the count shown is the key's.
  void useStatusStore.getState().refresh();
  return result.ok ? result.value : null;
}

/** Resets and unpairs the paired key. Removed: the notice says so, and the status brings back the home screen. Not removed: the dialog shows why ('remove'). */
export async function removeKey(serial: number): Promise<boolean> {
  useErrorStore.getState().clear();
  const result = await wfa().deregistrationRemove({ serial, confirmOtherKey: false });
  if (!result.ok) {
    useErrorStore.getState().show('remove', result.error);
    return false;
  }
  const removed = result.value.revoked
    ? 'Security key removed. It was reset and its certificate revoked.'
    : 'Security key removed. It was reset; you can pair it again.';
  useNoticeStore.getState().show(withWarnings(removed, result.value.warnings));
  // Nothing is paired any more: the status brings the home screen back.
  await useStatusStore.getState().refresh();
  return true;
}
