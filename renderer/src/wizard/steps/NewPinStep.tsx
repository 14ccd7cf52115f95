// Step 4 and 5 of the user guide: the new PIN twice, the rules ticked live,
// then FINISH. A rule failure shows the documented words under its field and
// never reaches the main process.
import type { FormEvent } from 'react';
import { EnrollmentPasswordField } from '../../components/EnrollmentPasswordField.tsx';
import { KeyPresenceNotice } from '../../components/KeyPresenceNotice.tsx';
import { PinField } from '../../components/PinField.tsx';
import { PinRuleChecklist } from '../../components/PinRuleChecklist.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import type { PinFieldErrors } from '../PairingPinForm.tsx';
import { WizardActions } from '../WizardActions.tsx';

export interface NewPinStepProps {
  readonly serial: number;
  readonly newPin: string;
  readonly confirmation: string;
  readonly temporaryPin: string;
  readonly onNewPin: (value: string) => void;
  readonly onConfirmation: (value: string) => void;
  readonly errors: PinFieldErrors;
  readonly digitsOnly: boolean;
  readonly onFinish: () => void;
  readonly onBack: () => void;
  /** Shown when the company's SCEP service wants a password the policy does not hold. */
  readonly enrollmentPassword: { readonly value: string; readonly onChange: (value: string) => void } | null;
}

export function NewPinStep(props: NewPinStepProps) {
  const { serial, newPin, confirmation, temporaryPin, errors, digitsOnly } = props;
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    props.onFinish();
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <StepHeading>Choose your new PIN</StepHeading>
      <p>You will type this PIN every time you sign in with your security key. Keep it to yourself.</p>
      <KeyPresenceNotice serial={serial} />
      <PinField label="New PIN" value={newPin} onChange={props.onNewPin} error={errors.newPin ?? null} digitsOnly={digitsOnly} />
      <PinField label="Confirm New PIN" value={confirmation} onChange={props.onConfirmation} error={errors.confirmation ?? null} digitsOnly={digitsOnly} />
      <PinRuleChecklist newPin={newPin} confirmation={confirmation} currentPin={temporaryPin} digitsOnly={digitsOnly} />
      {props.enrollmentPassword === null ? null : (
        <EnrollmentPasswordField
          value={props.enrollmentPassword.value}
          onChange={props.enrollmentPassword.onChange}
          error={errors.enrollmentPassword ?? null}
        />
      )}
      <WizardActions>
        <button type="submit" className="button button-primary button-caps">
          Finish
        </button>
        <button type="button" className="button" onClick={props.onBack}>
          Back
        </button>
      </WizardActions>
    </form>
  );
}
