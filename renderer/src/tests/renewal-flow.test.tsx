// "Renew now": the PIN form (the PIN held only while it is open), the
// progress from 'renewal.progress', the result, and each error with its way
// out and the word that the current certificate still works.
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RenewalView, Result } from '../../../electron/ipc/contract.ts';
import type { ErrorCode } from '../../../electron/ipc/error-codes.ts';
import { useErrorStore } from '../stores/error-store.ts';
import { useNoticeStore } from '../stores/notice-store.ts';
import { useRenewalStore } from '../stores/renewal-store.ts';
import { useStatusStore } from '../stores/status-store.ts';
import { useTrayStore } from '../stores/tray-store.ts';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { errResult, okResult } from '../test/fake-wfa.ts';
import { pairedStatus, reminder, SERIAL, status, trayModel } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

const PIN = '4x7q19';
const heading = (name: string) => screen.findByRole('heading', { level: 1, name });
const renewed: RenewalView = {
  serial: SERIAL,
  certificate: { serial: '7f01', subject: 'CN=alice@example.com', notAfter: '2100-06-12T10:00:00.000Z' },
  previousSerial: '0a1b2c',
  reminder: reminder({ stage: 'none', daysLeft: 365 }),
  warnings: [],
};

async function openRenewal(answer: () => Result<RenewalView> | Promise<Result<RenewalView>>, over = {}) {
  const app = await renderApp(pairedStatus({ reminder: reminder({ stage: 'urgent', daysLeft: 5, canSnooze: true, snoozeChoices: [1] }), ...over }), (f) => {
    f.handle('tray.get', () => okResult(trayModel({ icon: 'urgent', renew: true, snooze: [1] })));
    f.handle('renewal.renew', answer);
  });
  await app.user.click(await screen.findByRole('button', { name: 'Renew now' }));
  await heading('Renew your sign-in certificate');
  return app;
}

const pinField = (): HTMLInputElement => screen.getByLabelText('PIN');

