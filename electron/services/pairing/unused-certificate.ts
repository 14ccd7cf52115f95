// A certificate the CA issued that never reached the key (a pairing resumed on
// a changed key, a certificate our checks refused, an unfinished pairing
// removed) must not stay valid unseen: the local CA revokes it; a SCEP CA
// cannot be asked to, so the audit log names its serial for the administrator.
import * as x509 from '../../../native/x509.ts';
import type { Warnings } from '../app-error.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { EnrollmentBackend, RevocationReason } from '../enrollment/backend.ts';
import { thumbprint } from './card-steps.ts';

export const NEVER_WRITTEN = 'issued but never written to the key';
export const ASK_ADMIN_TO_REVOKE = `${NEVER_WRITTEN}; this CA cannot be asked to revoke it: ask your administrator to revoke it`;

export interface UnusedCertificate {
  readonly der: Uint8Array;
  readonly keySerial: number;
  readonly reason: RevocationReason;
}

/**
 * Revokes the certificate where the backend can, else records it for the
 * administrator (WORKSTATION_CERTIFICATE_REVOKED, outcome failure, with its
 * serial). Never throws: the key's own outcome stands; a log that cannot be
 * written is a warning. Returns whether it was revoked.
 */
export async function retireUnusedCertificate(
  o: { enrollment: EnrollmentBackend; audit: AuditLog },
  unused: UnusedCertificate,
  warnings: Warnings,
): Promise<boolean> {
  let certificateSerial: string | undefined;
  try {
    certificateSerial = new x509.X509Certificate(unused.der).serialNumber.toLowerCase();
  } catch {
    certificateSerial = undefined;
  }
  const revoked = await o.enrollment.revoke(unused.der, unused.reason).catch(() => false);
  const entry = {
    event: 'WORKSTATION_CERTIFICATE_REVOKED',
    keySerial: unused.keySerial,
    ...(certificateSerial === undefined ? {} : { certificateSerial }),
    certificateThumbprint: thumbprint(unused.der),
  } as const;
  await warnings.attempt('auditNotWritten', () =>
    o.audit.record(revoked ? { ...entry, outcome: 'success', detail: NEVER_WRITTEN } : { ...entry, outcome: 'failure', detail: ASK_ADMIN_TO_REVOKE }),
  );
  return revoked;
}
