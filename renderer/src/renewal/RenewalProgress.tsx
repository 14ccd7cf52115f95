// The renewal running: each step named, a progress bar, the current step
// announced, from the 'renewal.progress' events.
import { KeyPresenceNotice } from '../components/KeyPresenceNotice.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { StepHeading } from '../components/StepHeading.tsx';
import { useRenewalStore } from '../stores/renewal-store.ts';
import { RENEWAL_STEP_LABELS, RENEWAL_STEP_ORDER } from './renewal-steps.ts';

export function RenewalProgress({ serial }: { readonly serial: number }) {
  const current = useRenewalStore((s) => s.progress);
  const total = current?.total ?? RENEWAL_STEP_ORDER.length;
  const done = current === null ? 0 : current.index - 1;
  const valueText = current === null ? 'Starting' : `Step ${current.index} of ${total}: ${RENEWAL_STEP_LABELS[current.step]}`;
  const position = current === null ? -1 : RENEWAL_STEP_ORDER.indexOf(current.step);
  return (
    <section className="card">
      <StepHeading>Renewing your certificate</StepHeading>
      <p>Keep your security key plugged in until this is done. Your current certificate stays on the key until the new one has been checked.</p>
      <KeyPresenceNotice serial={serial} />
      <ProgressBar label="Renewal progress" done={done} total={total} valueText={valueText} />
      <p role="status" className="progress-text">
        {valueText}…
      </p>
      <ol className="steps">
        {RENEWAL_STEP_ORDER.map((step, i) => {
          const state = i < position ? 'done' : i === position ? 'current' : 'waiting';
          return (
            <li key={step} className={`step step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="step-marker" aria-hidden="true" />
              {RENEWAL_STEP_LABELS[step]}
              {state === 'done' ? <span className="visually-hidden"> (done)</span> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
