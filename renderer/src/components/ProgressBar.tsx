// A progress bar of `total` segments, `done` of them filled. Segments rather
// than a width in percent: the CSP forbids inline styles, and the pairing has
// few, named steps.
export interface ProgressBarProps {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly valueText: string;
}

export function ProgressBar({ label, done, total, valueText }: ProgressBarProps) {
  return (
    <div role="progressbar" className="progress" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} aria-valuetext={valueText}>
      {Array.from({ length: total }, (_, i) => (
        <span key={i} className={i < done ? 'progress-segment progress-segment-done' : 'progress-segment'} />
      ))}
    </div>
  );
}
