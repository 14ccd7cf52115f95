// The new PIN: "New PIN" and "Confirm New PIN", the rules ticked live, FINISH.
// Rule failures show the user guide's words under the field and never reach
// the main process.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { type FakeWfa, okResult } from '../test/fake-wfa.ts';
import { pairingView, precheck, SERIAL, status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';
import { finishWith, goToNewPin } from '../test/wizard-steps.ts';

const checksPass = (f: FakeWfa) => f.handle('pairing.precheck', () => okResult(precheck()));

describe('new PIN step', () => {
  it('has the two password fields, the rules and FINISH', async () => {
    const { user } = await renderApp(status(), checksPass);
    await goToNewPin(user);
    expect(screen.getByLabelText('New PIN').getAttribute('type')).toBe('password');
    expect(screen.getByLabelText('Confirm New PIN').getAttribute('type')).toBe('password');
    const finish = screen.getByRole('button', { name: 'Finish' });
    expect(finish.className).toMatch(/button-caps/);
    expect(screen.getByRole('list', { name: 'Your new PIN must be:' })).toBeTruthy();
    await expectNoSeriousAxeViolations();
  });

  it('ticks the rules live as the user types', async () => {
    const { user } = await renderApp(status(), checksPass);
    await goToNewPin(user);
    const rules = screen.getByRole('list', { name: 'Your new PIN must be:' });
    const lengthRule = within(rules).getByText('6 to 8 characters').closest('li');
    expect(lengthRule?.textContent).toMatch(/not met yet/);
    await user.type(screen.getByLabelText('New PIN'), '190753');
    expect(lengthRule?.textContent).toMatch(/\(met\)/);
    const matchRule = within(rules).getByText('Both PINs match').closest('li');
    expect(matchRule?.textContent).toMatch(/not met yet/);
    await user.type(screen.getByLabelText('Confirm New PIN'), '190753');
    expect(matchRule?.textContent).toMatch(/\(met\)/);
  });

  it.each([
    { what: 'a weak PIN', newPin: '123456', confirmation: '123456', field: 'New PIN', words: 'Try a stronger combination' },
    { what: 'a repeated PIN', newPin: '111111', confirmation: '111111', field: 'New PIN', words: 'Try a stronger combination' },
    { what: 'a short PIN', newPin: '1907', confirmation: '1907', field: 'New PIN', words: 'Try a stronger combination' },
    { what: 'a confirmation that differs', newPin: '190753', confirmation: '190754', field: 'Confirm New PIN', words: 'PINs do not match' },
    { what: 'the temporary PIN again', newPin: '246801', confirmation: '246801', field: 'New PIN', words: 'Please use a different PIN' },
  ])('$what shows "$words" under "$field" and does not call the main process', async ({ newPin, confirmation, field, words }) => {
    const { user, fake } = await renderApp(status(), checksPass);
    await goToNewPin(user, '246801');
    await finishWith(user, newPin, confirmation);
    const input = screen.getByLabelText(field);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (input.getAttribute('aria-describedby') ?? '').split(' ');
    const message = describedBy.map((id) => document.getElementById(id)?.textContent).join(' ');
    expect(message).toContain(words);
    expect(fake.callsTo('pairing.pair')).toEqual([]);
    await expectNoSeriousAxeViolations();
  });

  it('FINISH with good PINs sends both PINs and the temporary PIN for the key the checks found', async () => {
    const { user, fake } = await renderApp(status(), (f) => {
      checksPass(f);
      f.handle('pairing.pair', () => new Promise(() => undefined));
    });
    await goToNewPin(user, '246801');
    await finishWith(user, '190753');
    expect(fake.callsTo('pairing.pair')).toEqual([{ serial: SERIAL, temporaryPin: '246801', newPin: '190753', confirmation: '190753' }]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Pairing your security key' })).toBeTruthy();
  });

  it('the whole pairing works with the keyboard alone', async () => {
    const { user, fake } = await renderApp(status(), (f) => {
      checksPass(f);
      f.handle('pairing.pair', () => okResult({ ...pairingView(), warnings: [] }));
    });
    // Home: the heading has the focus; Tab reaches "Start Pairing".
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Start Pairing' }));
    await user.keyboard('{Enter}');
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Security key' }));
    await user.keyboard('{Enter}');
    await screen.findByRole('heading', { level: 1, name: 'Enter your temporary PIN' });
    await user.tab();
    expect(document.activeElement).toBe(screen.getByLabelText('Temporary PIN'));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('switch', { name: 'Try Default PIN' }));
    await user.keyboard(' ');
    await user.keyboard('{Shift>}{Tab}{/Shift}{Enter}');
    await screen.findByRole('heading', { level: 1, name: 'Choose your new PIN' });
    await user.tab();
    await user.keyboard('190753');
    await user.tab();
    await user.keyboard('190753{Enter}');
    expect(fake.callsTo('pairing.pair')).toEqual([{ serial: SERIAL, temporaryPin: '123456', newPin: '190753', confirmation: '190753' }]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Security Key paired' })).toBeTruthy();
  });
});
