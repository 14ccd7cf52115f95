// "Check sign-in": the PIN, then the answer; the Windows messages users know
// for a blocked card, a missing certificate, and an unknown revocation status.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../electron/ipc/error-codes.ts';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { errResult, type FakeWfa, okResult } from '../test/fake-wfa.ts';
import { keySummary, NOT_AFTER, pairedStatus, SERIAL } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

async function checkWith(configure: (f: FakeWfa) => void) {
  const app = await renderApp(pairedStatus(), configure);
  await app.user.click(screen.getByRole('button', { name: 'Check sign-in' }));
  await screen.findByRole('heading', { level: 1, name: 'Check sign-in' });
  await app.user.type(screen.getByLabelText('PIN'), '190753');
  await app.user.click(screen.getByRole('button', { name: 'Check sign-in' }));
  return app;
}

describe('check sign-in', () => {
  it('asks for the PIN, with the tries left', async () => {
    const { user } = await renderApp(pairedStatus());
    await user.click(screen.getByRole('button', { name: 'Check sign-in' }));
    expect(screen.getByLabelText('PIN').getAttribute('type')).toBe('password');
    expect(screen.getByText('3 PIN attempts left')).toBeTruthy();
    await expectNoSeriousAxeViolations();
  });

  it('says sign-in works, and clears the PIN', async () => {
    const { fake } = await checkWith((f) =>
      f.handle('signin.check', () =>
        okResult({ serial: SERIAL, certificate: { serial: '0a', subject: 'CN=alice@example.com', notAfter: NOT_AFTER }, revocationChecked: true }),
      ),
    );
    expect(await screen.findByText('Sign-in works with this security key')).toBeTruthy();
    expect(fake.callsTo('signin.check')).toEqual([{ pin: '190753' }]);
    expect((screen.getByLabelText('PIN') as HTMLInputElement).value).toBe('');
    await expectNoSeriousAxeViolations();
  });

  it.each<[ErrorCode, RegExp]>([
    ['SMART_CARD_BLOCKED', /The smart card is blocked.*administrator must reset the PIN/s],
    ['NO_VALID_CERTIFICATE', /No valid certificates were found on this smart card.*Unplug the security key and plug it back in/s],
    ['REVOCATION_UNKNOWN', /The revocation status of the domain controller certificate used for smart card authentication could not be determined\..*VPN/s],
    ['PIN_INCORRECT', /The PIN is incorrect/],
  ])('%s: the words users know', async (code, words) => {
    await checkWith((f) => f.handle('signin.check', () => errResult(code)));
    expect((await screen.findByRole('alert')).textContent).toMatch(words);
    await expectNoSeriousAxeViolations();
  });

  it('a blocked card shows no tries left, and the count is read again from the key', async () => {
    const { fake } = await checkWith((f) => f.handle('signin.check', () => errResult('SMART_CARD_BLOCKED', { retries: 0 })));
    await screen.findByRole('alert');
    expect(screen.queryByText(/PIN attempts? left/)).toBeNull();
    expect(fake.callsTo('status.get').length).toBeGreaterThanOrEqual(2);
  });

  it('with one attempt left, the PIN is sent only after the user turns on "Use my last PIN attempt"', async () => {
    const lastTry = pairedStatus({ keys: [keySummary({ paired: true, managementKey: 'protected', pinRetries: 1 })] });
    const { user, fake } = await renderApp(lastTry, (f) => f.handle('signin.check', () => errResult('PIN_INCORRECT', { retries: 0 })));
    await user.click(screen.getByRole('button', { name: 'Check sign-in' }));
    await screen.findByRole('heading', { level: 1, name: 'Check sign-in' });
    await user.type(screen.getByLabelText('PIN'), '190753');
    await user.click(screen.getByRole('button', { name: 'Check sign-in' }));
    expect(await screen.findByText(/turn on "Use my last PIN attempt"/)).toBeTruthy();
    expect(fake.callsTo('signin.check')).toEqual([]);
    await expectNoSeriousAxeViolations();

    await user.click(screen.getByRole('switch', { name: 'Use my last PIN attempt' }));
    await user.click(screen.getByRole('button', { name: 'Check sign-in' }));
    await screen.findByRole('alert');
    expect(fake.callsTo('signin.check')).toEqual([{ pin: '190753', lastTryConfirmed: true }]);
  });
});
