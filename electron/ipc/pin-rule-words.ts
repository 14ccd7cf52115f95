// The words of the PIN rules: the checklist label the renderer ticks as the user
// types, and the reason shown beside a form field and in the CLI ("Try a
// stronger combination: the PIN must …"). Exhaustive over the rules.
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from './pin-limits.ts';
import type { PinRuleId } from './pin-rules.ts';

/** Each rule as the user reads it in the checklist. */
export const PIN_RULE_LABELS: Readonly<Record<PinRuleId, string>> = {
  length: `${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} characters`,
  digits: 'Letters, digits and symbols, no spaces',
  varied: 'Not the same character repeated',
  notSequence: 'Not a simple sequence like 123456 or 654321',
  notCommon: 'Not a commonly used PIN',
  notDefault: 'Not the default PIN 123456',
  differentFromCurrent: 'Different from your current PIN',
  confirmationMatches: 'Both PINs match',
};

export const DIGITS_ONLY_LABEL = 'Digits only';

/** Each rule in words, completing "the PIN …". */
const PIN_RULE_REASONS: Readonly<Record<PinRuleId, string>> = {
  length: `must be ${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} characters long`,
  digits: 'may contain letters, digits and symbols only (no spaces, no accented or other characters)',
  varied: 'must not be one character repeated',
  notSequence: 'must not be a simple sequence like 123456 or 654321',
  notCommon: 'must not be a commonly used PIN',
  notDefault: 'must not be the default PIN 123456',
  differentFromCurrent: 'must differ from your current PIN',
  confirmationMatches: 'must be typed the same twice',
};

/** "the PIN must be 6 to 8 characters long (it has 5)": the rule that failed, with the facts it needs. */
export function pinRuleReason(rule: PinRuleId, facts: { readonly length?: number; readonly digitsOnly?: boolean } = {}): string {
  if (rule === 'length') return `the PIN ${PIN_RULE_REASONS.length}${facts.length === undefined ? '' : ` (it has ${facts.length})`}`;
  if (rule === 'digits' && facts.digitsOnly === true) return 'the PIN may contain digits only';
  return `the PIN ${PIN_RULE_REASONS[rule]}`;
}

/** What a form field says when it is left empty or a choice is missing, before anything is sent. */
export const FIELD_NEEDED_WORDS = {
  pin: 'Enter your PIN.',
  resumePin: 'Enter the new PIN you chose for this key.',
  enrollmentPassword: 'Enter the enrollment password your administrator gave you.',
  lastTryConsent: 'Only one PIN attempt is left: turn on "Use my last PIN attempt" if you are sure of the PIN, or ask your administrator.',
} as const;
