import type { EnrollmentErrorCode } from '../../ipc/error-codes.ts';

/** A failure of certificate enrollment; `message` says what happened and what to do. */
export class EnrollmentError extends Error {
  constructor(
    readonly code: EnrollmentErrorCode,
    message: string,
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EnrollmentError';
    this.detail = options.detail;
  }

  /** The CA's own words (failInfo, status text), when it gave any. */
  readonly detail: string | undefined;
}
