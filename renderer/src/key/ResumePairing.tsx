// An interrupted pairing (the key was pulled or the app closed after the PIN
// was changed): the key already has the user's new PIN, so one field, "PIN",
// finishes it from where it stopped.
import { FIELD_NEEDED_WORDS } from '../../../electron/ipc/pin-rule-words.ts';
import { type FormEvent, useState } from 'react';
import type { PairingView } from '../../../electron/ipc/contract.ts';
import { OTHER_KEY_WHILE_PAIRING } from '../../../electron/ipc/outcome-words.ts';
import { ENROLLMENT_PASSWORD_MISSING, EnrollmentPasswordField } from '../components/EnrollmentPasswordField.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { KeyPresenceNotice } from '../components/KeyPresenceNotice.tsx';
import { PinField } from '../components/PinField.tsx';
import { StepHeading } from '../components/StepHeading.tsx';
import { attemptsLeftText } from '../errors/messages.ts';
import { useErrorFor } from '../stores/error-store.ts';
import { usePluggedInKey, useStatusStore } from '../stores/status-store.ts';
import { PAIRING_STEP_LABELS } from '../wizard/step-names.ts';
import { resumePairing } from '../wizard/pairing-flow.ts';

export function ResumePairing({ pairing }: { readonly pairing: PairingView }) {
  const digitsOnly = useStatusStore((s) => s.status?.pinDigitsOnly ?? false);
  const key = usePluggedInKey(pairing.serial);
  const error = useErrorFor('resume');
  const [pin, setPin] = useState('');
  const [pinError, setPinError] = useState<string | null>(null);
  const passwordNeeded = useStatusStore((s) => s.status?.enrollmentPasswordNeeded ?? false);
  const [enrollmentPassword, setEnrollmentPassword] = useState('');
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const blocked = key?.pinRetries === 0;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (pin === '') return setPinError(FIELD_NEEDED_WORDS.resumePin);
    setPinError(null);
    if (passwordNeeded && enrollmentPassword === '') return setPasswordError(ENROLLMENT_PASSWORD_MISSING);
    setPasswordError(null);
    void resumePairing(pairing.serial, pin, passwordNeeded ? enrollmentPassword : undefined);
  };

  const lastStep = pairing.pending === null ? null : PAIRING_STEP_LABELS[pairing.pending].toLowerCase();
  return (
    <form className="card" onSubmit={submit} noValidate>
      <StepHeading>Finish pairing your security key</StepHeading>
      <p>
        Pairing security key {pairing.serial} was interrupted{lastStep === null ? '' : ` after “${lastStep}”`}. The key already has the new PIN you chose: type
        it to finish pairing.
      </p>
      <KeyPresenceNotice serial={pairing.serial} />
      {error === null ? null : (
        <ErrorNotice
          code={error.code}
          retries={error.retries}
          detail={error.detail}
          action={error.code === 'OTHER_KEY' ? OTHER_KEY_WHILE_PAIRING.resume(pairing.serial) : undefined}
        />
      )}
      {blocked && error?.code !== 'PIN_BLOCKED' ? <ErrorNotice code="PIN_BLOCKED" /> : null}
      {key?.pinRetries === null || key === undefined || blocked ? null : <p className="attempts">{attemptsLeftText(key.pinRetries)}</p>}
      <PinField label="PIN" value={pin} onChange={setPin} error={pinError} digitsOnly={digitsOnly} disabled={blocked} />
      {passwordNeeded ? <EnrollmentPasswordField value={enrollmentPassword} onChange={setEnrollmentPassword} error={passwordError} /> : null}
      <div className="actions">
        <button type="submit" className="button button-primary button-caps" disabled={blocked}>
          Finish
        </button>
      </div>
    </form>
  );
}
