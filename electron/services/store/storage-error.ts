// Failures of the user's machine around the data folder (a file where a folder
// should be, a read-only disk, no permission), typed so they are never
// reported as a bug of the app: each names the path and says why in words.
export type StorageErrorCode = 'DATA_DIR_UNUSABLE' | 'STORE_UNREADABLE';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    /** The folder or file concerned. */
    readonly path: string,
    /** Why, in words (never a stack or a bare errno). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(code === 'DATA_DIR_UNUSABLE' ? `The app's data folder ${path} cannot be used: ${reason}.` : `The file ${path} in the app's data folder cannot be used: ${reason}.`, options);
    this.name = 'StorageError';
  }
}

/** An operating-system error in words a user can act on. */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'ENOENT':
      return 'it does not exist and cannot be created there';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    case 'ELOOP':
      return 'its path loops through symbolic links';
    case 'EEXIST':
    case 'ENOTEMPTY':
      return 'something else is in the way';
    default:
      return code === undefined ? (error instanceof Error ? error.message : String(error)) : `the system answered ${code}`;
  }
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
