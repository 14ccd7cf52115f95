import type { EnrollmentErrorCode } from '../../ipc/error-codes.ts';
import type { ErrorFacts } from '../../ipc/error-facts.ts';
import { messageFor } from '../../ipc/error-messages.ts';

/** A failure of certificate enrollment: a code and the facts its words need (the message table words them). */
export class EnrollmentError<C extends EnrollmentErrorCode = EnrollmentErrorCode> extends Error {
  constructor(
    readonly code: C,
    readonly facts: ErrorFacts[C],
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super(messageFor(code, facts), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EnrollmentError';
    this.detail = options.detail;
  }

  /** The CA's own words (failInfo, status text), or what was found, for the administrator. */
  readonly detail: string | undefined;
}
