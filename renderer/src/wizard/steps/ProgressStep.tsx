// Step 6 of the user guide: wait for the pairing. Each step named, a progress
// bar, and the current step announced (role="status"). Key generation can take
// seconds on a YubiKey 4, so the screen says so.
import { PAIRING_STEPS } from '../../../../electron/ipc/contract-names.ts';
import { KeyPresenceNotice } from '../../components/KeyPresenceNotice.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import { StepProgress } from '../../components/StepProgress.tsx';
import { useProgressStore } from '../../stores/progress-store.ts';
import { PAIRING_STEP_LABELS } from '../step-names.ts';

export function ProgressStep({ serial }: { readonly serial: number | null }) {
  const current = useProgressStore((s) => s.current);
  return (
    <section className="card">
      <StepHeading>Pairing your security key</StepHeading>
      <p>Keep your security key plugged in until this is done. Creating your key can take a few seconds.</p>
      {serial === null ? null : <KeyPresenceNotice serial={serial} />}
      <StepProgress label="Pairing progress" steps={PAIRING_STEPS} labels={PAIRING_STEP_LABELS} current={current} />
    </section>
  );
}
