// The shapes the main process sends, with values a test can override.
import type { KeySummary, PairingView, PrecheckView, ReminderView, StatusView, TrayMenuItem, TrayModel } from '../../../electron/ipc/contract.ts';

export const SERIAL = 12345678;
export const OTHER_SERIAL = 87654321;
/** Far in the future, so "days left" does not depend on when the test runs (the reminder gives the days). */
export const NOT_AFTER = '2099-06-12T10:00:00.000Z';

export function keySummary(over: Partial<KeySummary> = {}): KeySummary {
  return {
    reader: 'Virtual PCD 00 00',
    serial: SERIAL,
    model: 'YubiKey 5 NFC',
    firmware: '5.7.1',
    pinRetries: 3,
    pukRetries: 3,
    managementKey: 'default',
    paired: false,
    ...over,
  };
}

export function pairingView(over: Partial<PairingView> = {}): PairingView {
  return {
    serial: SERIAL,
    model: 'YubiKey 5 NFC',
    certificate: { serial: '0a1b2c', subject: 'CN=alice@example.com', notAfter: NOT_AFTER },
    pairedAt: '2026-01-10T09:00:00.000Z',
    pending: null,
    attestation: 'verified',
    attestationDetail: { status: 'verified', firmware: '5.7.1', formFactor: 'USB-A keychain', reason: null, detail: null },
    ...over,
  };
}

export function reminder(over: Partial<ReminderView> = {}): ReminderView {
  return { stage: 'none', daysLeft: 300, snoozedUntil: null, canSnooze: false, snoozeChoices: [], ...over };
}

export function status(over: Partial<StatusView> = {}): StatusView {
  return { keys: [keySummary()], pairing: null, reminder: null, pinDigitsOnly: false, problems: [], enrollmentPasswordNeeded: false, ...over };
}

export function pairedStatus(over: Partial<StatusView> = {}): StatusView {
  return status({ keys: [keySummary({ paired: true, managementKey: 'protected' })], pairing: pairingView(), reminder: reminder(), ...over });
}

export function precheck(over: Partial<PrecheckView> = {}): PrecheckView {
  return { key: keySummary(), pinRetries: 3, ...over };
}

/**
 * A tray model as the main process's TrayPresenter makes it (the renderer may
 * not import the presenter: these are its documented outputs, spelled out).
 */
export function trayModel(over: Partial<TrayModel> & { readonly snooze?: readonly number[]; readonly renew?: boolean } = {}): TrayModel {
  const { snooze = [], renew = false, ...rest } = over;
  const menu: TrayMenuItem[] = [
    ...(renew ? [{ action: 'renew', label: 'Renew now' } as const] : []),
    ...snooze.map((d): TrayMenuItem => ({ action: `snooze:${d}`, label: d === 1 ? 'Snooze for 1 day' : `Snooze for ${d} days` })),
    { action: 'open', label: 'Open Workforce Access' },
    { action: 'quit', label: 'Quit' },
  ];
  return { icon: 'ok', tooltip: 'Workforce Access: sign-in certificate valid for 300 days', menu, notification: null, ...rest };
}
