// An on/off switch (role="switch", aria-checked) with its visible label and a
// description read with it.
import { useId } from 'react';

export interface SwitchProps {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly description?: string;
  readonly disabled?: boolean;
}

export function Switch({ label, checked, onChange, description, disabled = false }: SwitchProps) {
  const descriptionId = useId();
  return (
    <div className="switch-row">
      <button
        type="button"
        role="switch"
        className="switch"
        aria-checked={checked}
        aria-describedby={description === undefined ? undefined : descriptionId}
        disabled={disabled}
        onClick={() => onChange(!checked)}
      >
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        <span className="switch-label">{label}</span>
      </button>
      {description === undefined ? null : (
        <p id={descriptionId} className="field-hint">
          {description}
        </p>
      )}
    </div>
  );
}
