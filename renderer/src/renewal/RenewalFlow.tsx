// "Renew now": the PIN (held in this screen's state only while it is open),
// then the progress, then the result. Every error shows on the form with its
// way out, and — because a failed renewal leaves the old certificate on the
// key — that the user can still sign in with their current certificate.
import { type FormEvent, useState } from 'react';
import type { RenewalView } from '../../../electron/ipc/contract.ts';
import type { ErrorCode } from '../../../electron/ipc/error-codes.ts';
import { ENROLLMENT_PASSWORD_MISSING, EnrollmentPasswordField } from '../components/EnrollmentPasswordField.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDate } from '../components/format.ts';
import { Icon } from '../components/Icon.tsx';
import { KeyPresenceNotice } from '../components/KeyPresenceNotice.tsx';
import { PinField } from '../components/PinField.tsx';
import { StepHeading } from '../components/StepHeading.tsx';
import { attemptsLeftText } from '../errors/messages.ts';
import { useErrorFor, useErrorStore } from '../stores/error-store.ts';
import { useRenewalStore } from '../stores/renewal-store.ts';
import { usePluggedInKey, useStatusStore } from '../stores/status-store.ts';
import { renewCertificate } from './renewal-flow.ts';
import { RenewalProgress } from './RenewalProgress.tsx';

/** Where renewal's way out differs from the table's words (which speak of pairing). */
const RENEWAL_ACTIONS: Partial<Record<ErrorCode, string>> = {
  ENROLLMENT_UNREACHABLE: 'Connect to the company VPN, then choose Try again.',
  NO_KEY: 'Plug in the security key you paired on this computer, then choose Try again.',
  CARD_REMOVED: 'Plug it in again, keep it plugged in until the renewal is done, and choose Try again.',
  ENROLLMENT_PASSWORD_REQUIRED: 'Enter the enrollment password your administrator gave you, then choose Try again.',
};

/** Errors after which the PIN is blocked and trying again cannot help. */
const BLOCKING: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['PIN_BLOCKED', 'SMART_CARD_BLOCKED']);

function RenewalDone({ result, onDone }: { readonly result: RenewalView; readonly onDone: () => void }) {
  return (
    <section className="card card-success">
      <div className="success-mark">
        <Icon name="check" />
      </div>
      <StepHeading>Certificate renewed</StepHeading>
      <p>Your new sign-in certificate is valid until {formatDate(result.certificate.notAfter)}. Sign in with your security key and PIN as before.</p>
      {result.warnings.length === 0 ? null : (
        <div className="notice notice-info">
          <Icon name="info" />
          <div>
            <p className="notice-title">The renewal is done, with a note for your administrator</p>
            <ul>
              {result.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <div className="actions">
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

export function RenewalFlow({ serial }: { readonly serial: number }) {
  const digitsOnly = useStatusStore((s) => s.status?.pinDigitsOnly ?? false);
  const passwordNeeded = useStatusStore((s) => s.status?.enrollmentPasswordNeeded ?? false);
  const notAfter = useStatusStore((s) => s.status?.pairing?.certificate?.notAfter ?? null);
  const expired = useStatusStore((s) => s.status?.reminder?.stage === 'expired');
  const key = usePluggedInKey(serial);
  const error = useErrorFor('renewal');
  const [pin, setPin] = useState('');
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<{ pin?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RenewalView | null>(null);
  const close = (): void => {
    useErrorStore.getState().clear();
    useRenewalStore.getState().close();
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (pin === '') return setFieldError({ pin: 'Enter your PIN.' });
    if (passwordNeeded && password === '') return setFieldError({ password: ENROLLMENT_PASSWORD_MISSING });
    setFieldError({});
    setBusy(true);
    const renewed = await renewCertificate({ pin, ...(passwordNeeded ? { enrollmentPassword: password } : {}) });
    setBusy(false);
    // The PIN has done its job either way: it does not stay in the field.
    setPin('');
    if (renewed === null) return;
    setPassword('');
    setResult(renewed);
  };

  if (result !== null) return <RenewalDone result={result} onDone={close} />;
  if (busy) return <RenewalProgress serial={serial} />;
  const blocked = key?.pinRetries === 0 || (error !== null && BLOCKING.has(error.code));
  return (
    <form className="card" onSubmit={(event) => void submit(event)} noValidate>
      <StepHeading>Renew your sign-in certificate</StepHeading>
      <p>
        Your security key gets a new certificate from your company. Plug in the security key you paired on this computer and type its PIN. You need the company
        network (or its VPN).
      </p>
      <KeyPresenceNotice serial={serial} />
      {error === null ? null : (
        <>
          <ErrorNotice code={error.code} retries={error.retries} detail={error.detail} action={RENEWAL_ACTIONS[error.code]} />
          <p className="notice notice-info">
            {expired
              ? 'Nothing was changed on your security key. Your current certificate has expired: renewing it is the way to sign in with the key again.'
              : `Nothing was changed on your security key: you can still sign in with your current certificate${notAfter === null ? '' : ` until ${formatDate(notAfter)}`}.`}
          </p>
        </>
      )}
      {/* The tries left once: in the error when it carries them, else from the key. */}
      {key?.pinRetries === null || key === undefined || blocked || error?.retries !== undefined ? null : (
        <p className="attempts">{attemptsLeftText(key.pinRetries)}</p>
      )}
      <PinField label="PIN" value={pin} onChange={setPin} error={fieldError.pin ?? null} digitsOnly={digitsOnly} />
      {passwordNeeded ? <EnrollmentPasswordField value={password} onChange={setPassword} error={fieldError.password ?? null} /> : null}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={blocked}>
          {error === null ? 'Renew' : 'Try again'}
        </button>
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}
