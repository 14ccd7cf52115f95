// The in-page tray view (web shell): the tray's model as a menu button, its
// notification as a toast, kept live by 'tray.changed'; every item works
// from the keyboard.
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { okResult } from '../test/fake-wfa.ts';
import { pairedStatus, reminder, trayModel } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

const notice = trayModel({ icon: 'notice', tooltip: 'Workforce Access: sign-in certificate expires in 20 days', renew: true, snooze: [1, 7] });
const menuButton = () => screen.findByRole('button', { name: 'Tray menu' });
const itemNames = (): string[] => screen.getAllByRole('menuitem').map((item) => item.textContent ?? '');

async function renderTray() {
  const view = reminder({ stage: 'notice', daysLeft: 20, canSnooze: true, snoozeChoices: [1, 7] });
  const app = await renderApp(pairedStatus({ reminder: view }), (f) => f.handle('tray.get', () => okResult(notice)));
  await menuButton();
  return { ...app, view };
}

describe('in-page tray view', () => {
  it('shows the stage icon and the tooltip', async () => {
    await renderTray();
    expect(screen.getByText('Workforce Access: sign-in certificate expires in 20 days')).toBeTruthy();
    expect(document.querySelector('.tray-icon')?.getAttribute('data-icon')).toBe('notice');
  });

  it('opens its menu from the keyboard, moves with the arrows, and Escape gives the focus back', async () => {
    const { user } = await renderTray();
    (await menuButton()).focus();
    await user.keyboard('{Enter}');
    expect(itemNames()).toEqual(['Renew now', 'Snooze for 1 day', 'Snooze for 7 days', 'Open Workforce Access', 'Quit (desktop app only)']);
    expect(document.activeElement?.textContent).toBe('Renew now');
    expect((await menuButton()).getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement?.textContent).toBe('Snooze for 7 days');
    await user.keyboard('{ArrowUp}{ArrowUp}{ArrowUp}');
    expect(document.activeElement?.textContent).toBe('Quit (desktop app only)');
    expect(document.activeElement?.getAttribute('aria-disabled')).toBe('true');
    await expectNoSeriousAxeViolations();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(await menuButton());
  });

  it('"Renew now" in the menu opens the renewal form', async () => {
    const { user } = await renderTray();
    await user.click(await menuButton());
    await user.click(screen.getByRole('menuitem', { name: 'Renew now' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Renew your sign-in certificate' })).toBeTruthy();
  });

  it('a snooze in the menu snoozes for its days', async () => {
    const { user, fake, view } = await renderTray();
    fake.handle('renewal.snooze', () => okResult({ ...view, snoozedUntil: '2099-05-23T10:00:00.000Z' }));
    await user.click(await menuButton());
    await user.click(screen.getByRole('menuitem', { name: 'Snooze for 1 day' }));
    expect(fake.callsTo('renewal.snooze')).toEqual([{ days: 1 }]);
    expect(await screen.findByText(/Reminder snoozed until 23 May 2099/)).toBeTruthy();
  });

  it("follows 'tray.changed': a new stage, fewer items, and the notification that asks", async () => {
    const { fake, user } = await renderTray();
    act(() =>
      fake.emit(
        'tray.changed',
        trayModel({
          icon: 'final',
          tooltip: 'Workforce Access: sign-in certificate expires in 1 day',
          renew: true,
          notification: { title: 'Your sign-in certificate expires very soon', body: 'It expires in 1 day.', action: 'open' },
        }),
      ),
    );
    expect(screen.getByText('Workforce Access: sign-in certificate expires in 1 day')).toBeTruthy();
    expect(document.querySelector('.tray-icon')?.getAttribute('data-icon')).toBe('final');
    const toast = screen.getByRole('alert', { name: 'Notification' });
    expect(toast.textContent).toMatch(/expires very soon/);
    await expectNoSeriousAxeViolations();
    await user.click(within(toast).getByRole('button', { name: 'Open' }));
    expect(screen.queryByRole('alert', { name: 'Notification' })).toBeNull();
    expect(document.activeElement?.textContent).toBe('Your security key');
    await user.click(await menuButton());
    expect(itemNames()).toEqual(['Renew now', 'Open Workforce Access', 'Quit (desktop app only)']);
  });

  it('a dismissed notification stays away until a new one comes', async () => {
    const { fake, user } = await renderTray();
    const asking = { title: 'Renew your sign-in certificate', body: 'It expires in 5 days.', action: 'open' } as const;
    act(() => fake.emit('tray.changed', trayModel({ icon: 'urgent', renew: true, notification: asking })));
    await user.click(within(screen.getByRole('alert', { name: 'Notification' })).getByRole('button', { name: 'Dismiss' }));
    act(() => fake.emit('tray.changed', trayModel({ icon: 'urgent', renew: true, snooze: [1], notification: asking })));
    expect(screen.queryByRole('alert', { name: 'Notification' })).toBeNull();
    act(() => fake.emit('tray.changed', trayModel({ icon: 'urgent', renew: true, notification: { ...asking, body: 'It expires in 4 days.' } })));
    expect(screen.getByRole('alert', { name: 'Notification' }).textContent).toMatch(/4 days/);
  });
});
