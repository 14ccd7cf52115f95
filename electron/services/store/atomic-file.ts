// Writing files so that a crash or power cut leaves either the old or the new
// content, never half of each: write a temp file beside it, fsync, rename over,
// fsync the folder (POSIX rename(2) is atomic within one file system).
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureFolder } from './data-folder.ts';

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  await ensureFolder(dir);
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  // The rename is durable only once the folder entry is on disk too.
  const folder = await open(dir, 'r').catch(() => null);
  if (folder !== null) {
    await folder.sync().catch(() => undefined);
    await folder.close();
  }
}
