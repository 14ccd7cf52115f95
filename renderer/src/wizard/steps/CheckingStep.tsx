// The checks before any PIN is asked (company network, a supported key). A
// failure shows its documented words and "Try again"; a key plugged in while
// "not plugged in" is shown runs the checks again (app/live-updates.ts).
// Several keys plugged in: the user chooses the one to pair.
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Icon } from '../../components/Icon.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import { useErrorFor } from '../../stores/error-store.ts';
import { useKeys } from '../../stores/status-store.ts';
import { chooseKeyToPair } from '../pairing-flow.ts';
import { WizardActions } from '../WizardActions.tsx';

function KeyChoice() {
  const keys = useKeys();
  return (
    <section className="card">
      <StepHeading>Which security key do you want to pair?</StepHeading>
      <p>More than one security key is plugged in. Choose the one to pair; the others are not changed.</p>
      <div className="choices">
        {keys.map((key) => (
          <button key={key.serial} type="button" className="choice" onClick={() => void chooseKeyToPair(key.serial)}>
            <Icon name="key" />
            {key.model}, serial number {key.serial}
          </button>
        ))}
      </div>
      <WizardActions />
    </section>
  );
}

export function CheckingStep() {
  const error = useErrorFor('precheck');
  const keyCount = useKeys().length;
  if (error?.code === 'MULTIPLE_KEYS' && keyCount > 1) return <KeyChoice />;
  return (
    <section className="card">
      <StepHeading>{error === null ? 'Checking your setup' : 'Your setup needs attention'}</StepHeading>
      <div role="status" className="live-status">
        {error === null ? (
          <p className="busy">
            <span className="spinner" aria-hidden="true" />
            Checking the company network and your security key…
          </p>
        ) : null}
      </div>
      {error === null ? null : <ErrorNotice code={error.code} retries={error.retries} detail={error.detail} />}
      <WizardActions tryAgain={error !== null} />
    </section>
  );
}
