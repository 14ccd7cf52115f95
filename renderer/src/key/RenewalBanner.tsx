// The renewal reminder as a banner, per stage: the days left, "Renew now",
// and "Snooze for N days" only where the rules allow it. The actions are the
// tray's (stores/tray-store.ts), so the page offers what the tray offers; a
// refused snooze shows its message here.
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDate, formatDateTime } from '../components/format.ts';
import { Icon } from '../components/Icon.tsx';
import { snoozeReminder } from '../renewal/renewal-flow.ts';
import { useErrorFor } from '../stores/error-store.ts';
import { useRenewalStore } from '../stores/renewal-store.ts';
import { useReminder, useStatusStore } from '../stores/status-store.ts';
import { canRenewFrom, snoozeChoicesOf, useTrayStore } from '../stores/tray-store.ts';

export function renewalText(daysLeft: number, notAfter: string | null): string {
  if (daysLeft <= 0) return 'Your sign-in certificate has expired. Signing in with the security key stops working until it is renewed.';
  const days = daysLeft === 1 ? '1 day' : `${daysLeft} days`;
  const on = notAfter === null ? '' : `, on ${formatDate(notAfter)}`;
  return `Your sign-in certificate expires in ${days}${on}. It must be renewed before then.`;
}

const snoozeLabel = (days: number): string => (days === 1 ? 'Snooze for 1 day' : `Snooze for ${days} days`);

export function RenewalBanner() {
  const reminder = useReminder();
  const notAfter = useStatusStore((s) => s.status?.pairing?.certificate?.notAfter ?? null);
  const tray = useTrayStore((s) => s.model);
  const error = useErrorFor('snooze');
  if (reminder === null || reminder.stage === 'none') return null;
  const urgent = reminder.stage !== 'notice';
  const choices = snoozeChoicesOf(tray);
  return (
    <aside className={urgent ? 'banner banner-urgent' : 'banner'} aria-label="Certificate renewal">
      <Icon name="clock" />
      <div className="banner-body">
        <p>{renewalText(reminder.stage === 'expired' ? 0 : reminder.daysLeft, notAfter)}</p>
        {reminder.snoozedUntil === null ? null : <p className="muted">Reminder snoozed until {formatDateTime(reminder.snoozedUntil)}.</p>}
        {error === null ? null : <ErrorNotice code={error.code} retries={error.retries} detail={error.detail} />}
        <div className="banner-actions">
          {canRenewFrom(tray) ? (
            <button type="button" className="button button-primary" onClick={() => useRenewalStore.getState().start()}>
              Renew now
            </button>
          ) : null}
          {choices.map((days) => (
            <button key={days} type="button" className="button" onClick={() => void snoozeReminder(days)}>
              {snoozeLabel(days)}
            </button>
          ))}
        </div>
      </div>
    </aside>
  );
}
