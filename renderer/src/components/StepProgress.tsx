// A flow running on the key, from the main process's progress events: a
// progress bar, the step now running announced (role="status"), and every
// step named, done or waiting. Pairing and renewal show it.
import { ProgressBar } from './ProgressBar.tsx';

/** A progress event: the step now running, counted from 1, of `total`. */
export interface StepEvent<S extends string> {
  readonly step: S;
  readonly index: number;
  readonly total: number;
}

export interface StepProgressProps<S extends string> {
  /** The progress bar's name ("Pairing progress"). */
  readonly label: string;
  /** The steps in the order the main process runs them (the contract's list). */
  readonly steps: readonly S[];
  readonly labels: Readonly<Record<S, string>>;
  /** The last event; null before the first. */
  readonly current: StepEvent<S> | null;
}

export function StepProgress<S extends string>({ label, steps, labels, current }: StepProgressProps<S>) {
  const total = current?.total ?? steps.length;
  // `index` counts from 1 and names the step now running: the ones before it are done.
  const done = current === null ? 0 : current.index - 1;
  const valueText = current === null ? 'Starting' : `Step ${current.index} of ${total}: ${labels[current.step]}`;
  const position = current === null ? -1 : steps.indexOf(current.step);
  return (
    <>
      <ProgressBar label={label} done={done} total={total} valueText={valueText} />
      <p role="status" className="progress-text">
        {valueText}…
      </p>
      <ol className="steps">
        {steps.map((step, i) => {
          const state = i < position ? 'done' : i === position ? 'current' : 'waiting';
          return (
            <li key={step} className={`step step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="step-marker" aria-hidden="true" />
              {labels[step]}
              {state === 'done' ? <span className="visually-hidden"> (done)</span> : null}
            </li>
          );
        })}
      </ol>
    </>
  );
}
