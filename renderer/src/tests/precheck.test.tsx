// The checks after "Security key": each documented failure in its words,
// with "Try again"; a key plugged in while "not plugged in" is shown runs the
// checks again by itself (no PIN is involved).
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../electron/ipc/error-codes.ts';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { errResult, okResult } from '../test/fake-wfa.ts';
import { keySummary, OTHER_SERIAL, precheck, status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

async function failChecksWith(code: ErrorCode) {
  const app = await renderApp(status({ keys: [] }), (f) => f.handle('pairing.precheck', () => errResult(code)));
  await app.user.click(screen.getByRole('button', { name: 'Start Pairing' }));
  await app.user.click(screen.getByRole('button', { name: 'Security key' }));
  await screen.findByRole('alert');
  return app;
}

describe('the checks before pairing', () => {
  it('shows a busy state while checking', async () => {
    const { user } = await renderApp(status(), (f) => f.handle('pairing.precheck', () => new Promise(() => undefined)));
    await user.click(screen.getByRole('button', { name: 'Start Pairing' }));
    await user.click(screen.getByRole('button', { name: 'Security key' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Checking your setup' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/Checking the company network and your security key/);
  });

  it('company network unreachable: says to connect to the VPN, with "Try again"', async () => {
    await failChecksWith('ENROLLMENT_UNREACHABLE');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/company network/);
    expect(alert.textContent).toMatch(/VPN/);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    await expectNoSeriousAxeViolations();
  });

  it('no key: says your security key isn\'t plugged in; "Try again" checks again', async () => {
    const { user, fake } = await failChecksWith('NO_KEY');
    expect(screen.getByRole('alert').textContent).toMatch(/your security key isn't plugged in/i);
    fake.handle('pairing.precheck', () => okResult(precheck()));
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Enter your temporary PIN' })).toBeTruthy();
    expect(fake.callsTo('pairing.precheck')).toHaveLength(2);
  });

  it('no key: plugging one in runs the checks again by itself', async () => {
    const { fake } = await failChecksWith('NO_KEY');
    fake.handle('pairing.precheck', () => okResult(precheck()));
    act(() => fake.emit('keys.changed', [keySummary()]));
    expect(await screen.findByRole('heading', { level: 1, name: 'Enter your temporary PIN' })).toBeTruthy();
  });

  it('two keys: asks to unplug one; unplugging it runs the checks again', async () => {
    const { fake } = await failChecksWith('MULTIPLE_KEYS');
    expect(screen.getByRole('alert').textContent).toMatch(/More than one security key is plugged in/);
    fake.handle('pairing.precheck', () => okResult(precheck()));
    act(() => fake.emit('keys.changed', [keySummary(), keySummary({ serial: OTHER_SERIAL })]));
    expect(fake.callsTo('pairing.precheck')).toHaveLength(1);
    act(() => fake.emit('keys.changed', [keySummary()]));
    expect(await screen.findByRole('heading', { level: 1, name: 'Enter your temporary PIN' })).toBeTruthy();
  });

  it('two keys: the user chooses which to pair, and the checks run on that key', async () => {
    const other = keySummary({ serial: OTHER_SERIAL, reader: 'Virtual PCD 00 01' });
    const { user, fake } = await renderApp(status({ keys: [keySummary(), other] }), (f) =>
      f.handle('pairing.precheck', (input) =>
        (input as { serial?: number }).serial === OTHER_SERIAL ? okResult(precheck({ key: other })) : errResult('MULTIPLE_KEYS'),
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Start Pairing' }));
    await user.click(screen.getByRole('button', { name: 'Security key' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Which security key do you want to pair?' })).toBeTruthy();
    await expectNoSeriousAxeViolations();
    await user.click(screen.getByRole('button', { name: `YubiKey 5 NFC, serial number ${OTHER_SERIAL}` }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Enter your temporary PIN' })).toBeTruthy();
    expect(fake.callsTo('pairing.precheck')).toEqual([{}, { serial: OTHER_SERIAL }]);
  });

  it('an unsupported key: says which keys work', async () => {
    await failChecksWith('UNSUPPORTED_KEY');
    expect(screen.getByRole('alert').textContent).toMatch(/YubiKey 4 or YubiKey 5/);
  });

  it('"Cancel" leaves the checks', async () => {
    const { user } = await failChecksWith('ENROLLMENT_UNREACHABLE');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Start Pairing' })).toBeTruthy();
  });
});
