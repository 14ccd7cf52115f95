// An interrupted pairing (status.pairing with no certificate): offered to be
// finished with the PIN the user chose, through pairing.resume.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../../electron/ipc/contract.ts';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { errResult, okResult } from '../test/fake-wfa.ts';
import { keySummary, pairedStatus, pairingView, SERIAL, status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

const interrupted = (over: Partial<StatusView> = {}): StatusView =>
  status({ keys: [keySummary({ pinRetries: 3 })], pairing: pairingView({ certificate: null, model: null, pairedAt: null, pending: 'creating-key' }), ...over });

describe('finishing an interrupted pairing', () => {
  it('explains and asks for the PIN, with the tries left', async () => {
    await renderApp(interrupted());
    expect(screen.getByRole('heading', { level: 1, name: 'Finish pairing your security key' })).toBeTruthy();
    expect(screen.getByText(/was interrupted after “creating your key”/)).toBeTruthy();
    expect(screen.getByLabelText('PIN').getAttribute('type')).toBe('password');
    expect(screen.getByText('3 PIN attempts left')).toBeTruthy();
    await expectNoSeriousAxeViolations();
  });

  it('finishes through pairing.resume and ends with "Security Key paired"', async () => {
    const { user, fake } = await renderApp(interrupted(), (f) =>
      f.handle('pairing.resume', () => {
        f.handle('status.get', () => okResult(pairedStatus()));
        return okResult({ ...pairingView(), warnings: [] });
      }),
    );
    await user.type(screen.getByLabelText('PIN'), '190753');
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Security Key paired' })).toBeTruthy();
    expect(fake.callsTo('pairing.resume')).toEqual([{ serial: SERIAL, pin: '190753' }]);
  });

  it('a wrong PIN comes back to this screen with the tries left', async () => {
    const { user } = await renderApp(interrupted(), (f) => f.handle('pairing.resume', () => errResult('PIN_INCORRECT', { retries: 1 })));
    await user.type(screen.getByLabelText('PIN'), '190753');
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/The PIN is incorrect/);
    expect(alert.textContent).toMatch(/1 PIN attempt left/);
    expect(screen.getByRole('heading', { level: 1, name: 'Finish pairing your security key' })).toBeTruthy();
    expect((screen.getByLabelText('PIN') as HTMLInputElement).value).toBe('');
  });

  it('an empty PIN is refused without asking the key', async () => {
    const { user, fake } = await renderApp(interrupted());
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(screen.getByText('Enter the new PIN you chose for this key.')).toBeTruthy();
    expect(fake.callsTo('pairing.resume')).toEqual([]);
  });

  it("says when the key isn't plugged in", async () => {
    await renderApp(interrupted({ keys: [] }));
    expect(screen.getByRole('alert').textContent).toMatch(/your security key isn't plugged in/i);
  });
});
