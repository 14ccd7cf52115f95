// The data folder, checked before anything is written to it (and before a
// key is changed): every part of its path a folder, not a special file system
// such as /proc, creatable one level at a time, writable. Node 20's
// mkdir(…, { recursive: true }) spins forever on a path under /proc, so the
// app never calls it: folders are made one by one, under a time limit.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join, parse, resolve, sep } from 'node:path';
import type { StorageReason } from '../../ipc/error-facts.ts';
import { asStorageError, reasonOf, StorageError } from './storage-error.ts';

/** statfs(2) magic numbers of Linux kernel file systems that hold no user files. */
const SPECIAL_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x6165676c, 'pstore'],
]);

/** Linux device and kernel trees (devtmpfs reports the tmpfs magic number). */
const SPECIAL_TREES = ['/dev', '/proc', '/sys'];

const CREATE_TIME_LIMIT_MS = 10_000;

const unusable = (path: string, reason: StorageReason, cause?: unknown): StorageError =>
  new StorageError('DATA_DIR_UNUSABLE', path, reason, cause === undefined ? undefined : { cause });

async function statOrNull(path: string): Promise<Awaited<ReturnType<typeof stat>> | null> {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The folders from the root down to `dir`, and the first one that does not exist yet (index), or -1. */
async function walk(dir: string): Promise<{ parts: string[]; firstMissing: number }> {
  const parts: string[] = [];
  for (let p = dir; ; p = dirname(p)) {
    parts.unshift(p);
    if (p === parse(p).root) break;
  }
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    let info;
    try {
      info = await statOrNull(part);
    } catch (e) {
      throw unusable(dir, { ...reasonOf(e), part }, e);
    }
    if (info === null) return { parts, firstMissing: i };
    if (!info.isDirectory()) throw unusable(dir, part === dir ? { kind: 'file-not-folder' } : { kind: 'file-not-folder', part });
  }
  return { parts, firstMissing: -1 };
}

async function checkFileSystem(dir: string, existing: string): Promise<void> {
  if (process.platform === 'linux' && SPECIAL_TREES.some((t) => dir === t || dir.startsWith(`${t}${sep}`))) {
    throw unusable(dir, { kind: 'system-area', area: dir.split(sep).slice(0, 2).join(sep) });
  }
  if (process.platform !== 'linux') return;
  const info = await statfs(existing).catch(() => null);
  const kind = info === null ? undefined : SPECIAL_FILE_SYSTEMS.get(info.type);
  if (kind !== undefined) throw unusable(dir, { kind: 'special-file-system', fileSystem: kind });
}

function timeLimited<T>(work: Promise<T>, dir: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unusable(dir, { kind: 'create-timeout', seconds: CREATE_TIME_LIMIT_MS / 1000 })), CREATE_TIME_LIMIT_MS);
    timer.unref();
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/**
 * Makes sure `dir` is a folder the app can use. With `write`, missing folders
 * are created (one level at a time, private) and a probe file is written and
 * removed; without, a missing folder is fine (nothing is stored yet).
 * Throws StorageError DATA_DIR_UNUSABLE naming the path and the reason.
 */
export async function checkDataFolder(dirIn: string, options: { write: boolean }): Promise<void> {
  const dir = resolve(dirIn);
  const { parts, firstMissing } = await walk(dir);
  const existing = firstMissing === -1 ? dir : parts[firstMissing - 1]!;
  await checkFileSystem(dir, existing);
  if (!options.write) return;
  if (firstMissing !== -1) {
    await timeLimited(
      (async () => {
        for (const part of parts.slice(firstMissing)) {
          try {
            await mkdir(part, { mode: 0o700 });
          } catch (e) {
            // Another process may have made it meanwhile.
            if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await statOrNull(part))?.isDirectory() === true) continue;
            throw unusable(dir, part === dir ? reasonOf(e) : { ...reasonOf(e), part }, e);
          }
        }
      })(),
      dir,
    );
  }
  const probe = join(dir, `.wfa-write-check-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(probe, 'wx', 0o600);
    await handle.close();
    await rm(probe, { force: true });
  } catch (e) {
    throw unusable(dir, { ...reasonOf(e), kind: 'not-writable' }, e);
  }
}

/** Creates `dir` if needed (safely, as above): the stores call this instead of a recursive mkdir. */
export async function ensureFolder(dir: string): Promise<void> {
  const info = await statOrNull(dir).catch(() => null);
  if (info?.isDirectory() === true) return;
  await checkDataFolder(dir, { write: true });
}

/**
 * A file the app is about to append to or replace: when it exists it must be
 * a regular file it can open for writing. Throws STORE_UNREADABLE naming it.
 */
export async function checkWritableFile(file: string): Promise<void> {
  let info;
  try {
    info = await statOrNull(file);
  } catch (e) {
    throw asStorageError('STORE_UNREADABLE', file, e);
  }
  if (info === null) return;
  if (!info.isFile()) throw new StorageError('STORE_UNREADABLE', file, info.isDirectory() ? { kind: 'folder-not-file' } : { kind: 'not-regular-file' });
  try {
    const handle = await open(file, 'a');
    await handle.close();
  } catch (e) {
    throw asStorageError('STORE_UNREADABLE', file, e);
  }
}
