// The PIN rules of design.md, as one pure module: the renderer ticks them live
// as the user types, the main process enforces them before the card is
// touched (a rule failure never costs a PIN attempt). No Node, no DOM.
// Their words are in the message table (pin-rule-words.ts, error-words.ts).
import { PIN_FIELD_WORDS } from './error-words.ts';
import { DEFAULT_PIV_PIN, PIN_MAX_LENGTH, PIN_MIN_LENGTH } from './pin-limits.ts';
import { DIGITS_ONLY_LABEL, PIN_RULE_LABELS, pinRuleReason } from './pin-rule-words.ts';

export { DEFAULT_PIV_PIN, PIN_MAX_LENGTH, PIN_MIN_LENGTH };

export type PinRuleId = 'length' | 'digits' | 'varied' | 'notSequence' | 'notCommon' | 'notDefault' | 'differentFromCurrent' | 'confirmationMatches';

export interface PinRuleResult {
  readonly id: PinRuleId;
  readonly ok: boolean;
  /** The rule as the user reads it in the checklist. */
  readonly label: string;
}

export type PinRuleErrorCode =
  | 'PIN_TOO_WEAK'
  | 'PIN_MISMATCH'
  | 'PIN_SAME_AS_CURRENT'
  /** A current PIN or PUK typed that cannot be one (length, characters): refused before the card, so no try is spent. */
  | 'PIN_FORMAT';

/**
 * Most common PINs of 6–8 characters, from published PIN-frequency studies
 * (DataGenetics "PIN number analysis", 2012; Wang et al., "Understanding
 * Human-chosen PINs", IEEE S&P 2020). Runs and repeats are caught by rules of
 * their own, so this lists the other favourites.
 */
const COMMON_PINS: ReadonlySet<string> = new Set([
  '123123',
  '121212',
  '112233',
  '123321',
  '696969',
  '131313',
  '123654',
  '102030',
  '147258',
  '159357',
  '147852',
  '258369',
  '159753',
  '789456',
  '246810',
  '520520',
  '131420',
  '110110',
  '520131',
  '201314',
  '000007',
  '007007',
  '101010',
  '202020',
  '212121',
  '232323',
  '252525',
  '282828',
  '292929',
  '123qwe',
  'qwerty',
  'qwertz',
  'azerty',
  'abc123',
  'a1b2c3',
  '1q2w3e',
  'passwd',
  'secret',
  'letmein',
  'iloveyou',
  'password',
  '1qaz2wsx',
  '1q2w3e4r',
  'qwer1234',
  '11223344',
  '12341234',
  '12344321',
  '12121212',
  '11112222',
  '20202020',
  '19901990',
  '19851985',
  '1234qwer',
  'asdfgh',
  'zxcvbn',
  'monkey',
  'dragon',
  'master',
  '753951',
  '951753',
  '852456',
  '456852',
  '741852',
  '963852',
  '321654',
  '987654321',
  '1234512345',
]);

/** Characters, not UTF-16 units or bytes: "é" is one character, as the user counts. */
export const characterCount = (value: string): number => [...value].length;

/** True for 111111, aaaaaa. */
function allOneCharacter(pin: string): boolean {
  return pin.length > 0 && [...pin].every((c) => c === pin[0]);
}

/** True for a run up or down by one: 123456, 654321, abcdef, 34567890 (0 after 9 counts, as on a keypad row). */
function simpleRun(pin: string): boolean {
  if (pin.length < 2) return false;
  const codes = [...pin.toLowerCase()].map((c) => c.charCodeAt(0));
  const step = (a: number, b: number): number => (a === 0x39 && b === 0x30 ? 1 : a === 0x30 && b === 0x39 ? -1 : b - a);
  const first = step(codes[0]!, codes[1]!);
  if (first !== 1 && first !== -1) return false;
  return codes.every((c, i) => i === 0 || step(codes[i - 1]!, c) === first);
}

export interface PinRuleInput {
  readonly newPin: string;
  readonly confirmation: string;
  /** The current PIN when it is known (PIN change, pairing's temporary PIN). */
  readonly currentPin?: string;
  /** Digits only (macOS, or the policy). */
  readonly digitsOnly: boolean;
}

