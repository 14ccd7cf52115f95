// The app's status: loading, unreadable (with "Try again"), the bridge
// missing, and a pairing record that was kept aside.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App.tsx';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { createFakeWfa, errResult, installFakeWfa, okResult } from '../test/fake-wfa.ts';
import { status, trayModel } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

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

  it('tells about a pairing record that was kept aside', async () => {
    await renderApp(status({ storeProblem: 'Your pairing record could not be read (bad JSON); it was kept as pairing.json.bad.' }));
    expect(screen.getByText(/Your pairing record could not be read/)).toBeTruthy();
  });
});
