// Main→renderer events into the stores: keys plugged in or pulled, the
// renewal reminder and the tray, pairing and renewal progress, tray picks. Returns the function that stops them
// all (App calls it on unmount, so a test's fake bridge ends with no listener).
import type { KeySummary } from '../../../electron/ipc/contract.ts';
import { wfa } from '../api.ts';
import { useErrorStore } from '../stores/error-store.ts';
import { useProgressStore } from '../stores/progress-store.ts';
import { useRenewalStore } from '../stores/renewal-store.ts';
import { useStatusStore } from '../stores/status-store.ts';
import { useTrayStore } from '../stores/tray-store.ts';
import { useWizardStore } from '../stores/wizard-store.ts';
import { runPageTrayAction } from '../tray/tray-actions.ts';
import { runPrecheck } from '../wizard/pairing-flow.ts';

/** The checks failed for want of a key (or for too many) and the keys now plugged in may pass: run them again. */
function checksMayPassNow(keys: readonly KeySummary[]): boolean {
  const shown = useErrorStore.getState().shown;
  if (useWizardStore.getState().step !== 'checking' || shown?.scope !== 'precheck') return false;
  // Re-running the checks touches no PIN, so doing it unasked is safe (a PIN is never retried by the app).
  return (shown.code === 'NO_KEY' && keys.length > 0) || (shown.code === 'MULTIPLE_KEYS' && keys.length === 1);
}

export function connectLiveUpdates(): () => void {
  const api = wfa();
  const stops = [
    api.on('keys.changed', (keys) => {
      useStatusStore.getState().setKeys(keys);
      if (checksMayPassNow(keys)) void runPrecheck();
    }),
    api.on('reminder.changed', (reminder) => useStatusStore.getState().setReminder(reminder)),
    api.on('pairing.progress', (event) => useProgressStore.getState().setProgress(event)),
    api.on('renewal.progress', (event) => useRenewalStore.getState().setProgress(event)),
    api.on('tray.changed', (model) => useTrayStore.getState().setModel(model)),
    // The desktop tray's "Renew now" (or a refused snooze): the window is up, the page does its part.
    api.on('tray.action', (action) => runPageTrayAction(action)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
