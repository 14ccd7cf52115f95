// Every failure becomes an AppError (code + sentence) at the service boundary;
// the sentence comes from the one message table (electron/ipc/error-messages.ts)
// and the facts the throw site passed.
import { NativeError } from '../../native/errors.ts';
import type { AppError } from '../ipc/contract.ts';
import type { ErrorCode } from '../ipc/error-codes.ts';
import type { ErrorFacts } from '../ipc/error-facts.ts';
import { messageFor } from '../ipc/error-messages.ts';
import { WARNING_WORDS, type WarningId } from '../ipc/outcome-words.ts';
import { currentSecretProblem, type PinRuleFailure } from '../ipc/pin-rules.ts';
import { EnrollmentError } from './enrollment/enrollment-error.ts';
import { LocalCaError, LocalCaKeyExposedError } from './enrollment/local-ca-store.ts';
import { PolicyError } from './policy/policy-loader.ts';
import { isSystemError, reasonOf, StorageError } from './store/storage-error.ts';

/** What an AppError carries besides its code and words. */
export type AppErrorExtras = Omit<AppError, 'code' | 'message' | 'facts'>;

/** A failure the services raise themselves: a code from the one table and the facts its words need. */
export class ServiceError<C extends ErrorCode = ErrorCode> extends Error {
  readonly appError: AppError;

  constructor(
    readonly code: C,
    readonly facts: ErrorFacts[C],
    extras: AppErrorExtras = {},
    /** Said before the table's sentence: what already changed on the key, or what the user can still do. */
    readonly context: { readonly before?: string; readonly after?: string } = {},
    /** The words of an AppError that came back as a Result (already from the table): kept as they are. */
    told?: string,
  ) {
    const words = [context.before, told ?? messageFor(code, facts), context.after].filter((s) => s !== undefined).join(' ');
    super(words);
    this.name = 'ServiceError';
    this.appError = { code, message: words, ...withFacts(facts), ...extras };
  }

  /** An AppError a service returned as a Result, thrown again with its code and words (its facts stayed behind). */
  static fromAppError(appError: AppError): ServiceError {
    const { code, message, facts, ...extras } = appError;
    return new ServiceError(code, (facts ?? {}) as ErrorFacts[ErrorCode], extras, {}, message);
  }
}

/** The facts as an AppError carries them: only when there are any. */
function withFacts(facts: object): Pick<AppError, 'facts'> {
  return Object.keys(facts).length === 0 ? {} : { facts: facts as Readonly<Record<string, unknown>> };
}

/** The code and facts of an error from any layer (`--json`, logs, tests); an unknown error is INTERNAL. */
export function factsOf(error: unknown): { readonly code: ErrorCode; readonly facts: object } {
  if (error instanceof ServiceError || error instanceof NativeError || error instanceof EnrollmentError)
    return { code: error.code, facts: error.facts as object };
  if (error instanceof LocalCaError || error instanceof LocalCaKeyExposedError) return { code: error.code, facts: error.facts };
  if (error instanceof PolicyError) return { code: 'POLICY_INVALID', facts: { file: error.file, problems: error.problems } };
  if (error instanceof StorageError) return { code: error.code, facts: { path: error.path, reason: error.reason } };
  if (isSystemError(error) && typeof error.path === 'string') return { code: 'STORE_UNREADABLE', facts: { path: error.path, reason: reasonOf(error) } };
  return { code: 'INTERNAL', facts: { error: error instanceof Error ? error.message : String(error) } };
}

/** What an error's AppError carries beside its code and words (tries left, detail, field, rule). */
export function extrasOf(error: unknown): AppErrorExtras {
  const app = toAppError(error);
  return Object.fromEntries(Object.entries(app).filter(([key]) => key !== 'code' && key !== 'message' && key !== 'facts')) as AppErrorExtras;
}

/** The details an AppError carries beside its words, by layer. */
function layerExtras(error: unknown): AppErrorExtras {
  if (error instanceof NativeError) {
    return {
      ...(error.retries === undefined ? {} : { retries: error.retries }),
      ...(error.sw === undefined ? {} : { detail: `SW ${error.sw.toString(16).toUpperCase().padStart(4, '0')}` }),
    };
  }
  if (error instanceof EnrollmentError || error instanceof LocalCaKeyExposedError) return error.detail === undefined ? {} : { detail: error.detail };
  if (error instanceof PolicyError) return { detail: error.problems.join('; ') };
  if (error instanceof StorageError) return { detail: error.path };
  if (isSystemError(error) && typeof error.path === 'string') return { detail: error.path };
  return {};
}

export function toAppError(error: unknown): AppError {
  if (error instanceof ServiceError) return error.appError;
  const { code, facts } = factsOf(error);
  return { code, message: messageFor(code, facts as ErrorFacts[ErrorCode]), ...withFacts(facts), ...layerExtras(error) };
}
/** A PIN rule failure as an error that names the rule (CLI, logs); the form field and rule travel as data. */
export function pinRuleError(failure: PinRuleFailure): ServiceError {
  const extras = { field: failure.field, rule: failure.rule };
  if (failure.code === 'PIN_TOO_WEAK')
    return new ServiceError('PIN_TOO_WEAK', { rule: failure.rule, length: failure.length, digitsOnly: failure.digitsOnly }, extras);
  return new ServiceError(failure.code, {}, extras);
}

/** A current PIN/PUK or temporary PIN that cannot be one: refused before the card. */
export function checkCurrentSecret(value: string, what: 'PIN' | 'PUK'): void {
  const problem = currentSecretProblem(value, what);
  if (problem !== null) throw new ServiceError('PIN_FORMAT', problem, { field: 'currentPin' });
}

/**
 * What went wrong after a key changed: collected as warnings beside the
 * success, because the change on the key stands and the user must be told it
 * did (a PIN that was changed, reported as a failure, gets the key blocked).
 */
export class Warnings {
  readonly list: string[] = [];

  async attempt(what: WarningId, work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (e) {
      this.list.push(`${WARNING_WORDS[what]}: ${toAppError(e).message}`);
      return false;
    }
  }
}

/** A failure after the key changed: the same code and facts, with what already changed on the key said first. */
export function afterKeyChanged(error: unknown, changed: string): ServiceError {
  return withContext(error, { before: changed });
}

/** The same error (code, facts, extras) with a sentence of context before or after the table's words. */
export function withContext(error: unknown, context: { readonly before?: string; readonly after?: string }): ServiceError {
  const extras = extrasOf(error);
  const { code, facts } = factsOf(error);
  const inner = error instanceof ServiceError ? error.context : {};
  return new ServiceError(code, facts as ErrorFacts[ErrorCode], extras, {
    before: [context.before, inner.before].filter((s) => s !== undefined).join(' ') || undefined,
    after: [inner.after, context.after].filter((s) => s !== undefined).join(' ') || undefined,
  });
}