describe('renewal flow', () => {
  it('asks for the PIN before anything reaches the main process', async () => {
    const { user, fake } = await openRenewal(() => okResult(renewed));
    expect(screen.queryByRole('complementary', { name: 'Certificate renewal' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Renew' }));
    expect(screen.getByText('Enter your PIN.')).toBeTruthy();
    expect(fake.callsTo('renewal.renew')).toEqual([]);
    await expectNoSeriousAxeViolations();
  });

  it('shows each step as it runs, then the new expiry; Done goes back to the key', async () => {
    let answer: (r: Result<RenewalView>) => void = () => undefined;
    const { user, fake } = await openRenewal(() => new Promise((resolve) => (answer = resolve)));
    await user.type(pinField(), PIN);
    await user.click(screen.getByRole('button', { name: 'Renew' }));
    await heading('Renewing your certificate');
    expect(fake.callsTo('renewal.renew')).toEqual([{ pin: PIN }]);
    act(() => fake.emit('renewal.progress', { step: 'checking-certificate', index: 3, total: 5 }));
    const bar = screen.getByRole('progressbar', { name: 'Renewal progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('2');
    expect(bar.getAttribute('aria-valuetext')).toBe('Step 3 of 5: Checking the new certificate');
    expect(screen.getByText('Requesting a new certificate').closest('li')?.textContent).toMatch(/\(done\)/);
    await expectNoSeriousAxeViolations();
    await act(async () => answer(okResult(renewed)));
    await heading('Certificate renewed');
    expect(screen.getByText(/valid until 12 June 2100/)).toBeTruthy();
    await expectNoSeriousAxeViolations();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    await heading('Your security key');
    expect(useRenewalStore.getState().open).toBe(false);
  });

  it("tells the administrator's notes that came with a renewal that worked", async () => {
    const { user } = await openRenewal(() => okResult({ ...renewed, warnings: ['The audit log could not be written.'] }));
    await user.type(pinField(), PIN);
    await user.click(screen.getByRole('button', { name: 'Renew' }));
    await heading('Certificate renewed');
    expect(screen.getByText('The audit log could not be written.')).toBeTruthy();
  });

  it('company network out of reach: the VPN words, the old certificate still works, Try again', async () => {
    const { user, fake } = await openRenewal(() => errResult('ENROLLMENT_UNREACHABLE'));
    await user.type(pinField(), PIN);
    await user.click(screen.getByRole('button', { name: 'Renew' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/The company network can't be reached/);
    expect(alert.textContent).toMatch(/Connect to the company VPN, then choose Try again/);
    expect(screen.getByText(/you can still sign in with your current certificate until 12 June 2099/)).toBeTruthy();
    expect(pinField().value).toBe('');
    await expectNoSeriousAxeViolations();
    fake.handle('renewal.renew', () => okResult(renewed));
    await user.type(pinField(), PIN);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await heading('Certificate renewed');
  });

  it.each<[ErrorCode, Record<string, number>, RegExp]>([
    ['PIN_INCORRECT', { retries: 2 }, /The PIN is incorrect.*2 PIN attempts left/s],
    ['OTHER_KEY', {}, /This is not your paired security key.*Plug in the security key you paired/s],
    ['NO_KEY', {}, /isn't plugged in.*then choose Try again/s],
    ['CARD_REMOVED', {}, /was unplugged.*until the renewal is done/s],
    ['CA_PIN_MISMATCH', {}, /not the one your company set up.*Contact your administrator/s],
  ])('%s: its words and its way out', async (code, extra, words) => {
    const { user } = await openRenewal(() => errResult(code, extra));
    await user.type(pinField(), PIN);
    await user.click(screen.getByRole('button', { name: 'Renew' }));
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent).join(' ')).toMatch(words);
    expect(screen.getByText(/you can still sign in with your current certificate/)).toBeTruthy();
    // The tries left are said once, not twice.
    expect(document.body.textContent?.split('PIN attempts left').length).toBeLessThanOrEqual(2);
  });

  it("a blocked PIN: the administrator's way out, and no button that cannot help", async () => {
    const { user } = await openRenewal(() => errResult('PIN_BLOCKED', { retries: 0 }));
    await user.type(pinField(), PIN);
    await user.click(screen.getByRole('button', { name: 'Renew' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Too many failed attempts.*administrator must reset/s);
    expect((screen.getByRole('button', { name: 'Try again' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('expired: says the old certificate no longer works, instead of promising it does', async () => {
    const { user } = await openRenewal(() => errResult('ENROLLMENT_UNREACHABLE'), { reminder: reminder({ stage: 'expired', daysLeft: 0 }) });
    await user.type(pinField(), PIN);
    await user.click(screen.getByRole('button', { name: 'Renew' }));
    await screen.findByRole('alert');
    expect(screen.getByText(/Your current certificate has expired/)).toBeTruthy();
    expect(screen.queryByText(/you can still sign in with your current certificate/)).toBeNull();
  });

  it("asks for the enrollment password when the company's service wants one", async () => {
    const { user, fake } = await openRenewal(() => okResult(renewed), { enrollmentPasswordNeeded: true });
    await user.type(pinField(), PIN);
    await user.click(screen.getByRole('button', { name: 'Renew' }));
    expect(screen.getByText('Enter the enrollment password your administrator gave you.')).toBeTruthy();
    await user.type(screen.getByLabelText('Enrollment password'), 'chal-42');
    await user.click(screen.getByRole('button', { name: 'Renew' }));
    await heading('Certificate renewed');
    expect(fake.callsTo('renewal.renew')).toEqual([{ pin: PIN, enrollmentPassword: 'chal-42' }]);
  });

  it('holds the PIN only in the open form: no store, no page text, gone after Cancel', async () => {
    const { user } = await openRenewal(() => errResult('ENROLLMENT_UNREACHABLE'));
    await user.type(pinField(), PIN);
    const kept = (): string =>
      [useErrorStore, useNoticeStore, useRenewalStore, useStatusStore, useTrayStore].map((s) => JSON.stringify(s.getState())).join('\n') +
      window.location.href +
      JSON.stringify({ ...window.localStorage });
    expect(kept()).not.toContain(PIN);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await heading('Your security key');
    await user.click(screen.getByRole('button', { name: 'Renew now' }));
    await heading('Renew your sign-in certificate');
    expect(pinField().value).toBe('');
    expect(kept()).not.toContain(PIN);
    expect(document.body.innerHTML).not.toContain(PIN);
  });

  it('works from the keyboard alone: Renew now, the PIN, Enter', async () => {
    const { user, fake } = await renderApp(pairedStatus({ reminder: reminder({ stage: 'final', daysLeft: 1 }) }), (f) => {
      f.handle('tray.get', () => okResult(trayModel({ icon: 'final', renew: true })));
      f.handle('renewal.renew', () => okResult(renewed));
    });
    const renew = await screen.findByRole('button', { name: 'Renew now' });
    renew.focus();
    await user.keyboard('{Enter}');
    await heading('Renew your sign-in certificate');
    await user.tab();
    expect(document.activeElement).toBe(pinField());
    await user.keyboard(`${PIN}{Enter}`);
    await heading('Certificate renewed');
    expect(fake.callsTo('renewal.renew')).toEqual([{ pin: PIN }]);
  });

  it("opens when the desktop tray's \"Renew now\" is picked ('tray.action')", async () => {
    const { fake } = await renderApp(pairedStatus({ reminder: reminder({ stage: 'urgent', daysLeft: 5 }) }));
    act(() => fake.emit('tray.action', 'renew'));
    await heading('Renew your sign-in certificate');
    expect(within(screen.getByRole('main')).queryByRole('complementary')).toBeNull();
  });

  it('is not offered without a paired certificate', async () => {
    const { fake } = await renderApp(status());
    act(() => fake.emit('tray.action', 'renew'));
    expect(screen.queryByRole('heading', { name: 'Renew your sign-in certificate' })).toBeNull();
  });
});
