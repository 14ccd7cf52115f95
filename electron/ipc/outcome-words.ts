// The words said beside an outcome: a warning next to a success (the change on
// the key stands, something after it failed) and the sentence put before or
// after an error's own words (what already changed, what the user can still
// do). Part of the message table; the services pass ids and facts.

/** What failed after the key changed: said as "<words>: <the error's sentence>". */
export const WARNING_WORDS = {
  auditNotWritten: 'The audit log was not written',
  journalNotSaved: 'The pairing journal was not saved',
  pairingNotSaved:
    'The key is paired, but this computer could not save the pairing, so the app will not show it as paired until the data folder is fixed and the key paired again',
  resetAuditNotWritten: 'The key was reset, but the audit log was not written',
  resetRecordNotRemoved: 'The key was reset, but the pairing record could not be removed',
  resetPendingNotRemoved: 'The key was reset, but the unfinished pairing could not be removed',
  pinAuditNotWritten: 'The PIN was changed, but the audit log was not written',
  pinNotNoted: 'The PIN was changed, but this computer could not note it',
} as const;

export type WarningId = keyof typeof WARNING_WORDS;

/** Renewal's warnings beside a certificate that was written. */
export const RENEWAL_WARNINGS = {
  recordNotSaved: (reason: string): string =>
    `The new certificate is on your security key, but this computer's record of it could not be saved (${reason}). Renewal reminders may continue until it is.`,
  auditNotWritten: (reason: string): string => `The audit log could not be written (${reason}).`,
  oldNotRevoked: (serial: string): string => `The old certificate (serial ${serial}) could not be revoked; your administrator can revoke it.`,
};

/** Said before an error once the PIN was set but pairing did not finish. */
export const PIN_SET_PAIRING_UNFINISHED = 'The PIN of your security key is now the new PIN you chose, but pairing did not finish:';

/** Said after a failed renewal: the user can still sign in (the old certificate, or either one if the write was interrupted). */
export function renewalKeptWords(f: { readonly writing: boolean; readonly expired: boolean; readonly notAfter: string }): string {
  if (f.writing) {
    return `The new certificate may not have been written. You can still sign in: your security key holds either your current certificate${f.expired ? '' : ` (valid until ${f.notAfter})`} or the new one. Plug it in and choose "Renew now" again.`;
  }
  return f.expired
    ? 'Nothing was changed on your security key.'
    : `Nothing was changed: your current certificate is still on your security key, and you can still sign in with it until ${f.notAfter}.`;
}

/** OTHER_KEY's action while a key is being paired: the table's own words speak of a paired key, and this one is not paired yet. */
export const OTHER_KEY_WHILE_PAIRING = {
  wizard: 'This is not the key you were pairing. Plug in the security key you chose, then choose Try again.',
  resume: (serial: number): string => `This is not the key you were pairing. Plug in security key ${serial} to finish pairing it.`,
};
