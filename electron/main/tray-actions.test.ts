// Each tray pick, against a recording shell.
import { describe, expect, it } from 'vitest';
import { fail, ok, type ReminderView, type Result, type TrayAction } from '../ipc/contract.ts';
import { runTrayAction, snoozeDays, type TrayActionShell } from './tray-actions.ts';

const snoozed: ReminderView = { stage: 'notice', daysLeft: 20, snoozedUntil: '2099-01-02T00:00:00.000Z', canSnooze: true, snoozeChoices: [1, 7] };

function recordingShell(snoozeResult: Result<ReminderView> = ok(snoozed)): TrayActionShell & { readonly did: string[] } {
  const did: string[] = [];
  return {
    did,
    showWindow: () => did.push('show'),
    quit: () => did.push('quit'),
    snooze: (days) => {
      did.push(`snooze ${days}`);
      return Promise.resolve(snoozeResult);
    },
    tellPage: (action: TrayAction) => did.push(`page ${action}`),
    log: () => undefined,
  };
}

describe('runTrayAction', () => {
  it.each([
    ['open', ['show']],
    ['quit', ['quit']],
    ['renew', ['show', 'page renew']],
    ['snooze:7', ['snooze 7']],
  ] as const)('%s', async (action, expected) => {
    const shell = recordingShell();
    await runTrayAction(action, shell);
    expect(shell.did).toEqual(expected);
  });

  it('a refused snooze shows the window and tells the page, which says why', async () => {
    const shell = recordingShell(fail({ code: 'SNOOZE_NOT_ALLOWED', message: 'no' }));
    await runTrayAction('snooze:1', shell);
    expect(shell.did).toEqual(['snooze 1', 'show', 'page snooze:1']);
  });
});

describe('snoozeDays', () => {
  it('reads the days of a snooze action and nothing else', () => {
    expect(snoozeDays('snooze:1')).toBe(1);
    expect(snoozeDays('snooze:14')).toBe(14);
    expect(snoozeDays('renew')).toBeNull();
    expect(snoozeDays('snooze:-1')).toBeNull();
  });
});
