// The one table of error codes that cross from the main process to the
// renderer and the CLI. Each code's facts are in error-facts.ts and its words
// in error-words.ts and error-messages.ts, shared by the app and the CLI
// (Records over this union: a new code does not compile until it has them).
import type { NativeErrorCode } from '../../native/errors.ts';
import type { PinRuleErrorCode } from './pin-rules.ts';

export type { NativeErrorCode, PinRuleErrorCode };

export type EnrollmentErrorCode =
  | 'ENROLLMENT_UNREACHABLE'
  | 'ENROLLMENT_REJECTED'
  | 'ENROLLMENT_PENDING'
  /** The SCEP CA needs the enrollment password an administrator gave the user. */
  | 'ENROLLMENT_PASSWORD_REQUIRED'
  | 'CA_PIN_MISMATCH'
  | 'CERTIFICATE_INVALID'
  /** The local CA's files are damaged; they are left untouched. */
  | 'LOCAL_CA_DAMAGED'
  /** The local CA's key file can be read by other users: the CA refuses to use it. */
  | 'LOCAL_CA_KEY_EXPOSED';

export type PolicyErrorCode = 'POLICY_INVALID';

export type AppErrorCode =
  | 'INVALID_REQUEST'
  | 'INTERNAL'
  /** Sign-in check: the PIN is blocked ("The smart card is blocked"). */
  | 'SMART_CARD_BLOCKED'
  /** Sign-in check: no usable certificate in slot 9a. */
  | 'NO_VALID_CERTIFICATE'
  /** Sign-in check: the CA's revocation list could not be reached. */
  | 'REVOCATION_UNKNOWN'
  | 'NOT_PAIRED'
  /** The key plugged in is not the paired one. */
  | 'OTHER_KEY'
  /** A key is already paired on this machine: remove it first. */
  | 'ALREADY_PAIRED'
  /** Not a YubiKey 4/5 with PIV. */
  | 'UNSUPPORTED_KEY'
  /** A pairing was interrupted on this key: finish it first. */
  | 'PAIRING_INTERRUPTED'
  /** A PIN change was sent to the key but its outcome never arrived (app killed, key pulled): the PIN is the old or the new one. */
  | 'PIN_CHANGE_INTERRUPTED'
  /** Policy attestation.require: the key could not prove that its key was made on it (detail: what failed). */
  | 'ATTESTATION_FAILED'
  /** Renewal reminders: snoozing is not allowed in the final and expired stages. */
  | 'SNOOZE_NOT_ALLOWED'
  /** The paired key was reset or changed outside the app: its certificate is not the one paired. */
  | 'PAIRING_STALE'
  /** The user name cannot go into a certificate (not a valid UPN): refused before the key is touched. */
  | 'IDENTITY_INVALID'
  /** Only one PIN try is left: the app does not spend it without the user's word. */
  | 'LAST_PIN_TRY';

/** What the user's machine did, never an app bug: each names the path and the reason. */
export type EnvironmentErrorCode =
  /** The data folder cannot be used (a file, a special file system, read-only, not creatable). */
  | 'DATA_DIR_UNUSABLE'
  /** A store or log file in the data folder cannot be read or written (a folder in its place, no permission). */
  | 'STORE_UNREADABLE';

export type ErrorCode = NativeErrorCode | EnrollmentErrorCode | PolicyErrorCode | PinRuleErrorCode | AppErrorCode | EnvironmentErrorCode;
