// The temporary PIN: the field, the tries left before typing, "Try Default
// PIN" (a switch that fills 123456 and says it is one attempt), and the key
// pulled or plugged in again, live.
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { type FakeWfa, okResult } from '../test/fake-wfa.ts';
import { keySummary, OTHER_SERIAL, precheck, status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';
import { goToTemporaryPin } from '../test/wizard-steps.ts';

const withChecks =
  (pinRetries: number | null = 3) =>
  (f: FakeWfa) =>
    f.handle('pairing.precheck', () => okResult(precheck({ pinRetries })));

describe('temporary PIN step', () => {
  it('shows the tries left before anything is typed, and a password field "Temporary PIN"', async () => {
    const { user } = await renderApp(status(), withChecks(3));
    await goToTemporaryPin(user);
    expect(screen.getByText('3 PIN attempts left')).toBeTruthy();
    const field = screen.getByLabelText('Temporary PIN');
    expect(field.getAttribute('type')).toBe('password');
    expect((field as HTMLInputElement).value).toBe('');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Enter your temporary PIN' }));
    await expectNoSeriousAxeViolations();
  });

  it('"Try Default PIN" is a switch that fills 123456 and says it is one attempt', async () => {
    const { user } = await renderApp(status(), withChecks());
    await goToTemporaryPin(user);
    const toggle = screen.getByRole('switch', { name: 'Try Default PIN' });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect(toggle.getAttribute('aria-describedby')).toBeTruthy();
    const description = document.getElementById(toggle.getAttribute('aria-describedby') ?? '');
    expect(description?.textContent).toMatch(/123456/);
    expect(description?.textContent).toMatch(/one PIN attempt/);
    await user.click(toggle);
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    expect((screen.getByLabelText('Temporary PIN') as HTMLInputElement).value).toBe('123456');
    await user.click(toggle);
    expect((screen.getByLabelText('Temporary PIN') as HTMLInputElement).value).toBe('');
    await expectNoSeriousAxeViolations();
  });

  it('an empty or short temporary PIN is refused without asking the key', async () => {
    const { user, fake } = await renderApp(status(), withChecks());
    await goToTemporaryPin(user);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByText('Enter the temporary PIN.')).toBeTruthy();
    await user.type(screen.getByLabelText('Temporary PIN'), '123');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByText('The temporary PIN has 6 to 8 characters.')).toBeTruthy();
    expect(screen.getByLabelText('Temporary PIN').getAttribute('aria-invalid')).toBe('true');
    // The tray's model is read at start too; nothing that touches the key's PIN was asked.
    expect(fake.calls.map((c) => c.channel).filter((c) => c !== 'tray.get')).toEqual(['status.get', 'pairing.precheck']);
  });

  it('a blocked PIN (0 tries) says "Too many failed attempts" and that the administrator must reset the key', async () => {
    const { user } = await renderApp(status({ keys: [keySummary({ pinRetries: 0 })] }), withChecks(0));
    await goToTemporaryPin(user);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/Too many failed attempts/);
    expect(alert.textContent).toMatch(/administrator must reset/);
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
    await expectNoSeriousAxeViolations();
  });

  it('follows the key live: pulled, plugged in again, a second key', async () => {
    const { user, fake } = await renderApp(status(), withChecks());
    await goToTemporaryPin(user);
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => fake.emit('keys.changed', []));
    expect(screen.getByRole('alert').textContent).toMatch(/your security key isn't plugged in/i);
    act(() => fake.emit('keys.changed', [keySummary()]));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('Your security key is plugged in again.')).toBeTruthy();
    act(() => fake.emit('keys.changed', [keySummary(), keySummary({ serial: OTHER_SERIAL })]));
    expect(screen.getByText(/Another security key is plugged in too/).textContent).toMatch(String(OTHER_SERIAL));
  });

  it('"Next" with a temporary PIN goes to the new PIN, and "Back" keeps what was typed', async () => {
    const { user } = await renderApp(status(), withChecks());
    await goToTemporaryPin(user);
    await user.type(screen.getByLabelText('Temporary PIN'), '246801');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Choose your new PIN' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect((screen.getByLabelText('Temporary PIN') as HTMLInputElement).value).toBe('246801');
  });
});
