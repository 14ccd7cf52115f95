// Pairing stopped after the checks (the network went away, the key was
// pulled, the CA refused): the words for it, and "Try again" from the checks.
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import { useErrorFor } from '../../stores/error-store.ts';
import { WizardActions } from '../WizardActions.tsx';

/** Another key swapped in while pairing: the table's words speak of a paired key, this one is not paired yet. */
export const PAIRING_OTHER_KEY_ACTION = 'This is not the key you were pairing. Plug in the security key you chose, then choose Try again.';

export function FailedStep() {
  const error = useErrorFor('pairing');
  return (
    <section className="card">
      <StepHeading>Pairing did not finish</StepHeading>
      {error === null ? null : <ErrorNotice code={error.code} retries={error.retries} detail={error.detail} action={error.code === 'OTHER_KEY' ? PAIRING_OTHER_KEY_ACTION : undefined} />}
      <WizardActions tryAgain />
    </section>
  );
}
