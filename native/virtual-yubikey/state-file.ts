// --state FILE: the whole card (PIN, PUK, keys, objects, counters) as JSON,
// saved after every change. Saving is atomic (temp file in the same folder,
// fsync, rename, fsync the folder), so a crash or a pulled key leaves either
// the old state or the new one, never half of one. The file is mode 0600: it
// holds test secrets in clear, and its `header` field says so.
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { cardStateSchema } from './state-schema.ts';
import type { CardState } from './state.ts';

const FILE_MODE = 0o600;

/** A state file that cannot be read or is not a valid card; the message names the file and the fields. */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`state file ${file}: ${problems.join('; ')}`);
    this.name = 'StateFileError';
  }
}

/** Checks parsed JSON against the CardState schema; throws StateFileError listing every bad field. */
export function validateCardState(file: string, value: unknown): CardState {
  const result = cardStateSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
    return `field "${field}": ${issue.message}`;
  });
  throw new StateFileError(file, problems);
}

/**
 * Loads the card in `file`, or returns null when there is no such file (a new
 * key is made then). Any other problem throws StateFileError and leaves the
 * file as it is: the caller must not save over it.
 */
export function loadStateFile(file: string): CardState | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateFileError(file, [`cannot be read (${(error as Error).message})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(file, [`is not valid JSON (${(error as Error).message})`]);
  }
  return validateCardState(file, json);
}

/** Writes `state` to `file` atomically with mode 0600. Refuses a state it could not load back. */
export function saveStateFile(file: string, state: CardState): void {
  validateCardState(file, state);
  const target = resolve(file);
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', FILE_MODE);
  try {
    try {
      fchmodSync(fd, FILE_MODE); // the umask may have narrowed it; make it exact
      writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or never written: nothing to clean up
    }
    throw error;
  }
  syncDirectory(dir);
}

/** fsync the folder so the rename itself survives a crash (POSIX; not possible on Windows). */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
