// The user's words for every error code (design.md, "Messages the users
// already know"; the user guide, "Troubleshooting"), shared by the app and the
// CLI. A Record over the one ErrorCode union: a code added to error-codes.ts
// does not compile until it has its words here. `title` says what happened,
// `action` what to do; the documented sentences are kept word for word.
// error-messages.ts builds the full sentence of an error from these and its facts.
import type { ErrorCode } from './error-codes.ts';

/** The field-level words of the PIN rules, as users know them (design.md). */
export const PIN_FIELD_WORDS = {
  PIN_TOO_WEAK: 'Try a stronger combination',
  PIN_MISMATCH: 'PINs do not match',
  PIN_SAME_AS_CURRENT: 'Please use a different PIN',
} as const;

export interface ErrorWords {
  readonly title: string;
  readonly action: string;
  /** Show AppError.detail (the CA's reason, the bad setting): it helps the administrator the user will call. */
  readonly showDetail?: boolean;
}

const ADMIN_RESET = 'Your administrator must reset the security key. Then pair it again with the PIN they give you.';
const REPLUG = 'Unplug the security key, plug it in again, and try again.';

export const ERROR_MESSAGES: Readonly<Record<ErrorCode, ErrorWords>> = {
  // ---- The key and its PIN ----
  PIN_INCORRECT: { title: 'The PIN is incorrect', action: 'Check the PIN and type it again. Each wrong PIN uses up one attempt.' },
  PIN_BLOCKED: { title: 'Too many failed attempts', action: `The PIN of this security key is blocked. ${ADMIN_RESET}` },
  PUK_INCORRECT: { title: 'The PUK is incorrect', action: 'Check the PUK and try again, or ask your administrator for help.' },
  PUK_BLOCKED: { title: 'The PUK of this security key is blocked', action: ADMIN_RESET },
  MGMT_AUTH_FAILED: {
    title: 'The security key did not accept the app',
    action: 'This key was set up with another tool. Ask your administrator to reset it, then pair it again.',
  },
  SECURITY_STATUS: { title: 'The security key refused the request', action: REPLUG },
  NOT_FOUND: { title: 'Something the app needs is missing on the security key', action: `${REPLUG} If it happens again, ask your administrator.` },
  NOT_SUPPORTED_BY_FIRMWARE: { title: "This security key's firmware cannot do this", action: 'Use a YubiKey 5 series key, or ask your administrator.' },
  INVALID_INPUT: { title: 'The security key refused what the app sent', action: 'Try again. If it happens again, ask your administrator.' },
  CARD_ERROR: { title: 'The security key reported an error', action: REPLUG },
  CARD_REMOVED: { title: 'The security key was unplugged', action: 'Plug it in again, keep it plugged in until the app is done, and try again.' },
  NO_KEY: { title: "Your security key isn't plugged in", action: 'Plug the security key into a USB port of this computer, then try again.' },
  MULTIPLE_KEYS: { title: 'More than one security key is plugged in', action: 'Unplug the keys you do not want to use, then try again.' },
  READER_NOT_FOUND: { title: 'The security key is no longer connected', action: 'Plug the security key in again, then try again.' },
  READER_IN_USE: { title: 'Another program is using the security key', action: 'Close other programs that use smart cards, then try again.' },
  PCSC_UNAVAILABLE: {
    title: "This computer's smart-card service is not running",
    action: 'Restart the computer and try again. If it keeps happening, contact your administrator.',
  },
  INVALID_RESPONSE: { title: 'The security key gave an answer the app did not understand', action: REPLUG },
  ATTESTATION_FAILED: {
    title: 'Your security key could not prove that its sign-in key was made on it',
    action: 'Your company only accepts keys that can. Nothing was requested for this key. Contact your administrator and tell them the reason below.',
    showDetail: true,
  },
  ROCA_VULNERABLE: { title: 'This YubiKey 4 cannot create safe keys', action: 'Ask your administrator for a replacement security key.' },

  // ---- The company's certificate service ----
  ENROLLMENT_UNREACHABLE: {
    title: "The company network can't be reached",
    action: 'Connect to the company VPN, close the app, open it again and try to pair again.',
  },
  ENROLLMENT_REJECTED: {
    title: 'The company certificate service refused the request',
    action: 'Contact your administrator and tell them the reason below.',
    showDetail: true,
  },
  ENROLLMENT_PASSWORD_REQUIRED: {
    title: "Your company's certificate service needs your enrollment password",
    action: 'Enter the enrollment password your administrator gave you, then press FINISH again.',
  },
  ENROLLMENT_PENDING: { title: 'Your certificate request is waiting for approval', action: 'Try again once your administrator has approved it.' },
  CA_PIN_MISMATCH: {
    title: 'The certificate service is not the one your company set up',
    action: 'Do not continue on this network. Contact your administrator.',
  },
  CERTIFICATE_INVALID: {
    title: "The certificate issued does not meet the company's requirements",
    action: 'Contact your administrator and tell them the reason below.',
    showDetail: true,
  },
  LOCAL_CA_DAMAGED: { title: "The app's certificate files are damaged", action: 'Contact your administrator. The files were left as they are.' },
  LOCAL_CA_KEY_EXPOSED: {
    title: "Other users of this computer can read the app's certificate authority key",
    action: 'Contact your administrator: the key file must be readable by you only. The details below say which file.',
    showDetail: true,
  },
  POLICY_INVALID: {
    title: 'The settings from your administrator are not valid',
    action: 'Contact your administrator and tell them the problem below.',
    showDetail: true,
  },

  // ---- The PIN rules (words from the user guide) ----
  PIN_TOO_WEAK: { title: PIN_FIELD_WORDS.PIN_TOO_WEAK, action: 'Choose a PIN that is hard to guess, for example 190753 instead of 123456.' },
  PIN_MISMATCH: { title: PIN_FIELD_WORDS.PIN_MISMATCH, action: 'Type the same PIN in "New PIN" and "Confirm New PIN".' },
  PIN_SAME_AS_CURRENT: { title: PIN_FIELD_WORDS.PIN_SAME_AS_CURRENT, action: 'Choose a new PIN that differs from your current PIN.' },
  PIN_FORMAT: {
    title: 'That cannot be the PIN of the security key',
    action: 'A PIN is 6 to 8 letters, digits or symbols. Check what you typed; nothing was sent to the key, so no attempt was used.',
  },

  // ---- The app ----
  INVALID_REQUEST: { title: 'The app could not handle that request', action: 'Reload the app and try again.' },
  INTERNAL: { title: 'Something went wrong in the app', action: 'Try again. If it keeps happening, restart the app.' },
  SMART_CARD_BLOCKED: {
    title: 'The smart card is blocked',
    action: 'Too many wrong PINs were typed. Your administrator must reset the PIN on the security key; then pair the key again with the new PIN.',
  },
  NO_VALID_CERTIFICATE: {
    title: 'No valid certificates were found on this smart card',
    action:
      'Unplug the security key and plug it back in, then try again. If that does not help, restart the computer, or sign in another way and pair the key again.',
  },
  REVOCATION_UNKNOWN: {
    title: 'The revocation status of the domain controller certificate used for smart card authentication could not be determined.',
    action: 'Connect to the company VPN and make sure the computer can reach the domain controller, then try again.',
  },
  NOT_PAIRED: { title: 'No security key is paired on this computer', action: 'Pair a security key first.' },
  OTHER_KEY: { title: 'This is not your paired security key', action: 'Plug in the security key you paired on this computer, then try again.' },
  ALREADY_PAIRED: { title: 'A security key is already paired on this computer', action: 'Remove the paired key first, then pair the new one.' },
  UNSUPPORTED_KEY: { title: 'This security key is not supported', action: 'Use a YubiKey 4 or YubiKey 5 series key.' },
  PAIRING_INTERRUPTED: { title: 'Pairing this security key was interrupted', action: 'Finish the pairing with the new PIN you chose.' },
  PIN_CHANGE_INTERRUPTED: {
    title: 'Changing your PIN was interrupted',
    action:
      'Your PIN is now either your old PIN or the new one you chose. Run the sign-in check with the PIN you think it is (a refused PIN costs one attempt, and the right one gives it back), then change the PIN again if you want to.',
  },
  SNOOZE_NOT_ALLOWED: {
    title: 'This reminder cannot be snoozed any more',
    action: 'Your sign-in certificate expires very soon. Plug in your security key and choose "Renew now" to keep signing in with it.',
  },
  // The words users know for a key without a usable certificate (design.md), then why and the way out.
  PAIRING_STALE: {
    title: 'No valid certificates were found on this smart card',
    action:
      'Your paired security key was reset or changed by another program: its certificate is no longer the one paired on this computer. Pair the key again.',
  },
  IDENTITY_INVALID: {
    title: 'Your user name cannot be used for a sign-in certificate',
    action: 'Nothing was changed on the security key. Contact your administrator and tell them the name below.',
    showDetail: true,
  },
  LAST_PIN_TRY: {
    title: 'Only one PIN attempt is left on this security key',
    action: 'A wrong PIN now blocks the key. Continue only if you are sure of the PIN; otherwise ask your administrator.',
  },

  // ---- This computer ----
  DATA_DIR_UNUSABLE: {
    title: "The app's data folder cannot be used",
    action: 'Nothing was changed on the security key. Make sure the folder below is a normal folder you can write to (or choose another one), then try again.',
    showDetail: true,
  },
  STORE_UNREADABLE: {
    title: "A file in the app's data folder cannot be used",
    action: 'Make sure the file below is a normal file you can read and write (remove whatever is in its place), then try again.',
    showDetail: true,
  },
};

/** "2 PIN attempts left": shown before the user types, and with every error that carries the tries left. */
export function attemptsLeftText(retries: number, secret: 'PIN' | 'PUK' = 'PIN'): string {
  return retries === 1 ? `1 ${secret} attempt left` : `${retries} ${secret} attempts left`;
}

export const wordsFor = (code: ErrorCode): ErrorWords => ERROR_MESSAGES[code];
