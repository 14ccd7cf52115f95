// Dates and counts as the user reads them.
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days left until `iso` (the main process counts the same way: a part day is a day). */
export function daysUntil(iso: string, now: Date = new Date()): number {
  return Math.ceil((new Date(iso).getTime() - now.getTime()) / DAY_MS);
}

/** "12 June 2027": unambiguous whatever the user's locale orders dates. */
export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
}

export function daysText(days: number): string {
  if (days <= 0) return 'expired';
  return days === 1 ? '1 day left' : `${days} days left`;
}

/** "12 June 2027, 09:30": a snooze ends at a time of day. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
