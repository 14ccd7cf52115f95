// Step 3 of the user guide: the temporary PIN from the administrator, or the
// "Try Default PIN" switch that fills in 123456. The tries left are shown
// before the user types, and the switch says it is one of them.
import type { FormEvent } from 'react';
import type { PrecheckView } from '../../../../electron/ipc/contract.ts';
import { DEFAULT_PIV_PIN } from '../../../../electron/ipc/pin-rules.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { KeyPresenceNotice } from '../../components/KeyPresenceNotice.tsx';
import { LastTryConfirm, needsLastTryWord } from '../../components/LastTryConfirm.tsx';
import { PinField } from '../../components/PinField.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import { Switch } from '../../components/Switch.tsx';
import { attemptsLeftText } from '../../errors/messages.ts';
import { useErrorFor } from '../../stores/error-store.ts';
import { WizardActions } from '../WizardActions.tsx';

export interface TemporaryPinStepProps {
  readonly precheck: PrecheckView;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error: string | null;
  readonly digitsOnly: boolean;
  readonly onNext: () => void;
  /** The user's word to spend the last PIN attempt (LastTryConfirm). */
  readonly lastTryConfirmed: boolean;
  readonly onLastTryChange: (confirmed: boolean) => void;
}

export function TemporaryPinStep({ precheck, value, onChange, error, digitsOnly, onNext, lastTryConfirmed, onLastTryChange }: TemporaryPinStepProps) {
  const shown = useErrorFor('temporary-pin');
  const retries = precheck.pinRetries;
  const blocked = retries === 0;
  const waitingForWord = needsLastTryWord(retries) && !lastTryConfirmed;
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onNext();
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <StepHeading>Enter your temporary PIN</StepHeading>
      <p>
        Your {precheck.key.model} (serial {precheck.key.serial}) is ready. Type the temporary PIN your administrator gave you, or the one in the instructions
        that came with the key.
      </p>
      {shown === null ? null : <ErrorNotice code={shown.code} retries={shown.retries} detail={shown.detail} />}
      {blocked ? <ErrorNotice code="PIN_BLOCKED" /> : null}
      {retries === null || blocked ? null : <p className="attempts">{attemptsLeftText(retries)}</p>}
      <KeyPresenceNotice serial={precheck.key.serial} />
      <PinField label="Temporary PIN" value={value} onChange={onChange} error={error} digitsOnly={digitsOnly} disabled={blocked} />
      <Switch
        label="Try Default PIN"
        checked={value === DEFAULT_PIV_PIN}
        onChange={(on) => onChange(on ? DEFAULT_PIV_PIN : '')}
        description={`Fills in ${DEFAULT_PIV_PIN}, the PIN many new keys come with. Trying it uses one PIN attempt; if it does not work, ask your administrator instead of guessing.`}
        disabled={blocked}
      />
      <LastTryConfirm retries={retries} checked={lastTryConfirmed} onChange={onLastTryChange} />
      <WizardActions>
        <button type="submit" className="button button-primary" disabled={blocked || waitingForWord}>
          Next
        </button>
      </WizardActions>
    </form>
  );
}
