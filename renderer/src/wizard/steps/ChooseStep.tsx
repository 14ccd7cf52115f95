// Choose what to pair. Smartphone pairing is not offered by this client, and
// choosing it says so plainly; "Security key" runs the checks.
import { useState } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import { runPrecheck } from '../pairing-flow.ts';
import { WizardActions } from '../WizardActions.tsx';

export function ChooseStep() {
  const [smartphoneChosen, setSmartphoneChosen] = useState(false);
  return (
    <section className="card">
      <StepHeading>What would you like to pair?</StepHeading>
      <div className="choices">
        <button type="button" className="choice" onClick={() => setSmartphoneChosen(true)}>
          <Icon name="phone" />
          Smartphone
        </button>
        <button type="button" className="choice" onClick={() => void runPrecheck()}>
          <Icon name="key" />
          Security key
        </button>
      </div>
      <div role="status" className="live-status">
        {smartphoneChosen ? (
          <p className="notice notice-info">
            This app does not pair smartphones: it pairs security keys only. To pair a smartphone, use the Workforce Access mobile app. To go on here, choose
            Security key.
          </p>
        ) : null}
      </div>
      <WizardActions />
    </section>
  );
}
