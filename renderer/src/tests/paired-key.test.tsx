// The paired key: model, serial, certificate expiry and days left; "Change
// PIN", "Remove security key", "Check sign-in"; plugged in or not, live.
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { keySummary, OTHER_SERIAL, pairedStatus, reminder, SERIAL } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

describe('paired key view', () => {
  it('shows model, serial, certificate expiry and days left', async () => {
    await renderApp(pairedStatus({ reminder: reminder({ daysLeft: 200 }) }));
    expect(screen.getByRole('heading', { level: 1, name: 'Your security key' })).toBeTruthy();
    expect(screen.getByText('YubiKey 5 NFC')).toBeTruthy();
    expect(screen.getByText(String(SERIAL))).toBeTruthy();
    const expiry = screen.getByText('Certificate expires').nextElementSibling;
    expect(expiry?.textContent).toBe('12 June 2099 (200 days left)');
    expect(screen.getByText('Plugged in')).toBeTruthy();
    expect(screen.getByText('3 PIN attempts left')).toBeTruthy();
    await expectNoSeriousAxeViolations();
  });

  it('has the edit, trash and check buttons by their names', async () => {
    await renderApp(pairedStatus());
    for (const name of ['Change PIN', 'Remove security key', 'Check sign-in']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Change PIN' }).querySelector('.icon-edit')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove security key' }).querySelector('.icon-trash')).toBeTruthy();
  });

  it('follows the key live: unplugged, plugged in again, another key', async () => {
    const { fake } = await renderApp(pairedStatus());
    act(() => fake.emit('keys.changed', []));
    expect(screen.getByText('Not plugged in')).toBeTruthy();
    act(() => fake.emit('keys.changed', [keySummary({ paired: true })]));
    expect(screen.getByText('Plugged in')).toBeTruthy();
    act(() => fake.emit('keys.changed', [keySummary({ paired: true }), keySummary({ serial: OTHER_SERIAL })]));
    expect(screen.getByText(/Another security key is plugged in/).textContent).toMatch(/not the one paired/);
    await expectNoSeriousAxeViolations();
  });
});
