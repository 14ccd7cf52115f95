// A PIN field: a password input with its visible label, an optional hint, and
// the rule message under it. The value lives in the parent form's state only.
import { type ChangeEvent, useId } from 'react';
import { PIN_MAX_LENGTH } from '../../../electron/ipc/pin-rules.ts';

export interface PinFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** The message under the field (documented words), or null. */
  readonly error?: string | null;
  readonly hint?: string;
  readonly digitsOnly?: boolean;
  readonly disabled?: boolean;
  /** Longest value; a PIN's by default. */
  readonly maxLength?: number;
}

export function PinField({ label, value, onChange, error = null, hint, digitsOnly = false, disabled = false, maxLength = PIN_MAX_LENGTH }: PinFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? null : hintId, error === null ? null : errorId].filter((x) => x !== null).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint === undefined ? null : (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        type="password"
        // A PIN is never offered to a password manager or the browser's autofill.
        autoComplete="off"
        spellCheck={false}
        inputMode={digitsOnly ? 'numeric' : 'text'}
        maxLength={maxLength}
        value={value}
        disabled={disabled}
        aria-invalid={error === null ? undefined : true}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
      />
      {error === null ? null : (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
