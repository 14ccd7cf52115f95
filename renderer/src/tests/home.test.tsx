// Home, nothing paired: one "Start Pairing" button; the heading has the focus.
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

describe('home screen (nothing paired)', () => {
  it('offers "Start Pairing" and focuses its heading', async () => {
    await renderApp(status());
    expect(screen.getByRole('button', { name: 'Start Pairing' })).toBeTruthy();
    const heading = screen.getByRole('heading', { level: 1 });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    await expectNoSeriousAxeViolations();
  });

  it('"Start Pairing" leads to the choice of what to pair', async () => {
    const { user } = await renderApp(status());
    await user.click(screen.getByRole('button', { name: 'Start Pairing' }));
    expect(screen.getByRole('heading', { level: 1, name: 'What would you like to pair?' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Smartphone' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Security key' })).toBeTruthy();
  });

  it('stops listening to the main process when it goes away', async () => {
    const { fake, unmount } = await renderApp(status());
    expect(fake.listenerCount()).toBe(6);
    unmount();
    expect(fake.listenerCount()).toBe(0);
  });
});
