// What pairing keeps of a key's attestation (issue 17), in the pairing record
// and beside the local CA's issued certificate: the outcome, what the key
// attested (firmware, form factor), and on failure why. Public data only.
import { z } from 'zod';
import { ATTESTATION_STATUSES } from '../../ipc/contract-names.ts';
import type { AttestationView } from '../../ipc/contract.ts';

export const attestationRecordSchema = z.strictObject({
  status: z.enum(ATTESTATION_STATUSES),
  /** The verifier's reason on failure (verify-attestation.ts), 'unreadable' when the key gave no attestation. */
  reason: z.string().nullable(),
  /** What failed, or why attestation is unsupported, in words. */
  detail: z.string().nullable(),
  /** As the attestation says (read even when a later check failed); null when it could not be read. */
  firmware: z.string().nullable(),
  formFactor: z.string().nullable(),
  serial: z.number().int().nonnegative().nullable(),
  /** The root the chain reached (verified only). */
  root: z.string().nullable(),
});

export type AttestationRecord = z.output<typeof attestationRecordSchema>;

export function attestationView(record: AttestationRecord): AttestationView {
  return { status: record.status, firmware: record.firmware, formFactor: record.formFactor, reason: record.reason, detail: record.detail };
}
