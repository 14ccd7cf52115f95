// "Check sign-in": the PIN, then what Windows smart-card logon would check
// (PIN, a signature with the key, the certificate, its chain and revocation).
// Failures show the Windows messages users know ("The smart card is blocked",
// "No valid certificates were found on this smart card", the revocation one).
import { FIELD_NEEDED_WORDS } from '../../../electron/ipc/pin-rule-words.ts';
import { type FormEvent, useState } from 'react';
import type { SignInCheckView } from '../../../electron/ipc/contract.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDate } from '../components/format.ts';
import { Icon } from '../components/Icon.tsx';
import { LAST_TRY_WORD_NEEDED, LastTryConfirm, needsLastTryWord } from '../components/LastTryConfirm.tsx';
import { KeyPresenceNotice } from '../components/KeyPresenceNotice.tsx';
import { PinField } from '../components/PinField.tsx';
import { StepHeading } from '../components/StepHeading.tsx';
import { attemptsLeftText } from '../errors/messages.ts';
import { useErrorFor } from '../stores/error-store.ts';
import { usePluggedInKey, useStatusStore } from '../stores/status-store.ts';
import { checkSignIn } from './key-flows.ts';

export function SignInCheck({ serial, onDone }: { readonly serial: number; readonly onDone: () => void }) {
  const digitsOnly = useStatusStore((s) => s.status?.pinDigitsOnly ?? false);
  const key = usePluggedInKey(serial);
  const error = useErrorFor('signin');
  const [pin, setPin] = useState('');
  const [pinError, setPinError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [lastTryConfirmed, setLastTryConfirmed] = useState(false);
  const [passed, setPassed] = useState<SignInCheckView | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (pin === '') return setPinError(FIELD_NEEDED_WORDS.pin);
    // With one try left the user's word goes first (the switch below the field).
    if (needsLastTryWord(key?.pinRetries) && !lastTryConfirmed) return setPinError(LAST_TRY_WORD_NEEDED);
    setPinError(null);
    setPassed(null);
    setBusy(true);
    const outcome = await checkSignIn({ pin, ...(lastTryConfirmed ? { lastTryConfirmed } : {}) });
    setBusy(false);
    // The PIN has done its job either way: it does not stay in the field.
    setPin('');
    setPassed(outcome);
  };
  const blocked = key?.pinRetries === 0 || error?.code === 'SMART_CARD_BLOCKED';

  return (
    <form className="card" onSubmit={(event) => void submit(event)} noValidate>
      <StepHeading>Check sign-in</StepHeading>
      <p>Type your PIN to check that this computer will accept your security key when you sign in.</p>
      <KeyPresenceNotice serial={serial} />
      {error === null ? null : <ErrorNotice code={error.code} retries={error.retries} detail={error.detail} />}
      {key?.pinRetries === null || key === undefined || passed !== null || blocked ? null : <p className="attempts">{attemptsLeftText(key.pinRetries)}</p>}
      <div role="status" className="live-status">
        {busy ? (
          <p className="busy">
            <span className="spinner" aria-hidden="true" />
            Checking sign-in…
          </p>
        ) : null}
        {passed === null ? null : (
          <div className="notice notice-ok">
            <Icon name="check" />
            <div>
              <p className="notice-title">Sign-in works with this security key</p>
              <p>
                Certificate for {passed.certificate.subject}, valid until {formatDate(passed.certificate.notAfter)}.{' '}
                {passed.revocationChecked ? 'Its revocation status was checked.' : 'Its revocation status was not checked.'}
              </p>
            </div>
          </div>
        )}
      </div>
      <PinField label="PIN" value={pin} onChange={setPin} error={pinError} digitsOnly={digitsOnly} disabled={busy} />
      <LastTryConfirm retries={key?.pinRetries} checked={lastTryConfirmed} onChange={setLastTryConfirmed} disabled={busy} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Check sign-in
        </button>
        <button type="button" className="button" onClick={onDone} disabled={busy}>
          {passed === null ? 'Cancel' : 'Done'}
        </button>
      </div>
    </form>
  );
}
