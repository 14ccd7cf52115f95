// Failures of the user's machine around the data folder (a file where a folder
// should be, a read-only disk, no permission), typed so they are never
// reported as a bug of the app: each names the path and why (words: the message table).
import type { StorageReason, SystemReason } from '../../ipc/error-facts.ts';
import { messageFor } from '../../ipc/error-messages.ts';

export type StorageErrorCode = 'DATA_DIR_UNUSABLE' | 'STORE_UNREADABLE';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    /** The folder or file concerned. */
    readonly path: string,
    /** Why (never a stack): an errno code or what was found. */
    readonly reason: StorageReason,
    options?: { cause?: unknown },
  ) {
    super(messageFor(code, { path, reason }), options);
    this.name = 'StorageError';
  }
}

/** An operating-system error as the facts of a storage reason (its errno code; the words: the message table). */
export function reasonOf(error: unknown): SystemReason {
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  return errno === undefined ? { kind: 'system', error: error instanceof Error ? error.message : String(error) } : { kind: 'system', errno };
}

/** True for an operating-system error (a Node errno error), as opposed to a bug. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** Wraps an operating-system error on `path` as a typed StorageError; anything else is passed through. */
export function asStorageError(code: StorageErrorCode, path: string, error: unknown): unknown {
  if (error instanceof StorageError) return error;
  if (!isSystemError(error)) return error;
  return new StorageError(code, path, reasonOf(error), { cause: error });
}
