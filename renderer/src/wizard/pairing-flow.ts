// The wizard's calls to the main process and where each answer leads. PINs
// pass through as arguments only; nothing here keeps them.
import type { AppError, ChannelInput, PairingView, Result, Warned } from '../../../electron/ipc/contract.ts';
import type { ErrorCode } from '../../../electron/ipc/error-codes.ts';
import { wfa } from '../api.ts';
import { useErrorStore } from '../stores/error-store.ts';
import { useNoticeStore, withWarnings } from '../stores/notice-store.ts';
import { useProgressStore } from '../stores/progress-store.ts';
import { useStatusStore } from '../stores/status-store.ts';
import { useWizardStore } from '../stores/wizard-store.ts';

/** Runs the checks (on the key the user chose, if any); on success the temporary-PIN step shows the tries left. */
export async function runPrecheck(): Promise<void> {
  const wizard = useWizardStore.getState();
  const errors = useErrorStore.getState();
  errors.clear();
  wizard.setPrecheck(null);
  wizard.goTo('checking');
  const serial = wizard.chosenSerial;
  const result = await wfa().pairingPrecheck(serial === null ? {} : { serial });
  // The user may have cancelled while the checks ran.
  if (useWizardStore.getState().step !== 'checking') return;
  if (!result.ok) {
    useErrorStore.getState().show('precheck', result.error);
    return;
  }
  wizard.setPrecheck(result.value);
  wizard.goTo('temporary-pin');
}

/** More than one key is plugged in: pair the one the user chose (the others are never touched). */
export function chooseKeyToPair(serial: number): Promise<void> {
  useWizardStore.getState().chooseKey(serial);
  return runPrecheck();
}

// Codes that send the user back to the temporary PIN: the PIN was wrong, or
// the main process found a rule failure the page's own check missed (then
// both PINs are typed again, as the form was closed when FINISH was pressed).
const BACK_TO_TEMPORARY_PIN: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['PIN_INCORRECT', 'PIN_TOO_WEAK', 'PIN_MISMATCH', 'PIN_SAME_AS_CURRENT']);

async function afterFailure(error: AppError, resuming: boolean): Promise<void> {
  const wizard = useWizardStore.getState();
  const errors = useErrorStore.getState();
  // The pairing record may have changed (an interrupted pairing is journalled): read it again.
  const status = await useStatusStore.getState().refresh();
  const interrupted = status?.pairing?.certificate === null;
  if (resuming || interrupted) {
    // The interrupted pairing's screen ("finish pairing", field "PIN") shows the error.
    wizard.reset();
    errors.show('resume', error);
    return;
  }
  if (BACK_TO_TEMPORARY_PIN.has(error.code)) {
    if (error.retries !== undefined) wizard.setPinRetries(error.retries);
    errors.show('temporary-pin', error);
    wizard.goTo('temporary-pin');
    return;
  }
  errors.show('pairing', error);
  wizard.goTo('failed');
}

/** Shows the progress screen while `call` pairs the key (a first pairing or finishing an interrupted one). */
async function runPairing(call: () => Promise<Result<PairingView & Warned>>, resuming: boolean): Promise<void> {
  useErrorStore.getState().clear();
  useProgressStore.getState().reset();
  useWizardStore.getState().goTo('progress');
  const result = await call();
  if (!result.ok) return afterFailure(result.error, resuming);
  // The key is paired; what could not be written afterwards is said beside it on the last screen.
  if (result.value.warnings.length > 0) useNoticeStore.getState().show(withWarnings('Your security key is paired.', result.value.warnings));
  await useStatusStore.getState().refresh();
  useWizardStore.getState().goTo('done');
}

export const submitPairing = (request: ChannelInput<'pairing.pair'>): Promise<void> => runPairing(() => wfa().pairingPair(request), false);

export const resumePairing = (serial: number, pin: string, enrollmentPassword?: string): Promise<void> =>
  runPairing(() => wfa().pairingResume({ serial, pin, ...(enrollmentPassword === undefined ? {} : { enrollmentPassword }) }), true);

export function cancelWizard(): void {
  useErrorStore.getState().clear();
  useWizardStore.getState().reset();
}
