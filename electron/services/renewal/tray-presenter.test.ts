// The tray's model for each stage and every change the events bring: what the
// user sees in the tray (icon, tooltip, menu) and when the app asks (notification).
import { describe, expect, it } from 'vitest';
import type { ReminderDue, ReminderView, TrayModel } from '../../ipc/contract.ts';
import { TrayPresenter, trayModel } from './tray-presenter.ts';

const view = (over: Partial<ReminderView> = {}): ReminderView => ({
  stage: 'none',
  daysLeft: 200,
  snoozedUntil: null,
  canSnooze: false,
  snoozeChoices: [],
  ...over,
});
const due = (over: Partial<ReminderDue> = {}): ReminderDue => ({ stage: 'urgent', daysLeft: 5, missedWhileAsleep: false, ...over });
const actions = (model: TrayModel): string[] => model.menu.map((item) => item.action);

describe('trayModel', () => {
  it('nothing paired: the plain icon, Open and Quit, no notification', () => {
    const model = trayModel({ reminder: null, due: null, paired: false });
    expect(model).toEqual({
      icon: 'ok',
      tooltip: 'Workforce Access: no security key paired',
      menu: [
        { action: 'open', label: 'Open Workforce Access' },
        { action: 'quit', label: 'Quit' },
      ],
      notification: null,
    });
  });

  it('renewal far off: the plain icon, the days of validity, no "Renew now"', () => {
    const model = trayModel({ reminder: view({ daysLeft: 200 }), due: null, paired: true });
    expect(model.icon).toBe('ok');
    expect(model.tooltip).toBe('Workforce Access: sign-in certificate valid for 200 days');
    expect(actions(model)).toEqual(['open', 'quit']);
  });

  it('notice: its icon, the days left, "Renew now" and each snooze choice the rules give', () => {
    const model = trayModel({ reminder: view({ stage: 'notice', daysLeft: 20, canSnooze: true, snoozeChoices: [1, 7] }), due: null, paired: true });
    expect(model.icon).toBe('notice');
    expect(model.tooltip).toBe('Workforce Access: sign-in certificate expires in 20 days');
    expect(model.menu).toEqual([
      { action: 'renew', label: 'Renew now' },
      { action: 'snooze:1', label: 'Snooze for 1 day' },
      { action: 'snooze:7', label: 'Snooze for 7 days' },
      { action: 'open', label: 'Open Workforce Access' },
      { action: 'quit', label: 'Quit' },
    ]);
  });

  it('urgent: snooze only until the next day when that is the only choice', () => {
    const model = trayModel({ reminder: view({ stage: 'urgent', daysLeft: 5, canSnooze: true, snoozeChoices: [1] }), due: null, paired: true });
    expect(model.icon).toBe('urgent');
    expect(actions(model)).toEqual(['renew', 'snooze:1', 'open', 'quit']);
  });

  it.each([
    ['final', 1, 'Workforce Access: sign-in certificate expires in 1 day'],
    ['expired', 0, 'Workforce Access: sign-in certificate expired'],
  ] as const)('%s: no snooze at all, even if the view offered choices', (stage, daysLeft, tooltip) => {
    const model = trayModel({ reminder: view({ stage, daysLeft, canSnooze: true, snoozeChoices: [1] }), due: null, paired: true });
    expect(model.icon).toBe(stage);
    expect(model.tooltip).toBe(tooltip);
    expect(actions(model)).toEqual(['renew', 'open', 'quit']);
  });

  it('no snooze while the rules say no (canSnooze false), whatever the choices', () => {
    const model = trayModel({ reminder: view({ stage: 'notice', daysLeft: 20, canSnooze: false, snoozeChoices: [1] }), due: null, paired: true });
    expect(actions(model)).toEqual(['renew', 'open', 'quit']);
  });

  it('a snoozed reminder says so in the tooltip', () => {
    const model = trayModel({
      reminder: view({ stage: 'notice', daysLeft: 20, canSnooze: true, snoozedUntil: '2099-01-02T00:00:00.000Z' }),
      due: null,
      paired: true,
    });
    expect(model.tooltip).toBe('Workforce Access: sign-in certificate expires in 20 days (reminder snoozed)');
  });

  it('keeps every tooltip within the 127 characters Windows shows', () => {
    for (const stage of ['none', 'notice', 'urgent', 'final', 'expired'] as const) {
      const model = trayModel({ reminder: view({ stage, daysLeft: 9999, snoozedUntil: '2099-01-02T00:00:00.000Z' }), due: null, paired: true });
      expect(model.tooltip.length).toBeLessThanOrEqual(127);
    }
  });

  it('notice due: the tray alone says it, no notification', () => {
    expect(trayModel({ reminder: view({ stage: 'notice', daysLeft: 30 }), due: due({ stage: 'notice', daysLeft: 30 }), paired: true }).notification).toBeNull();
  });

  it('urgent, final and expired due: a notification whose click opens the window', () => {
    const urgent = trayModel({ reminder: view({ stage: 'urgent', daysLeft: 5 }), due: due({ stage: 'urgent', daysLeft: 5 }), paired: true }).notification;
    expect(urgent).toEqual({
      title: 'Renew your sign-in certificate',
      body: 'It expires in 5 days. Click to open Workforce Access and renew it.',
      action: 'open',
    });
    const final = trayModel({ reminder: view({ stage: 'final', daysLeft: 1 }), due: due({ stage: 'final', daysLeft: 1 }), paired: true }).notification;
    expect(final).toMatchObject({ title: 'Your sign-in certificate expires very soon', action: 'open' });
    expect(final?.body).toContain('cannot be snoozed');
    const expired = trayModel({ reminder: view({ stage: 'expired', daysLeft: -2 }), due: due({ stage: 'expired', daysLeft: -2 }), paired: true }).notification;
    expect(expired).toMatchObject({ title: 'Your sign-in certificate has expired', action: 'open' });
  });

  it('a reminder missed while asleep says so', () => {
    const model = trayModel({ reminder: view({ stage: 'urgent', daysLeft: 4 }), due: due({ daysLeft: 4, missedWhileAsleep: true }), paired: true });
    expect(model.notification?.body).toContain('came due while the computer was asleep');
  });

  it('no notification once nothing is paired', () => {
    expect(trayModel({ reminder: null, due: due(), paired: false }).notification).toBeNull();
  });
});

