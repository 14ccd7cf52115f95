// A JSON document on disk with a schema version, validated with zod on read.
// A file that is corrupt or of an unknown version is never silently replaced:
// it is kept aside as a backup and reported, and the store starts empty. The
// backup is reported (by every process, not just the one that moved it) until
// the user acts: a new record written, or the backup removed.
import { readdir, readFile, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import type { StorageReason } from '../../ipc/error-facts.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { asStorageError } from './storage-error.ts';

export interface StoreProblem {
  readonly file: string;
  /** Where the unreadable file was moved. */
  readonly backup: string;
  readonly reason: StorageReason;
}

interface Envelope {
  readonly schemaVersion: number;
  readonly data: unknown;
}

export class JsonStore<T> {
  private problemSeen: StoreProblem | null = null;

  constructor(
    readonly file: string,
    private readonly schemaVersion: number,
    private readonly schema: z.ZodType<T>,
    private readonly empty: () => T,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The last problem found on read (the backup made), for the user to be told once. */
  get problem(): StoreProblem | null {
    return this.problemSeen;
  }

  async read(): Promise<T> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      // A folder in its place, no permission: the user's machine, named as such.
      throw asStorageError('STORE_UNREADABLE', this.file, e);
    }
    let reason: StorageReason;
    try {
      const envelope = JSON.parse(text) as Partial<Envelope>;
      if (typeof envelope !== 'object' || envelope === null || typeof envelope.schemaVersion !== 'number') {
        reason = { kind: 'no-schema-version' };
      } else if (envelope.schemaVersion !== this.schemaVersion) {
        reason = { kind: 'other-schema-version', found: envelope.schemaVersion, expected: this.schemaVersion };
      } else {
        const parsed = this.schema.safeParse(envelope.data);
        if (parsed.success) return parsed.data;
        reason = { kind: 'invalid-content', issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ') };
      }
    } catch (e) {
      reason = { kind: 'not-json', error: (e as Error).message };
    }
    const backup = `${this.file}.${this.now().toISOString().replace(/[:.]/g, '-')}.bak`;
    try {
      await rename(this.file, backup);
    } catch (e) {
      throw asStorageError('STORE_UNREADABLE', this.file, e);
    }
    this.problemSeen = { file: this.file, backup, reason };
    return this.empty();
  }

  async write(value: T): Promise<void> {
    const data = this.schema.parse(value);
    const envelope: Envelope = { schemaVersion: this.schemaVersion, data };
    try {
      await writeFileAtomic(this.file, `${JSON.stringify(envelope, null, 2)}\n`);
    } catch (e) {
      throw asStorageError('STORE_UNREADABLE', this.file, e);
    }
  }

  /**
   * The backups of unreadable files not yet acted upon: while no new file has
   * been written and the backup is still there, it is reported, whichever
   * process moved it. The reason is known to the process that moved it.
   */
  async keptAside(): Promise<StoreProblem[]> {
    const present = await stat(this.file).then(
      () => true,
      () => false,
    );
    if (present) return [];
    const prefix = `${basename(this.file)}.`;
    const names = await readdir(dirname(this.file)).catch(() => [] as string[]);
    return names
      .filter((n) => n.startsWith(prefix) && n.endsWith('.bak'))
      .sort()
      .map((n) => {
        const backup = join(dirname(this.file), n);
        return { file: this.file, backup, reason: this.problemSeen?.backup === backup ? this.problemSeen.reason : { kind: 'unknown' } };
      });
  }
}
