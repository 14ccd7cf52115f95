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
  | 'CA_PIN_MISMATCH'
  | 'CERTIFICATE_INVALID';

export type PolicyErrorCode = 'POLICY_INVALID';

export type AppErrorCode = 'INVALID_REQUEST' | 'INTERNAL';

export type ErrorCode = NativeErrorCode | EnrollmentErrorCode | PolicyErrorCode | PinRuleErrorCode | AppErrorCode;
