// The renewal banner per stage: the days left, "Renew now", and snooze only
// where the tray (the rules) offers it; a refused snooze says why.
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ReminderView } from '../../../electron/ipc/contract.ts';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { errResult, okResult } from '../test/fake-wfa.ts';
import { pairedStatus, reminder, trayModel } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

const banner = (): HTMLElement => screen.getByRole('complementary', { name: 'Certificate renewal' });
const bannerButtons = (): string[] =>
  within(banner())
    .queryAllByRole('button')
    .map((b) => b.textContent ?? '');

async function renderStage(view: ReminderView, snooze: readonly number[]) {
  return renderApp(pairedStatus({ reminder: view }), (f) =>
    f.handle('tray.get', () => okResult(trayModel({ icon: view.stage === 'none' ? 'ok' : view.stage, renew: true, snooze }))),
  );
}

describe('renewal banner', () => {
  it('is not shown while renewal is far off', async () => {
    await renderApp(pairedStatus({ reminder: reminder({ stage: 'none', daysLeft: 200 }) }));
    expect(screen.queryByRole('complementary', { name: 'Certificate renewal' })).toBeNull();
  });

  it('notice: the days left, "Renew now" and each snooze choice', async () => {
    await renderStage(reminder({ stage: 'notice', daysLeft: 21, canSnooze: true, snoozeChoices: [1, 7] }), [1, 7]);
    expect(banner().textContent).toMatch(/expires in 21 days, on 12 June 2099/);
    expect(await within(banner()).findByRole('button', { name: 'Renew now' })).toBeTruthy();
    expect(bannerButtons()).toEqual(['Renew now', 'Snooze for 1 day', 'Snooze for 7 days']);
    await expectNoSeriousAxeViolations();
  });

  it('urgent: snooze until the next day', async () => {
    await renderStage(reminder({ stage: 'urgent', daysLeft: 5, canSnooze: true, snoozeChoices: [1] }), [1]);
    await within(banner()).findByRole('button', { name: 'Renew now' });
    expect(bannerButtons()).toEqual(['Renew now', 'Snooze for 1 day']);
  });

  it.each([
    ['final', 1, /expires in 1 day,/],
    ['expired', 0, /has expired/],
  ] as const)('%s: "Renew now" only, no snooze', async (stage, daysLeft, words) => {
    await renderStage(reminder({ stage, daysLeft }), []);
    await within(banner()).findByRole('button', { name: 'Renew now' });
    expect(banner().textContent).toMatch(words);
    expect(bannerButtons()).toEqual(['Renew now']);
    await expectNoSeriousAxeViolations();
  });

  it('snoozes for the days chosen, then says until when', async () => {
    const view = reminder({ stage: 'notice', daysLeft: 21, canSnooze: true, snoozeChoices: [1, 7] });
    const { fake, user } = await renderStage(view, [1, 7]);
    fake.handle('renewal.snooze', () => okResult({ ...view, snoozedUntil: '2099-05-29T10:00:00.000Z' }));
    await user.click(await within(banner()).findByRole('button', { name: 'Snooze for 7 days' }));
    expect(fake.callsTo('renewal.snooze')).toEqual([{ days: 7 }]);
    expect(await within(banner()).findByText(/Reminder snoozed until 29 May 2099/)).toBeTruthy();
    expect((await screen.findByText(/The reminder is snoozed until 29 May 2099/)).textContent).toBeTruthy();
  });

  it('a refused snooze shows its message in the banner, with the way on', async () => {
    const { fake, user } = await renderStage(reminder({ stage: 'urgent', daysLeft: 2, canSnooze: true, snoozeChoices: [1] }), [1]);
    fake.handle('renewal.snooze', () => errResult('SNOOZE_NOT_ALLOWED'));
    await user.click(await within(banner()).findByRole('button', { name: 'Snooze for 1 day' }));
    const alert = await within(banner()).findByRole('alert');
    expect(alert.textContent).toMatch(/cannot be snoozed any more/);
    expect(alert.textContent).toMatch(/Renew now/);
    await expectNoSeriousAxeViolations();
  });

  it("follows 'reminder.changed' and 'tray.changed' live, up to expiry", async () => {
    const { fake } = await renderApp(pairedStatus());
    act(() => fake.emit('reminder.changed', reminder({ stage: 'final', daysLeft: 1 })));
    act(() => fake.emit('tray.changed', trayModel({ icon: 'final', renew: true })));
    expect(banner().textContent).toMatch(/expires in 1 day,/);
    expect(bannerButtons()).toEqual(['Renew now']);
    act(() => fake.emit('reminder.changed', reminder({ stage: 'expired', daysLeft: 0 })));
    expect(banner().textContent).toMatch(/has expired/);
    act(() => fake.emit('reminder.changed', null));
    expect(screen.queryByRole('complementary', { name: 'Certificate renewal' })).toBeNull();
  });
});
