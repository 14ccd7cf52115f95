// Pairing stopped after the checks (the network went away, the key was
// pulled, the CA refused): the words for it, and "Try again" from the checks.
import { OTHER_KEY_WHILE_PAIRING } from '../../../../electron/ipc/outcome-words.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import { useErrorFor } from '../../stores/error-store.ts';
import { WizardActions } from '../WizardActions.tsx';

export function FailedStep() {
  const error = useErrorFor('pairing');
  return (
    <section className="card">
      <StepHeading>Pairing did not finish</StepHeading>
      {error === null ? null : (
        <ErrorNotice
          code={error.code}
          retries={error.retries}
          detail={error.detail}
          action={error.code === 'OTHER_KEY' ? OTHER_KEY_WHILE_PAIRING.wizard : undefined}
        />
      )}
      <WizardActions tryAgain />
    </section>
  );
}
