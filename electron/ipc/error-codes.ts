// The one table of error codes that cross from the main process to the
// renderer and the CLI. The renderer gives each its words in
// renderer/src/errors/messages.ts (a Record over this union: a new code does
// not compile until it has them).
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
  | 'LOCAL_CA_DAMAGED';

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
  /** Renewal reminders: snoozing is not allowed in the final and expired stages. */
  | 'SNOOZE_NOT_ALLOWED';

export type ErrorCode = NativeErrorCode | EnrollmentErrorCode | PolicyErrorCode | PinRuleErrorCode | AppErrorCode;
