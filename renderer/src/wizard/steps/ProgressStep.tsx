// Step 6 of the user guide: wait for the pairing. Each step named, a progress
// bar, and the current step announced (role="status"). Key generation can take
// seconds on a YubiKey 4, so the screen says so.
import { KeyPresenceNotice } from '../../components/KeyPresenceNotice.tsx';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import { useProgressStore } from '../../stores/progress-store.ts';
import { PAIRING_STEP_LABELS, PAIRING_STEP_ORDER } from '../step-names.ts';

export function ProgressStep({ serial }: { readonly serial: number | null }) {
  const current = useProgressStore((s) => s.current);
  const total = current?.total ?? PAIRING_STEP_ORDER.length;
  // `index` counts from 1 and names the step now running: the ones before it are done.
  const done = current === null ? 0 : current.index - 1;
  const currentLabel = current === null ? 'Starting' : PAIRING_STEP_LABELS[current.step];
  const valueText = current === null ? 'Starting' : `Step ${current.index} of ${total}: ${currentLabel}`;
  const currentPosition = current === null ? -1 : PAIRING_STEP_ORDER.indexOf(current.step);
  return (
    <section className="card">
      <StepHeading>Pairing your security key</StepHeading>
      <p>Keep your security key plugged in until this is done. Creating your key can take a few seconds.</p>
      {serial === null ? null : <KeyPresenceNotice serial={serial} />}
      <ProgressBar label="Pairing progress" done={done} total={total} valueText={valueText} />
      <p role="status" className="progress-text">
        {valueText}…
      </p>
      <ol className="steps">
        {PAIRING_STEP_ORDER.map((step, i) => {
          const state = i < currentPosition ? 'done' : i === currentPosition ? 'current' : 'waiting';
          return (
            <li key={step} className={`step step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="step-marker" aria-hidden="true" />
              {PAIRING_STEP_LABELS[step]}
              {state === 'done' ? <span className="visually-hidden"> (done)</span> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
