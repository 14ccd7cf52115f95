// SystemTray's rendering decisions with a fake factory that records every
// call (Signal Desktop's SystemTrayService_test does the same). This tests
// what is asked of the tray, not Electron: Electron's binary cannot run here.
import { describe, expect, it } from 'vitest';
import type { TrayAction, TrayModel, TrayNotification } from '../ipc/contract.ts';
import { SystemTray, type TrayFactory } from './system-tray.ts';

interface FakeFactory extends TrayFactory {
  readonly calls: string[];
  readonly trays: { destroyed: boolean; pick: ((a: TrayAction) => void) | null; click: (() => void) | null }[];
  readonly notifications: { content: TrayNotification; closed: boolean; click: () => void }[];
}

function fakeFactory(): FakeFactory {
  const calls: string[] = [];
  const trays: FakeFactory['trays'] = [];
  const notifications: FakeFactory['notifications'] = [];
  return {
    calls,
    trays,
    notifications,
    createTray(icon) {
      calls.push(`create ${icon}`);
      const tray: FakeFactory['trays'][number] = { destroyed: false, pick: null, click: null };
      trays.push(tray);
      return {
        setIcon: (next) => calls.push(`icon ${next}`),
        setToolTip: (text) => calls.push(`tooltip ${text}`),
        setMenu: (items, onPick) => {
          calls.push(`menu ${items.map((i) => i.action).join(',')}`);
          tray.pick = onPick;
        },
        onClick: (listener) => {
          tray.click = listener;
        },
        destroy: () => {
          calls.push('destroy');
          tray.destroyed = true;
        },
      };
    },
    showNotification(content, onClick) {
      calls.push(`notify ${content.title}`);
      const shown = { content, closed: false, click: onClick };
      notifications.push(shown);
      return {
        close: () => {
          shown.closed = true;
        },
      };
    },
  };
}

const base: TrayModel = {
  icon: 'notice',
  tooltip: 'Workforce Access: sign-in certificate expires in 20 days',
  menu: [
    { action: 'renew', label: 'Renew now' },
    { action: 'snooze:1', label: 'Snooze for 1 day' },
    { action: 'open', label: 'Open Workforce Access' },
    { action: 'quit', label: 'Quit' },
  ],
  notification: null,
};
const asking: TrayNotification = { title: 'Renew your sign-in certificate', body: 'It expires in 5 days.', action: 'open' };

function setup(): { tray: SystemTray; factory: FakeFactory; actions: TrayAction[] } {
  const factory = fakeFactory();
  const actions: TrayAction[] = [];
  return { tray: new SystemTray({ factory, onAction: (a) => actions.push(a) }), factory, actions };
}

describe('SystemTray', () => {
  it('creates the tray on the first model, with its icon, tooltip and menu', () => {
    const { tray, factory } = setup();
    expect(tray._getTrayForTesting()).toBeNull();
    tray.render(base);
    expect(factory.calls).toEqual(['create notice', `tooltip ${base.tooltip}`, 'menu renew,snooze:1,open,quit']);
    expect(tray._getTrayForTesting()).not.toBeNull();
  });

  it('does nothing for a model equal to the last one', () => {
    const { tray, factory } = setup();
    tray.render(base);
    factory.calls.length = 0;
    tray.render({ ...base, menu: base.menu.map((item) => ({ ...item })) });
    expect(factory.calls).toEqual([]);
  });

  it('changes only what changed', () => {
    const { tray, factory } = setup();
    tray.render(base);
    factory.calls.length = 0;
    tray.render({ ...base, icon: 'final', menu: [base.menu[0]!, base.menu[2]!, base.menu[3]!] });
    expect(factory.calls).toEqual(['icon final', 'menu renew,open,quit']);
  });

  it('passes menu picks and clicks on the icon on as actions', () => {
    const { tray, factory, actions } = setup();
    tray.render(base);
    factory.trays[0]!.pick?.('snooze:1');
    factory.trays[0]!.click?.();
    expect(actions).toEqual(['snooze:1', 'open']);
  });

  it('shows a notification once, opens the window on its click, and closes it when it leaves the model', () => {
    const { tray, factory, actions } = setup();
    tray.render({ ...base, notification: asking });
    tray.render({ ...base, notification: { ...asking } });
    expect(factory.notifications).toHaveLength(1);
    factory.notifications[0]!.click();
    expect(actions).toEqual(['open']);
    tray.render(base);
    expect(factory.notifications[0]!.closed).toBe(true);
  });

  it("shows the next day's reminder (other words) in place of the last", () => {
    const { tray, factory } = setup();
    tray.render({ ...base, notification: asking });
    tray.render({ ...base, notification: { ...asking, body: 'It expires in 4 days.' } });
    expect(factory.notifications.map((n) => [n.content.body, n.closed])).toEqual([
      ['It expires in 5 days.', true],
      ['It expires in 4 days.', false],
    ]);
  });

  it('destroy removes the icon and the notification; a later model makes a new tray', () => {
    const { tray, factory } = setup();
    tray.render({ ...base, notification: asking });
    tray.destroy();
    expect(factory.trays[0]!.destroyed).toBe(true);
    expect(factory.notifications[0]!.closed).toBe(true);
    expect(tray._getTrayForTesting()).toBeNull();
    tray.render(base);
    expect(factory.trays).toHaveLength(2);
  });
});
