// The app's status: loading, unreadable (with "Try again"), the bridge
// missing, and a pairing record that was kept aside.
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App.tsx';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { createFakeWfa, errResult, installFakeWfa, okResult } from '../test/fake-wfa.ts';
import { keySummary, OTHER_SERIAL, pairedStatus, reminder, status, trayModel } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';
import { useStatusStore } from '../stores/status-store.ts';
import { useWizardStore } from '../stores/wizard-store.ts';

describe('status', () => {
  it('says it is loading until the main process answers', () => {
    const fake = createFakeWfa();
    fake.handle('status.get', () => new Promise(() => undefined));
    fake.handle('tray.get', () => new Promise(() => undefined));
    installFakeWfa(fake);
    render(<App />);
    expect(screen.getByRole('status').textContent).toMatch(/Loading/);
  });

  it('an unreadable status: the words and "Try again"', async () => {
    const fake = createFakeWfa();
    fake.handle('status.get', () => errResult('PCSC_UNAVAILABLE'));
    fake.handle('tray.get', () => okResult(trayModel()));
    installFakeWfa(fake);
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/smart-card service is not running/);
    fake.handle('status.get', () => okResult(status()));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Start Pairing' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    await expectNoSeriousAxeViolations();
  });

  it('without a bridge (no window.wfa) the page still renders and says what went wrong', async () => {
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/Something went wrong in the app/);
  });

  it('tells about a pairing record that was kept aside, and a pairing the key no longer matches, with what to do', async () => {
    await renderApp(
      status({
        problems: [
          {
            code: 'STORE_UNREADABLE',
            message:
              'Your pairing record could not be read (bad JSON); it was kept as pairing.json.bad. Pair your security key again; then the kept file can be deleted.',
            detail: 'pairing.json.bad',
          },
          {
            code: 'PAIRING_STALE',
            message: 'The pairing no longer matches the key: security key 21000001 has no certificate any more. Pair the key again.',
            detail: '21000001',
          },
        ],
      }),
    );
    const shown = screen.getAllByRole('status').map((n) => n.textContent ?? '');
    expect(shown.some((t) => /cannot be used/.test(t) && /Your pairing record could not be read.*Pair your security key again/.test(t))).toBe(true);
    expect(shown.some((t) => /No valid certificates were found on this smart card/.test(t) && /Pair the key again/.test(t))).toBe(true);
  });

  it('a stale pairing offers "Pair again", which starts the pairing wizard', async () => {
    const { user } = await renderApp(
      pairedStatus({
        problems: [
          {
            code: 'PAIRING_STALE',
            message: 'The pairing no longer matches the key: security key 21000001 has no certificate any more. Pair the key again.',
            detail: '21000001',
          },
        ],
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Pair again' }));
    expect(useWizardStore.getState().step).toBe('choose');
  });

  it('keys.changed and reminder.changed update the one status the page reads, so no screen shows an older copy', async () => {
    const { fake } = await renderApp(pairedStatus());
    const other = keySummary({ serial: OTHER_SERIAL });
    act(() => fake.emit('keys.changed', [other]));
    expect(useStatusStore.getState().status?.keys).toEqual([other]);
    expect(screen.getByText('Not plugged in')).toBeTruthy();
    const urgent = reminder({ stage: 'urgent', daysLeft: 5 });
    act(() => fake.emit('reminder.changed', urgent));
    expect(useStatusStore.getState().status?.reminder).toEqual(urgent);
    expect(screen.getByRole('complementary', { name: 'Certificate renewal' }).textContent).toMatch(/expires in 5 days/);
    // The pairing and the rest of the status are the answer's, untouched by the events.
    expect(useStatusStore.getState().status?.pairing).toEqual(pairedStatus().pairing);
  });
});
