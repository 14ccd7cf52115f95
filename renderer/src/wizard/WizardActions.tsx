// The wizard's row of buttons: the step's own first (Next, Finish, Back), then
// "Try again" where the step failed (the checks run again), and "Cancel",
// which leaves the wizard, on every step.
import type { ReactNode } from 'react';
import { cancelWizard, runPrecheck } from './pairing-flow.ts';

export function WizardActions({ tryAgain = false, children }: { readonly tryAgain?: boolean; readonly children?: ReactNode }) {
  return (
    <div className="actions">
      {children}
      {tryAgain ? (
        <button type="button" className="button button-primary" onClick={() => void runPrecheck()}>
          Try again
        </button>
      ) : null}
      <button type="button" className="button" onClick={cancelWizard}>
        Cancel
      </button>
    </div>
  );
}
