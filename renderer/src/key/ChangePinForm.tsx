// Changing the PIN (the user guide's "Updating PIN"): "Current PIN", "New
// PIN", "Confirm New PIN", FINISH. The same rules and words as pairing, checked
// here before the main process is asked; the tries left shown before typing.
import { type FormEvent, useState } from 'react';
import { firstPinRuleFailure } from '../../../electron/ipc/pin-rules.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { LAST_TRY_WORD_NEEDED, LastTryConfirm, needsLastTryWord } from '../components/LastTryConfirm.tsx';
import { KeyPresenceNotice } from '../components/KeyPresenceNotice.tsx';
import { PinField } from '../components/PinField.tsx';
import { PinRuleChecklist } from '../components/PinRuleChecklist.tsx';
import { StepHeading } from '../components/StepHeading.tsx';
import { attemptsLeftText } from '../errors/messages.ts';
import { useErrorFor } from '../stores/error-store.ts';
import { usePluggedInKey, useStatusStore } from '../stores/status-store.ts';
import { changePin } from './key-flows.ts';

interface FieldErrors {
  readonly currentPin?: string;
  readonly newPin?: string;
  readonly confirmation?: string;
}

export function ChangePinForm({ serial, onDone }: { readonly serial: number; readonly onDone: () => void }) {
  const digitsOnly = useStatusStore((s) => s.status?.pinDigitsOnly ?? false);
  const key = usePluggedInKey(serial);
  const error = useErrorFor('pin-change');
  const [currentPin, setCurrentPin] = useState('');
  const [newPin, setNewPin] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [lastTryConfirmed, setLastTryConfirmed] = useState(false);
  const blocked = key?.pinRetries === 0 || error?.code === 'PIN_BLOCKED';

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (currentPin === '') return setFieldErrors({ currentPin: 'Enter your current PIN.' });
    const failure = firstPinRuleFailure({ newPin, confirmation, currentPin, digitsOnly });
    if (failure !== null) return setFieldErrors({ [failure.field]: failure.message });
    // With one try left the user's word goes first (the switch below the fields).
    if (needsLastTryWord(key?.pinRetries) && !lastTryConfirmed) return setFieldErrors({ currentPin: LAST_TRY_WORD_NEEDED });
    setFieldErrors({});
    setBusy(true);
    const outcome = await changePin({ currentPin, newPin, confirmation, ...(lastTryConfirmed ? { lastTryConfirmed } : {}) });
    setBusy(false);
    if (outcome === 'changed') onDone();
    // A wrong current PIN is typed again; the new one the user chose can stay.
    else if (outcome === 'current-pin-incorrect') setCurrentPin('');
  };

  const edit =
    (setter: (value: string) => void, field: keyof FieldErrors) =>
    (value: string): void => {
      setter(value);
      if (fieldErrors[field] !== undefined) setFieldErrors({ ...fieldErrors, [field]: undefined });
    };

  return (
    <form className="card" onSubmit={(event) => void submit(event)} noValidate>
      <StepHeading>Change PIN</StepHeading>
      <p>Type your current PIN, then the new one twice. Keep your security key plugged in.</p>
      <KeyPresenceNotice serial={serial} />
      {error === null ? null : <ErrorNotice code={error.code} retries={error.retries} detail={error.detail} />}
      {blocked && error?.code !== 'PIN_BLOCKED' ? <ErrorNotice code="PIN_BLOCKED" /> : null}
      {key?.pinRetries === null || key === undefined || blocked ? null : <p className="attempts">{attemptsLeftText(key.pinRetries)}</p>}
      <PinField
        label="Current PIN"
        value={currentPin}
        onChange={edit(setCurrentPin, 'currentPin')}
        error={fieldErrors.currentPin ?? null}
        digitsOnly={digitsOnly}
        disabled={busy}
      />
      <PinField
        label="New PIN"
        value={newPin}
        onChange={edit(setNewPin, 'newPin')}
        error={fieldErrors.newPin ?? null}
        digitsOnly={digitsOnly}
        disabled={busy}
      />
      <PinField
        label="Confirm New PIN"
        value={confirmation}
        onChange={edit(setConfirmation, 'confirmation')}
        error={fieldErrors.confirmation ?? null}
        digitsOnly={digitsOnly}
        disabled={busy}
      />
      <PinRuleChecklist newPin={newPin} confirmation={confirmation} currentPin={currentPin} digitsOnly={digitsOnly} />
      <LastTryConfirm retries={key?.pinRetries} checked={lastTryConfirmed} onChange={setLastTryConfirmed} disabled={busy} />
      <div role="status" className="live-status">
        {busy ? (
          <p className="busy">
            <span className="spinner" aria-hidden="true" />
            Changing your PIN…
          </p>
        ) : null}
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary button-caps" disabled={busy || blocked}>
          Finish
        </button>
        <button type="button" className="button" onClick={onDone} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