export function evaluatePinRules(input: PinRuleInput): PinRuleResult[] {
  const pin = input.newPin;
  const length = characterCount(pin);
  const rules: PinRuleResult[] = [{ id: 'length', ok: length >= PIN_MIN_LENGTH && length <= PIN_MAX_LENGTH, label: PIN_RULE_LABELS.length }];
  if (input.digitsOnly) rules.push({ id: 'digits', ok: pin.length > 0 && /^[0-9]+$/.test(pin), label: DIGITS_ONLY_LABEL });
  else rules.push({ id: 'digits', ok: pin.length > 0 && /^[\x21-\x7e]+$/.test(pin), label: PIN_RULE_LABELS.digits });
  rules.push(
    { id: 'varied', ok: pin.length > 0 && !allOneCharacter(pin), label: PIN_RULE_LABELS.varied },
    { id: 'notSequence', ok: pin.length > 0 && !simpleRun(pin), label: PIN_RULE_LABELS.notSequence },
    { id: 'notCommon', ok: pin.length > 0 && !COMMON_PINS.has(pin.toLowerCase()), label: PIN_RULE_LABELS.notCommon },
    { id: 'notDefault', ok: pin.length > 0 && pin !== DEFAULT_PIV_PIN, label: PIN_RULE_LABELS.notDefault },
  );
  if (input.currentPin !== undefined) {
    rules.push({ id: 'differentFromCurrent', ok: pin.length > 0 && pin !== input.currentPin, label: PIN_RULE_LABELS.differentFromCurrent });
  }
  rules.push({ id: 'confirmationMatches', ok: pin.length > 0 && pin === input.confirmation, label: PIN_RULE_LABELS.confirmationMatches });
  return rules;
}

export interface PinRuleFailure {
  readonly code: PinRuleErrorCode;
  readonly message: string;
  /** Which field the message belongs under. */
  readonly field: 'newPin' | 'confirmation';
  /** The rule that failed. */
  readonly rule: PinRuleId;
  /** The rule in words, for the CLI and logs ("Try a stronger combination: the PIN must …"). */
  readonly reason: string;
  /** The facts the rule's words need. */
  readonly length: number;
  readonly digitsOnly: boolean;
}

/** The one failure to show (strength first, then sameness, then the confirmation), or null when all rules pass. */
export function firstPinRuleFailure(input: PinRuleInput): PinRuleFailure | null {
  const failed = new Set(
    evaluatePinRules(input)
      .filter((r) => !r.ok)
      .map((r) => r.id),
  );
  if (failed.size === 0) return null;
  const facts = { length: characterCount(input.newPin), digitsOnly: input.digitsOnly };
  const failure = (code: keyof typeof PIN_FIELD_WORDS, field: PinRuleFailure['field'], rule: PinRuleId): PinRuleFailure => ({
    code,
    message: PIN_FIELD_WORDS[code],
    field,
    rule,
    reason: pinRuleReason(rule, facts),
    length: facts.length,
    digitsOnly: facts.digitsOnly,
  });
  if (failed.has('differentFromCurrent')) return failure('PIN_SAME_AS_CURRENT', 'newPin', 'differentFromCurrent');
  const strength: PinRuleId[] = ['length', 'digits', 'varied', 'notSequence', 'notCommon', 'notDefault'];
  const weak = strength.find((id) => failed.has(id));
  if (weak !== undefined) return failure('PIN_TOO_WEAK', 'newPin', weak);
  return failure('PIN_MISMATCH', 'confirmation', 'confirmationMatches');
}

/**
 * A PIN or PUK the user types as the current one (or the temporary PIN): a
 * value that cannot be one is refused here, so it never costs a try on the
 * card. The key holds 6 to 8 bytes; the app's PINs are printable ASCII.
 */
export function currentSecretProblem(value: string, what: 'PIN' | 'PUK'): CurrentSecretProblem | null {
  const length = characterCount(value);
  if (length < PIN_MIN_LENGTH || length > PIN_MAX_LENGTH) return { secret: what, problem: 'length', length };
  if (!/^[\x20-\x7e]+$/.test(value)) return { secret: what, problem: 'characters', length };
  return null;
}

/** The facts of a PIN_FORMAT error (its words: error-messages.ts). */
export interface CurrentSecretProblem {
  readonly secret: 'PIN' | 'PUK';
  readonly problem: 'length' | 'characters';
  readonly length: number;
}
