import { describe, expect, it } from 'vitest';
import { messageFor } from './error-messages.ts';
import { characterCount, currentSecretProblem, evaluatePinRules, firstPinRuleFailure } from './pin-rules.ts';

const check = (newPin: string, confirmation = newPin, currentPin?: string, digitsOnly = false) =>
  firstPinRuleFailure({ newPin, confirmation, currentPin, digitsOnly });

describe('PIN rules', () => {
  it.each(['12345', '123456789', '111111', 'aaaaaaa', '123456', '654321', 'abcdef', 'FEDCBA', '34567890', '123123', 'password', '11223344'])(
    '%s is too weak: "Try a stronger combination"',
    (pin) => {
      expect(check(pin)).toMatchObject({ code: 'PIN_TOO_WEAK', message: 'Try a stronger combination', field: 'newPin' });
    },
  );

  it.each(['583920', '40917263', 'k7#pQ2', 'Tr0ub4d'])('%s passes', (pin) => {
    expect(check(pin)).toBeNull();
  });

  it('refuses letters when digits only (macOS) and spaces always', () => {
    expect(check('k7#pQ2', 'k7#pQ2', undefined, true)?.code).toBe('PIN_TOO_WEAK');
    expect(check('5839 20')?.code).toBe('PIN_TOO_WEAK');
  });

  it('the confirmation must match: "PINs do not match" under the confirmation', () => {
    expect(check('583920', '583921')).toMatchObject({ code: 'PIN_MISMATCH', message: 'PINs do not match', field: 'confirmation' });
  });

  it('the new PIN must differ from the current one: "Please use a different PIN"', () => {
    expect(check('583920', '583920', '583920')).toMatchObject({ code: 'PIN_SAME_AS_CURRENT', message: 'Please use a different PIN', field: 'newPin' });
    expect(check('583920', '583920', '111222')).toBeNull();
  });

  it('lists every rule with its state for live hints', () => {
    const rules = evaluatePinRules({ newPin: '58392', confirmation: '', currentPin: '123456', digitsOnly: true });
    expect(Object.fromEntries(rules.map((r) => [r.id, r.ok]))).toEqual({
      length: false,
      digits: true,
      varied: true,
      notSequence: true,
      notCommon: true,
      notDefault: true,
      differentFromCurrent: true,
      confirmationMatches: false,
    });
  });

  // The user learns which rule failed; lengths are characters, as the user counts them.
  it.each([
    ['583920174', 'length', 'the PIN must be 6 to 8 characters long (it has 9)'],
    ['58392', 'length', 'the PIN must be 6 to 8 characters long (it has 5)'],
    ['5839 20', 'digits', 'the PIN may contain letters, digits and symbols only (no spaces, no accented or other characters)'],
    ['5839é20', 'digits', 'the PIN may contain letters, digits and symbols only (no spaces, no accented or other characters)'],
    ['5839\u000020', 'digits', 'the PIN may contain letters, digits and symbols only (no spaces, no accented or other characters)'],
    ['777777', 'varied', 'the PIN must not be one character repeated'],
    ['345678', 'notSequence', 'the PIN must not be a simple sequence like 123456 or 654321'],
    ['123123', 'notCommon', 'the PIN must not be a commonly used PIN'],
  ])('%j breaks the rule %s, named: "%s"', (pin, rule, reason) => {
    expect(check(pin)).toMatchObject({ code: 'PIN_TOO_WEAK', rule, reason });
  });

  it('counts characters, not bytes or UTF-16 units: "é" and an emoji are one character each', () => {
    expect(characterCount('ééééé🙂')).toBe(6);
    expect(check('ééééé🙂')?.rule).toBe('digits');
    expect(check('é1é2é3é4é')?.reason).toMatch(/it has 9/);
    expect(check('k7#pQ2', 'k7#pQ2', undefined, true)).toMatchObject({ rule: 'digits', reason: 'the PIN may contain digits only' });
  });

  it('a current PIN or PUK that cannot be one is refused by its form, before any card', () => {
    const words = (value: string, what: 'PIN' | 'PUK'): string | null => {
      const problem = currentSecretProblem(value, what);
      return problem === null ? null : messageFor('PIN_FORMAT', problem);
    };
    expect(words('583920', 'PIN')).toBeNull();
    expect(words('12345', 'PIN')).toMatch(/6 to 8 characters long \(this one has 5\)\. Nothing was sent/);
    expect(words('123456789', 'PUK')).toMatch(/^The PUK must be 6 to 8 characters long \(this one has 9\)/);
    expect(words('12345é', 'PIN')).toMatch(/letters, digits and symbols only/);
    expect(words('1234\u00005', 'PIN')).toMatch(/letters, digits and symbols only/);
  });
});
