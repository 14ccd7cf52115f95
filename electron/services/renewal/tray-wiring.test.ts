// The tray's model through the real services: a key paired on a 5-day
// certificate gives the urgent tray from 'tray.get'; once the reminders start,
// the scheduler's due reminder reaches the tray as a notification
// ('tray.changed'); a snooze takes it away again.
import { describe, expect, it } from 'vitest';
import type { TrayModel } from '../../ipc/contract.ts';
import { appFixture } from '../../app/test-support/app-fixture.ts';

const PAIR = { serial: 21000001, temporaryPin: '123456', newPin: '583920', confirmation: '583920' };

describe('the tray through the services', { timeout: 60_000 }, () => {
  it('follows pairing, the due reminder and a snooze', async () => {
    const f = await appFixture({ policy: JSON.stringify({ key: { algorithm: 'ECCP256' }, certificate: { validityDays: 5 } }) });
    const sent: TrayModel[] = [];
    f.app.events.subscribe((event) => {
      if (event.name === 'tray.changed') sent.push(event.payload);
    });
    expect(await f.value('tray.get', {})).toMatchObject({ icon: 'ok', tooltip: 'Workforce Access: no security key paired', notification: null });

    await f.value('pairing.pair', PAIR);
    const paired = await f.value('tray.get', {});
    expect(paired.icon).toBe('urgent');
    expect(paired.menu.map((item) => item.action)).toEqual(['renew', 'snooze:1', 'open', 'quit']);

    await f.app.reminders.start();
    const asking = await f.value('tray.get', {});
    expect(asking.notification).toMatchObject({ title: 'Renew your sign-in certificate', action: 'open' });
    expect(sent.at(-1)).toEqual(asking);

    await f.value('renewal.snooze', { days: 1 });
    const snoozed = await f.value('tray.get', {});
    expect(snoozed.notification).toBeNull();
    expect(snoozed.tooltip).toMatch(/\(reminder snoozed\)$/);
    f.app.reminders.stop();
    await f.app.close();
  });
});
