// With one PIN attempt left the main process does not spend it without the
// user's word (LAST_PIN_TRY): this switch is that word, shown only then.
import { FIELD_NEEDED_WORDS } from '../../../electron/ipc/pin-rule-words.ts';
import { Switch } from './Switch.tsx';

export interface LastTryConfirmProps {
  /** PIN tries left on the key, as last read; the switch shows only at 1. */
  readonly retries: number | null | undefined;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly disabled?: boolean;
}

/** True when the form must have the user's word before it sends a PIN. */
export const needsLastTryWord = (retries: number | null | undefined): boolean => retries === 1;

/** Said at the PIN field when the form is sent without that word. */
export const LAST_TRY_WORD_NEEDED = FIELD_NEEDED_WORDS.lastTryConsent;

export function LastTryConfirm({ retries, checked, onChange, disabled = false }: LastTryConfirmProps) {
  if (!needsLastTryWord(retries)) return null;
  return (
    <Switch
      label="Use my last PIN attempt"
      checked={checked}
      onChange={onChange}
      disabled={disabled}
      description="A wrong PIN now blocks the key, and only an administrator can unblock it. Turn this on only if you are sure of the PIN."
    />
  );
}
