// The local CA's record of each certificate it issued,
// <dataDir>/local-ca/issued/<serial>.json: who it is for, when, and the key's
// attestation (where its key was made), so the CA's own files say whether each key was
// proved to be made on a YubiKey. Public data only.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { attestationRecordSchema } from '../attestation/attestation-record.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';

export const ISSUED_FOLDER = 'issued';

const issuedSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** Lower-case hex, as @peculiar/x509 prints it. */
  serial: z.string().regex(/^[0-9a-f]+$/),
  subject: z.string(),
  issuedAt: z.iso.datetime(),
  /** Null when the request came without one (a request not made by pairing). */
  attestation: attestationRecordSchema.nullable(),
});

export type IssuedRecord = z.output<typeof issuedSchema>;

export async function writeIssuedRecord(caFolder: string, record: Omit<IssuedRecord, 'schemaVersion'>): Promise<void> {
  const folder = join(caFolder, ISSUED_FOLDER);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await writeFileAtomic(join(folder, `${record.serial}.json`), `${JSON.stringify(issuedSchema.parse({ schemaVersion: 1, ...record }), null, 2)}\n`);
}

export async function readIssuedRecord(caFolder: string, serial: string): Promise<IssuedRecord> {
  return issuedSchema.parse(JSON.parse(await readFile(join(caFolder, ISSUED_FOLDER, `${serial}.json`), 'utf8')));
}
