// The local CA's revocation list, <dataDir>/local-ca/revoked.json, written
// atomically. A damaged file is reported and never replaced: starting again
// from an empty list would quietly un-revoke certificates.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-file.ts';
import type { RevocationReason } from './backend.ts';
import { LocalCaError } from './local-ca-store.ts';

export const REVOCATIONS_FILE = 'revoked.json';
const SCHEMA_VERSION = 1;

const REASONS = ['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation'] as const satisfies readonly RevocationReason[];

const revocationsSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  /** The number of the last CRL produced (RFC 5280 §5.2.3: monotonically increasing). */
  crlNumber: z.number().int().min(0),
  revoked: z.array(
    z.strictObject({
      /** Serial number, lower-case hex as @peculiar/x509 prints it. */
      serial: z.string().regex(/^[0-9a-f]+$/),
      revokedAt: z.iso.datetime(),
      reason: z.enum(REASONS),
    }),
  ),
});

export type Revocations = z.output<typeof revocationsSchema>;
export type RevokedEntry = Revocations['revoked'][number];

const EMPTY: Revocations = { schemaVersion: SCHEMA_VERSION, crlNumber: 0, revoked: [] };

export async function readRevocations(folder: string): Promise<Revocations> {
  const file = join(folder, REVOCATIONS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
    throw new LocalCaError(folder, 'unreadable', { file: REVOCATIONS_FILE, why: (e as NodeJS.ErrnoException).code ?? (e as Error).message, cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LocalCaError(folder, 'not-json', { file: REVOCATIONS_FILE, cause: e });
  }
  const parsed = revocationsSchema.safeParse(raw);
  if (!parsed.success) throw new LocalCaError(folder, 'not-a-revocation-list', { file: REVOCATIONS_FILE, why: parsed.error.issues[0]?.message ?? 'invalid' });
  return parsed.data;
}

export async function writeRevocations(folder: string, revocations: Revocations): Promise<void> {
  await writeFileAtomic(join(folder, REVOCATIONS_FILE), `${JSON.stringify(revocationsSchema.parse(revocations), null, 2)}\n`);
}
