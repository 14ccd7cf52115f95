// The progress screen: every step named, a progress bar that follows the
// 'pairing.progress' events, the current step announced; then "Security Key
// paired" and the paired key.
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PairingView, Result, Warned } from '../../../electron/ipc/contract.ts';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { okResult } from '../test/fake-wfa.ts';
import { keySummary, pairedStatus, pairingView, precheck, reminder, status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';
import { finishWith, goToNewPin } from '../test/wizard-steps.ts';

async function startPairing() {
  let answer: (result: Result<PairingView & Warned>) => void = () => undefined;
  const app = await renderApp(status(), (f) => {
    f.handle('pairing.precheck', () => okResult(precheck()));
    f.handle('pairing.pair', () => new Promise((resolve) => (answer = resolve)));
  });
  await goToNewPin(app.user);
  await finishWith(app.user, '190753');
  await screen.findByRole('heading', { level: 1, name: 'Pairing your security key' });
  return { ...app, answer: (result: Result<PairingView & Warned>) => answer(result) };
}

describe('pairing progress', () => {
  it('names every step and starts at zero', async () => {
    await startPairing();
    for (const name of [
      'Checking the key',
      'Setting your PIN',
      'Securing the key',
      'Setting the PUK',
      'Creating your key',
      'Requesting your certificate',
      'Saving',
    ]) {
      expect(screen.getByText(name)).toBeTruthy();
    }
    const bar = screen.getByRole('progressbar', { name: 'Pairing progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('7');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
    await expectNoSeriousAxeViolations();
  });

  it('follows the progress events, announcing the current step', async () => {
    const { fake } = await startPairing();
    act(() => fake.emit('pairing.progress', { step: 'creating-key', index: 5, total: 7 }));
    const bar = screen.getByRole('progressbar', { name: 'Pairing progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('4');
    expect(bar.getAttribute('aria-valuetext')).toBe('Step 5 of 7: Creating your key');
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Step 5 of 7: Creating your key…');
    const current = screen.getByText('Creating your key').closest('li');
    expect(current?.getAttribute('aria-current')).toBe('step');
    expect(screen.getByText('Securing the key').closest('li')?.textContent).toMatch(/\(done\)/);
    await expectNoSeriousAxeViolations();
  });

  it('says at once when the key is pulled mid-flow', async () => {
    const { fake } = await startPairing();
    act(() => fake.emit('keys.changed', []));
    expect(screen.getByRole('alert').textContent).toMatch(/your security key isn't plugged in/i);
    act(() => fake.emit('keys.changed', [keySummary()]));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('ends with "Security Key paired", then the paired key', async () => {
    const { fake, user, answer } = await startPairing();
    fake.handle('status.get', () => okResult(pairedStatus({ reminder: reminder({ daysLeft: 365 }) })));
    await act(async () => answer(okResult({ ...pairingView(), warnings: [] })));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Security Key paired' });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByText('YubiKey 5 NFC')).toBeTruthy();
    expect(screen.getByText('365 days left', { exact: false })).toBeTruthy();
    await expectNoSeriousAxeViolations();
    await user.click(screen.getByRole('button', { name: 'Show my security key' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Your security key' })).toBeTruthy();
  });

  it('paired, but the record or log could not be written: "Security Key paired" with what was not written', async () => {
    const { fake, answer } = await startPairing();
    fake.handle('status.get', () => okResult(pairedStatus()));
    const warning = "The audit log was not written: The file /data/audit.log in the app's data folder cannot be used: it is a folder, not a file.";
    await act(async () => answer(okResult({ ...pairingView(), warnings: [warning] })));
    await screen.findByRole('heading', { level: 1, name: 'Security Key paired' });
    expect(screen.getByText(/Your security key is paired\. However: The audit log was not written/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