describe('TrayPresenter', () => {
  const urgentView = view({ stage: 'urgent', daysLeft: 5, canSnooze: true, snoozeChoices: [1] });

  function presenter(initial: ReminderView | null = null): { p: TrayPresenter; models: TrayModel[] } {
    const models: TrayModel[] = [];
    return { p: new TrayPresenter({ initial: { reminder: initial }, onChanged: (m) => models.push(m) }), models };
  }

  it('starts from the reminder it is given, paired when there is one', () => {
    expect(presenter(urgentView).p.model.icon).toBe('urgent');
    expect(presenter(null).p.model.tooltip).toBe('Workforce Access: no security key paired');
  });

  it('tells of a change only when the model changed', () => {
    const { p, models } = presenter(urgentView);
    p.setReminder(urgentView);
    p.setReminder({ ...urgentView });
    expect(models).toEqual([]);
    p.setReminder(view({ stage: 'urgent', daysLeft: 4, canSnooze: true, snoozeChoices: [1] }));
    expect(models.map((m) => m.tooltip)).toEqual(['Workforce Access: sign-in certificate expires in 4 days']);
  });

  it('keeps a due notification while the reminder stays in its stage, and drops it on a snooze', () => {
    const { p, models } = presenter(urgentView);
    p.remind(due());
    expect(p.model.notification?.title).toBe('Renew your sign-in certificate');
    p.setReminder(urgentView);
    expect(p.model.notification).not.toBeNull();
    p.setReminder({ ...urgentView, snoozedUntil: '2099-01-02T00:00:00.000Z' });
    expect(p.model.notification).toBeNull();
    expect(models.map((m) => m.notification === null)).toEqual([false, true]);
  });

  it('drops a due notification when the stage moves on (renewed) or the pairing goes', () => {
    const { p } = presenter(urgentView);
    p.remind(due());
    p.setReminder(view({ stage: 'none', daysLeft: 365 }));
    expect(p.model).toMatchObject({ icon: 'ok', notification: null });
    p.remind(due({ stage: 'final', daysLeft: 1 }));
    p.setReminder(null);
    expect(p.model).toMatchObject({ icon: 'ok', notification: null, tooltip: 'Workforce Access: no security key paired' });
  });

  it("a due that arrives before its stage's view is kept once the view catches up", () => {
    const { p } = presenter(urgentView);
    p.remind(due({ stage: 'final', daysLeft: 1 }));
    p.setReminder(view({ stage: 'final', daysLeft: 1 }));
    expect(p.model.notification?.title).toBe('Your sign-in certificate expires very soon');
  });
});
