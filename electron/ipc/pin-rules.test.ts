import { describe, expect, it } from 'vitest';
import { evaluatePinRules, firstPinRuleFailure, PIN_MESSAGES } from './pin-rules.ts';

const check = (newPin: string, confirmation = newPin, currentPin?: string, digitsOnly = false) =>
  firstPinRuleFailure({ newPin, confirmation, currentPin, digitsOnly });

describe('PIN rules', () => {
  it.each(['12345', '123456789', '111111', 'aaaaaaa', '123456', '654321', 'abcdef', 'FEDCBA', '34567890', '123123', 'password', '11223344'])(
    '%s is too weak: "Try a stronger combination"',
    (pin) => {
      expect(check(pin)).toEqual({ code: 'PIN_TOO_WEAK', message: PIN_MESSAGES.weak, field: 'newPin' });
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
    expect(check('583920', '583921')).toEqual({ code: 'PIN_MISMATCH', message: PIN_MESSAGES.mismatch, field: 'confirmation' });
  });

  it('the new PIN must differ from the current one: "Please use a different PIN"', () => {
    expect(check('583920', '583920', '583920')).toEqual({ code: 'PIN_SAME_AS_CURRENT', message: PIN_MESSAGES.sameAsCurrent, field: 'newPin' });
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
});
