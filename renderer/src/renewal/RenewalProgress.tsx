// The renewal running: each step named, a progress bar, the current step
// announced, from the 'renewal.progress' events.
import { RENEWAL_STEPS } from '../../../electron/ipc/contract-names.ts';
import { KeyPresenceNotice } from '../components/KeyPresenceNotice.tsx';
import { StepHeading } from '../components/StepHeading.tsx';
import { StepProgress } from '../components/StepProgress.tsx';
import { useRenewalStore } from '../stores/renewal-store.ts';
import { RENEWAL_STEP_LABELS } from './renewal-steps.ts';

export function RenewalProgress({ serial }: { readonly serial: number }) {
  const current = useRenewalStore((s) => s.progress);
  return (
    <section className="card">
      <StepHeading>Renewing your certificate</StepHeading>
      <p>Keep your security key plugged in until this is done. Your current certificate stays on the key until the new one has been checked.</p>
      <KeyPresenceNotice serial={serial} />
      <StepProgress label="Renewal progress" steps={RENEWAL_STEPS} labels={RENEWAL_STEP_LABELS} current={current} />
    </section>
  );
}
