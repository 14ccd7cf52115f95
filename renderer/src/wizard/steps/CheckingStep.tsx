// The checks before any PIN is asked (company network, a supported key). A
// failure shows its documented words and "Try again"; a key plugged in while
// "not plugged in" is shown runs the checks again (app/live-updates.ts).
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import { useErrorFor } from '../../stores/error-store.ts';
import { cancelWizard, runPrecheck } from '../pairing-flow.ts';

export function CheckingStep() {
  const error = useErrorFor('precheck');
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
      <div className="actions">
        {error === null ? null : (
          <button type="button" className="button button-primary" onClick={() => void runPrecheck()}>
            Try again
          </button>
        )}
        <button type="button" className="button" onClick={cancelWizard}>
          Cancel
        </button>
      </div>
    </section>
  );
}
