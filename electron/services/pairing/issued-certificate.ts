// The certificate a flow asks the CA for, and the checks it must pass before
// it goes on the key: the same for pairing and renewal (the slot's key, the
// pinned CA for SCEP or the local CA as anchor, the company's profile).
// Pairing's request is journaled, so a resume may reuse or retire it.
import type { KeyObject } from 'node:crypto';
import type { CardKeyPair } from '../../../native/piv/card-signer.ts';
import type { PivSession } from '../../../native/piv/session.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import * as x509 from '../../../native/x509.ts';
import type { Warnings } from '../app-error.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { IssuedCertificate } from '../enrollment/backend.ts';
import { checkIssuedCertificate } from '../enrollment/certificate-checks.ts';
import { attestationCsrExtensions, type AttestationOutcome } from './attestation-step.ts';
import { buildCardCsr, thumbprint } from './card-steps.ts';
import type { CertificateFlowOptions } from './certificate-flow-options.ts';
import { retireUnusedCertificate } from './unused-certificate.ts';

/** An audit entry once the key has changed: not written is a warning beside the result, never a failure. */
export function auditAfterKeyChanged(o: Pick<CertificateFlowOptions, 'audit'>, warnings: Warnings, entry: Parameters<AuditLog['record']>[0]): Promise<boolean> {
  return warnings.attempt('auditNotWritten', () => o.audit.record(entry));
}

/** The certificate checks at issuance: the slot's key, the pinned CA (SCEP) or the local CA, the profile. */
export async function checkIssued(o: CertificateFlowOptions, issued: IssuedCertificate, slotPublicKey: KeyObject): Promise<void> {
  const caPin = o.policy.enrollment.backend === 'scep' ? (o.policy.enrollment.caPin ?? null) : null;
  const anchor = caPin === null ? (await o.enrollment.caCertificates())[0] : undefined;
  await checkIssuedCertificate({ issued, slotPublicKey, caPin, anchor, policy: o.policy, identity: o.identity, now: o.now() });
}

/** A journaled certificate, when it is still for the slot's key and still passes the checks; else it is retired and null. */
export async function stillUsable(
  o: CertificateFlowOptions,
  journaled: IssuedCertificate,
  publicKey: KeyObject,
  serial: number,
  warnings: Warnings,
): Promise<IssuedCertificate | null> {
  try {
    await checkIssued(o, journaled, publicKey);
    return journaled;
  } catch {
    await retireUnusedCertificate(o, { der: journaled.certificate, keySerial: serial, reason: 'superseded' }, warnings);
    return null;
  }
}

export interface PairingRequest {
  readonly serial: number;
  readonly pin: string;
  readonly publicKey: KeyObject;
  readonly attested: AttestationOutcome;
  readonly enrollmentPassword?: string;
  /** The slot's key pair, made while the card was busy (card-steps.ts slotKeyPair). */
  readonly keyPair?: Promise<CardKeyPair>;
}

/** Builds the CSR on the key (the PIN verified again: the key's PIN policy) and enrolls it; a certificate issued but refused by our checks is retired. */
export async function enrollForPairing(
  o: CertificateFlowOptions,
  session: PivSession,
  request: PairingRequest,
  warnings: Warnings,
): Promise<IssuedCertificate> {
  const { serial, publicKey, attested } = request;
  if (!session.pinVerified) await session.verifyPin(secretFromText(request.pin));
  const toScep = o.policy.enrollment.backend === 'scep' ? attestationCsrExtensions(attested) : [];
  const csr = {
    ...(await buildCardCsr(session, o.policy.key.algorithm, publicKey, o.identity, request.enrollmentPassword, toScep, request.keyPair)),
    attestation: attested.record,
  };
  await auditAfterKeyChanged(o, warnings, { event: 'WORKSTATION_CERTIFICATE_REQUESTED', outcome: 'success', keySerial: serial });
  let issued: IssuedCertificate | undefined;
  try {
    issued = await o.enrollment.enroll(csr, o.identity);
    await checkIssued(o, issued, publicKey);
  } catch (e) {
    await auditAfterKeyChanged(o, warnings, {
      event: 'WORKSTATION_CERTIFICATE_ISSUED',
      outcome: 'failure',
      keySerial: serial,
      detail: e instanceof Error && 'code' in e ? String(e.code) : 'error',
    });
    if (issued !== undefined) await retireUnusedCertificate(o, { der: issued.certificate, keySerial: serial, reason: 'unspecified' }, warnings);
    throw e;
  }
  await auditAfterKeyChanged(o, warnings, {
    event: 'WORKSTATION_CERTIFICATE_ISSUED',
    outcome: 'success',
    keySerial: serial,
    certificateSerial: new x509.X509Certificate(issued.certificate).serialNumber.toLowerCase(),
    certificateThumbprint: thumbprint(issued.certificate),
  });
  return issued;
}
