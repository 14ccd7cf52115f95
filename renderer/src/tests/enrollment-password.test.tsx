// An enterprise CA (SCEP) whose challenge password the policy leaves to the
// user: the new-PIN step asks for it, and FINISH without it never reaches the
// main process.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { type FakeWfa, okResult } from '../test/fake-wfa.ts';
import { precheck, SERIAL, status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';
import { finishWith, goToNewPin } from '../test/wizard-steps.ts';

const checksPass = (f: FakeWfa) => f.handle('pairing.precheck', () => okResult(precheck()));

describe('enrollment password', () => {
  it('is not asked when the policy needs none', async () => {
    const { user } = await renderApp(status(), checksPass);
    await goToNewPin(user, '246801');
    expect(screen.queryByLabelText('Enrollment password')).toBeNull();
  });

  it('is asked on the new-PIN step when the CA wants one, and required before FINISH calls the main process', async () => {
    const { user, fake } = await renderApp(status({ enrollmentPasswordNeeded: true }), (f) => {
      checksPass(f);
      f.handle('pairing.pair', () => new Promise(() => undefined));
    });
    await goToNewPin(user, '246801');
    const field = screen.getByLabelText('Enrollment password');
    expect(field.getAttribute('type')).toBe('password');
    await finishWith(user, '190753');
    expect(fake.callsTo('pairing.pair')).toEqual([]);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousAxeViolations();
    await user.type(field, 'enrol-me');
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(fake.callsTo('pairing.pair')).toEqual([
      { serial: SERIAL, temporaryPin: '246801', newPin: '190753', confirmation: '190753', enrollmentPassword: 'enrol-me' },
    ]);
  });
});
