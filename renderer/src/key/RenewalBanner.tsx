// The renewal reminder as a banner: the days left before the certificate
// expires, from status.reminder and 'reminder.changed'. "Renew now" and
// "Snooze" are not shown: the IPC contract has no channel for either yet (the
// renewal issue adds them, and the buttons with them).
import { formatDate } from '../components/format.ts';
import { Icon } from '../components/Icon.tsx';
import { useStatusStore } from '../stores/status-store.ts';

export function renewalText(daysLeft: number, notAfter: string | null): string {
  if (daysLeft <= 0) return 'Your sign-in certificate has expired. Signing in with the security key stops working until it is renewed.';
  const days = daysLeft === 1 ? '1 day' : `${daysLeft} days`;
  const on = notAfter === null ? '' : `, on ${formatDate(notAfter)}`;
  return `Your sign-in certificate expires in ${days}${on}. It must be renewed before then.`;
}

export function RenewalBanner() {
  const reminder = useStatusStore((s) => s.reminder);
  const notAfter = useStatusStore((s) => s.status?.pairing?.certificate?.notAfter ?? null);
  if (reminder === null || reminder.stage === 'none') return null;
  const urgent = reminder.stage !== 'notice';
  return (
    <aside className={urgent ? 'banner banner-urgent' : 'banner'} aria-label="Certificate renewal">
      <Icon name="clock" />
      <p>{renewalText(reminder.stage === 'expired' ? 0 : reminder.daysLeft, notAfter)}</p>
    </aside>
  );
}
