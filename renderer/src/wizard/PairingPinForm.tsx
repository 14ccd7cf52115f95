// The two PIN steps of pairing (temporary PIN, then new PIN and confirmation)
// as one form component: the PINs live in its state, and only while it is on
// screen. FINISH hands them to the main process and the progress screen takes
// over, so the form (and every PIN in it) is gone from then on.
import { useState } from 'react';
import { ENROLLMENT_PASSWORD_MISSING } from '../components/EnrollmentPasswordField.tsx';
import { firstPinRuleFailure, PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '../../../electron/ipc/pin-rules.ts';
import { useErrorStore } from '../stores/error-store.ts';
import { findKey, useKeys, useStatusStore } from '../stores/status-store.ts';
import { useWizardStore } from '../stores/wizard-store.ts';
import { submitPairing } from './pairing-flow.ts';
import { NewPinStep } from './steps/NewPinStep.tsx';
import { TemporaryPinStep } from './steps/TemporaryPinStep.tsx';

export interface PinFieldErrors {
  readonly temporaryPin?: string;
  readonly newPin?: string;
  readonly confirmation?: string;
  readonly enrollmentPassword?: string;
}

/** A PIV PIN is 6 to 8 characters: a shorter or longer temporary PIN cannot be right, so it is not sent (no attempt spent). */
export function temporaryPinProblem(pin: string): string | null {
  if (pin === '') return 'Enter the temporary PIN.';
  if (pin.length < PIN_MIN_LENGTH || pin.length > PIN_MAX_LENGTH) return `The temporary PIN has ${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} characters.`;
  return null;
}

export function PairingPinForm({ step }: { readonly step: 'temporary-pin' | 'new-pin' }) {
  const precheck = useWizardStore((s) => s.precheck);
  const digitsOnly = useStatusStore((s) => s.status?.pinDigitsOnly ?? false);
  const passwordNeeded = useStatusStore((s) => s.status?.enrollmentPasswordNeeded ?? false);
  const [enrollmentPassword, setEnrollmentPassword] = useState('');
  const keys = useKeys();
  const [temporaryPin, setTemporaryPin] = useState('');
  const [newPin, setNewPin] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [fieldErrors, setFieldErrors] = useState<PinFieldErrors>({});
  const [lastTryConfirmed, setLastTryConfirmed] = useState(false);

  if (precheck === null) return null;
  const serial = precheck.key.serial;
  const keyPresent = findKey(keys, serial) !== undefined;

  const next = (): void => {
    const problem = temporaryPinProblem(temporaryPin);
    if (problem !== null) return setFieldErrors({ temporaryPin: problem });
    setFieldErrors({});
    useErrorStore.getState().clear();
    useWizardStore.getState().goTo('new-pin');
  };

  const finish = (): void => {
    // The rules are checked here first: a rule failure never reaches the main process or the key.
    const failure = firstPinRuleFailure({ newPin, confirmation, currentPin: temporaryPin, digitsOnly });
    if (failure !== null) return setFieldErrors({ [failure.field]: failure.message });
    if (passwordNeeded && enrollmentPassword === '') return setFieldErrors({ enrollmentPassword: ENROLLMENT_PASSWORD_MISSING });
    // Without the key the main process would only answer NO_KEY; the live notice already says so.
    if (!keyPresent) return;
    setFieldErrors({});
    void submitPairing({
      serial,
      temporaryPin,
      newPin,
      confirmation,
      ...(passwordNeeded ? { enrollmentPassword } : {}),
      ...(lastTryConfirmed ? { lastTryConfirmed } : {}),
    });
  };

  // Editing a field clears its message: the words answer the last FINISH, not what is typed now.
  const edit =
    (setter: (value: string) => void, field: keyof PinFieldErrors) =>
    (value: string): void => {
      setter(value);
      if (fieldErrors[field] !== undefined) setFieldErrors({ ...fieldErrors, [field]: undefined });
    };

  return step === 'temporary-pin' ? (
    <TemporaryPinStep
      precheck={precheck}
      value={temporaryPin}
      onChange={edit(setTemporaryPin, 'temporaryPin')}
      error={fieldErrors.temporaryPin ?? null}
      digitsOnly={digitsOnly}
      onNext={next}
      lastTryConfirmed={lastTryConfirmed}
      onLastTryChange={setLastTryConfirmed}
    />
  ) : (
    <NewPinStep
      serial={serial}
      newPin={newPin}
      confirmation={confirmation}
      temporaryPin={temporaryPin}
      onNewPin={edit(setNewPin, 'newPin')}
      onConfirmation={edit(setConfirmation, 'confirmation')}
      errors={fieldErrors}
      digitsOnly={digitsOnly}
      onFinish={finish}
      enrollmentPassword={passwordNeeded ? { value: enrollmentPassword, onChange: edit(setEnrollmentPassword, 'enrollmentPassword') } : null}
      onBack={() => {
        setFieldErrors({});
        useWizardStore.getState().goTo('temporary-pin');
      }}
    />
  );
}
