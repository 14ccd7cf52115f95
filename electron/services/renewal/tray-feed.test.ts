// The feed between the event hub and the tray: reminder events in, 'tray.changed' out.
import { describe, expect, it } from 'vitest';
import type { ReminderView, TrayModel } from '../../ipc/contract.ts';
import { EventHub } from '../events/event-hub.ts';
import { connectTrayFeed } from './tray-feed.ts';

const urgent: ReminderView = { stage: 'urgent', daysLeft: 5, snoozedUntil: null, canSnooze: true, snoozeChoices: [1] };

describe('connectTrayFeed', () => {
  it("turns 'reminder.changed' and 'reminder.due' into 'tray.changed', and stops when told", () => {
    const hub = new EventHub();
    const feed = connectTrayFeed(hub, null);
    const sent: TrayModel[] = [];
    hub.subscribe((event) => {
      if (event.name === 'tray.changed') sent.push(event.payload);
    });
    expect(feed.model.icon).toBe('ok');
    hub.emit('reminder.changed', urgent);
    hub.emit('reminder.due', { stage: 'urgent', daysLeft: 5, missedWhileAsleep: false });
    expect(sent.map((m) => [m.icon, m.notification?.action ?? null])).toEqual([
      ['urgent', null],
      ['urgent', 'open'],
    ]);
    expect(feed.model).toEqual(sent[1]);
    feed.stop();
    hub.emit('reminder.changed', null);
    expect(sent).toHaveLength(2);
    expect(hub.listenerCount).toBe(1);
  });

  it('starts from the reminder of the pairing record', () => {
    expect(connectTrayFeed(new EventHub(), urgent).model.icon).toBe('urgent');
  });
});
