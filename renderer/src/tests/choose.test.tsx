// Choose what to pair: "Smartphone" is answered plainly (not offered here);
// "Security key" runs the checks and leads to the temporary PIN.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { okResult } from '../test/fake-wfa.ts';
import { precheck, status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

describe('choose what to pair', () => {
  it('says plainly that smartphones are not paired by this app', async () => {
    const { user, fake } = await renderApp(status());
    await user.click(screen.getByRole('button', { name: 'Start Pairing' }));
    await user.click(screen.getByRole('button', { name: 'Smartphone' }));
    expect(screen.getByRole('status').textContent).toMatch(/does not pair smartphones/);
    expect(fake.callsTo('pairing.precheck')).toEqual([]);
    await expectNoSeriousAxeViolations();
  });

  it('"Security key" runs the checks, then asks for the temporary PIN', async () => {
    const { user, fake } = await renderApp(status(), (f) => f.handle('pairing.precheck', () => okResult(precheck())));
    await user.click(screen.getByRole('button', { name: 'Start Pairing' }));
    await user.click(screen.getByRole('button', { name: 'Security key' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Enter your temporary PIN' })).toBeTruthy();
    expect(fake.callsTo('pairing.precheck')).toEqual([{}]);
  });

  it('"Cancel" goes back home', async () => {
    const { user } = await renderApp(status());
    await user.click(screen.getByRole('button', { name: 'Start Pairing' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Start Pairing' })).toBeTruthy();
  });
});
