// `snooze:7` -> 7; null for any other action.
export function snoozeDays(action: string): number | null {
  const match = /^snooze:(\d+)$/.exec(action);
  return match === null ? null : Number(match[1]);
}
