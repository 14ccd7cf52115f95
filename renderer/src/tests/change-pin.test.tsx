// Changing the PIN: "Current PIN", "New PIN", "Confirm New PIN", FINISH, the
// same rules and words as pairing, and the errors in the user's words.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { errResult, type FakeWfa, okResult } from '../test/fake-wfa.ts';
import { pairedStatus } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

async function openChangePin(configure: (f: FakeWfa) => void = () => undefined) {
  const app = await renderApp(pairedStatus(), configure);
  await app.user.click(screen.getByRole('button', { name: 'Change PIN' }));
  await screen.findByRole('heading', { level: 1, name: 'Change PIN' });
  return app;
}

async function fill(user: Awaited<ReturnType<typeof openChangePin>>['user'], current: string, next: string, confirmation = next) {
  if (current !== '') await user.type(screen.getByLabelText('Current PIN'), current);
  await user.type(screen.getByLabelText('New PIN'), next);
  await user.type(screen.getByLabelText('Confirm New PIN'), confirmation);
  await user.click(screen.getByRole('button', { name: 'Finish' }));
}

describe('change PIN', () => {
  it('has the three password fields, the tries left and FINISH', async () => {
    await openChangePin();
    for (const label of ['Current PIN', 'New PIN', 'Confirm New PIN']) expect(screen.getByLabelText(label).getAttribute('type')).toBe('password');
    expect(screen.getByText('3 PIN attempts left')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Finish' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Change PIN' }));
    await expectNoSeriousAxeViolations();
  });

  it.each([
    { what: 'a weak PIN', next: '654321', confirmation: '654321', words: 'Try a stronger combination' },
    { what: 'a confirmation that differs', next: '190753', confirmation: '190735', words: 'PINs do not match' },
    { what: 'the current PIN again', next: '246801', confirmation: '246801', words: 'Please use a different PIN' },
  ])('$what shows "$words" and does not call the main process', async ({ next, confirmation, words }) => {
    const { user, fake } = await openChangePin();
    await fill(user, '246801', next, confirmation);
    expect(screen.getByText(words)).toBeTruthy();
    expect(fake.callsTo('pin.change')).toEqual([]);
  });

  it('asks for the current PIN when it is empty', async () => {
    const { user, fake } = await openChangePin();
    await fill(user, '', '190753');
    expect(screen.getByText('Enter your current PIN.')).toBeTruthy();
    expect(fake.callsTo('pin.change')).toEqual([]);
  });

  it('changes the PIN and says so on the key view', async () => {
    const { user, fake } = await openChangePin((f) => f.handle('pin.change', () => okResult({ pinRetries: 3, warnings: [] })));
    await fill(user, '246801', '190753');
    expect(fake.callsTo('pin.change')).toEqual([{ currentPin: '246801', newPin: '190753', confirmation: '190753' }]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Your security key' })).toBeTruthy();
    expect(screen.getByText(/Your PIN was changed/)).toBeTruthy();
  });

  it('a PIN changed while the audit log could not be written says both: changed, and what was not written', async () => {
    const warning =
      "The PIN was changed, but the audit log was not written: The file /data/audit.log in the app's data folder cannot be used: it is a folder, not a file.";
    const { user } = await openChangePin((f) => f.handle('pin.change', () => okResult({ pinRetries: 3, warnings: [warning] })));
    await fill(user, '246801', '190753');
    expect(await screen.findByRole('heading', { level: 1, name: 'Your security key' })).toBeTruthy();
    expect(
      screen.getByText(/Your PIN was changed\. Use the new PIN from now on\. However: The PIN was changed, but the audit log was not written/),
    ).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a wrong current PIN: the words, the tries left, the current PIN cleared', async () => {
    const { user } = await openChangePin((f) => f.handle('pin.change', () => errResult('PIN_INCORRECT', { retries: 2 })));
    await fill(user, '246801', '190753');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/The PIN is incorrect.*2 PIN attempts left/s);
    expect((screen.getByLabelText('Current PIN') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('New PIN') as HTMLInputElement).value).toBe('190753');
    await expectNoSeriousAxeViolations();
  });

  it('a blocked PIN: "Too many failed attempts" and the administrator', async () => {
    const { user } = await openChangePin((f) => f.handle('pin.change', () => errResult('PIN_BLOCKED', { retries: 0 })));
    await fill(user, '246801', '190753');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Too many failed attempts/);
    expect(alert.textContent).toMatch(/administrator must reset/);
  });

  it('"Cancel" goes back to the key without calling the main process', async () => {
    const { user, fake } = await openChangePin();
    await user.type(screen.getByLabelText('Current PIN'), '246801');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Your security key' })).toBeTruthy();
    expect(fake.callsTo('pin.change')).toEqual([]);
  });
});
