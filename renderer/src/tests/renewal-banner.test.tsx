// The renewal banner: days left from status.reminder, kept live by
// 'reminder.changed'. No "Renew now" or "Snooze" yet: the contract has no
// channel for either.
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { pairedStatus, reminder } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

describe('renewal banner', () => {
  it('is not shown while renewal is far off', async () => {
    await renderApp(pairedStatus({ reminder: reminder({ stage: 'none', daysLeft: 200 }) }));
    expect(screen.queryByRole('complementary', { name: 'Certificate renewal' })).toBeNull();
  });

  it('shows the days left from the notice stage on, without actions it cannot do yet', async () => {
    await renderApp(pairedStatus({ reminder: reminder({ stage: 'notice', daysLeft: 21, canSnooze: true }) }));
    const banner = screen.getByRole('complementary', { name: 'Certificate renewal' });
    expect(banner.textContent).toMatch(/expires in 21 days, on 12 June 2099/);
    expect(screen.queryByRole('button', { name: 'Renew now' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Snooze' })).toBeNull();
    await expectNoSeriousAxeViolations();
  });

  it("follows 'reminder.changed' live, up to expiry", async () => {
    const { fake } = await renderApp(pairedStatus());
    act(() => fake.emit('reminder.changed', reminder({ stage: 'final', daysLeft: 1 })));
    expect(screen.getByRole('complementary', { name: 'Certificate renewal' }).textContent).toMatch(/expires in 1 day,/);
    act(() => fake.emit('reminder.changed', reminder({ stage: 'expired', daysLeft: 0 })));
    expect(screen.getByRole('complementary', { name: 'Certificate renewal' }).textContent).toMatch(/has expired/);
    act(() => fake.emit('reminder.changed', null));
    expect(screen.queryByRole('complementary', { name: 'Certificate renewal' })).toBeNull();
  });
});
