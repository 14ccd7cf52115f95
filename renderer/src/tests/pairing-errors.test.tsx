// Where each pairing failure leads: a wrong temporary PIN back to its step
// with the tries left; a blocked PIN to "Too many failed attempts"; the
// company network gone to "Try again"; an interruption after the PIN changed
// to finishing the pairing.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../electron/ipc/error-codes.ts';
import type { AppError } from '../../../electron/ipc/contract.ts';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { errResult, type FakeWfa, okResult } from '../test/fake-wfa.ts';
import { pairingView, precheck, status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';
import { finishWith, goToNewPin } from '../test/wizard-steps.ts';

async function pairFailingWith(code: ErrorCode, extra: Partial<Omit<AppError, 'code'>> = {}, after?: (f: FakeWfa) => void) {
  const app = await renderApp(status(), (f) => {
    f.handle('pairing.precheck', () => okResult(precheck()));
    f.handle('pairing.pair', () => {
      after?.(f);
      return errResult(code, extra);
    });
  });
  await goToNewPin(app.user);
  await finishWith(app.user, '190753');
  await screen.findAllByRole('alert');
  return app;
}

describe('pairing failures', () => {
  it('a wrong temporary PIN goes back to it, empty, with the tries left', async () => {
    await pairFailingWith('PIN_INCORRECT', { retries: 2 });
    expect(screen.getByRole('heading', { level: 1, name: 'Enter your temporary PIN' })).toBeTruthy();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/The PIN is incorrect/);
    expect(alert.textContent).toMatch(/2 PIN attempts left/);
    expect(screen.getByText('2 PIN attempts left', { selector: '.attempts' })).toBeTruthy();
    expect((screen.getByLabelText('Temporary PIN') as HTMLInputElement).value).toBe('');
    await expectNoSeriousAxeViolations();
  });

  it('a blocked PIN says "Too many failed attempts": the administrator must reset the key', async () => {
    const { fake } = await pairFailingWith('PIN_BLOCKED', { retries: 0 });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/Too many failed attempts/);
    expect(alert.textContent).toMatch(/administrator must reset the security key/);
    // The app never retries a PIN by itself.
    expect(fake.callsTo('pairing.pair')).toHaveLength(1);
    await expectNoSeriousAxeViolations();
  });

  it('the company network lost mid-pairing: VPN words and "Try again" from the checks', async () => {
    const { fake, user } = await pairFailingWith('ENROLLMENT_UNREACHABLE');
    expect(screen.getByRole('heading', { level: 1, name: 'Pairing did not finish' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/company network.*VPN/s);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Enter your temporary PIN' })).toBeTruthy();
    expect(fake.callsTo('pairing.precheck')).toHaveLength(2);
  });

  it('the key pulled mid-pairing after its PIN changed: the pairing is finished with the new PIN', async () => {
    await pairFailingWith('CARD_REMOVED', {}, (f) =>
      f.handle('status.get', () =>
        okResult(status({ keys: [], pairing: pairingView({ certificate: null, model: null, pairedAt: null, pending: 'securing-key' }) })),
      ),
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Finish pairing your security key' })).toBeTruthy();
    expect(
      screen
        .getAllByRole('alert')
        .map((a) => a.textContent)
        .join(' '),
    ).toMatch(/The security key was unplugged/);
    expect(screen.getByLabelText('PIN')).toBeTruthy();
  });

  it('another key swapped in while pairing: "This is not the key you were pairing", and Try again', async () => {
    await pairFailingWith('OTHER_KEY');
    expect(screen.getByRole('heading', { level: 1, name: 'Pairing did not finish' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/This is not the key you were pairing\. Plug in the security key you chose/);
  });

  it('a rule failure found by the main process sends the user back to type both PINs again', async () => {
    await pairFailingWith('PIN_TOO_WEAK');
    expect(screen.getByRole('heading', { level: 1, name: 'Enter your temporary PIN' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/Try a stronger combination/);
  });
});
