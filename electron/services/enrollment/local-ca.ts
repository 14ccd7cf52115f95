// The embedded default enrollment backend: a CA kept in the app's data folder
// (for one machine, demos and small teams; README, "The local CA"). It issues smart-card logon
// certificates for CSRs signed on the card, keeps a revocation list and
// produces a CRL signed by the CA.
import { createPublicKey, webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, id_ce_cRLNumber } from '@peculiar/asn1-x509';
import * as x509 from '../../../native/x509.ts';
import type { CardCsr, EnrollmentBackend, EnrollmentIdentity, IssuedCertificate, ReachabilityReport, RevocationReason } from './backend.ts';
import { spkiPin } from './certificate-chain.ts';
import { EnrollmentError } from './enrollment-error.ts';
import type { ErrorFacts } from '../../ipc/error-facts.ts';
import { identityProblem } from './identity.ts';
import { CA_SIGNING_ALGORITHM, caKeyIdentifier, constrainedDomain, issueSmartCardLogonCertificate, LOCAL_CA_NAME, permitsUpn } from './local-ca-profile.ts';
import { writeIssuedRecord } from './local-ca-issued.ts';
import { readRevocations, type RevokedEntry, writeRevocations } from './local-ca-revocations.ts';
import { CA_FOLDER, type LoadedCa, LocalCaError, loadExistingCa, loadOrCreateCa } from './local-ca-store.ts';

/**
 * How long a CRL stays current (its nextUpdate, which RFC 5280 §5.1.2.5 says
 * conforming CAs MUST include): one week, AD CS's default CRL validity period.
 */
const CRL_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/** Key sizes the CA signs for: RSA ≥ 2048 and the PIV curves (NIST SP 800-78-4 Table 3-1; SP 800-57 Part 1 Table 2). */
const MIN_RSA_BITS = 2048;
const ACCEPTED_CURVES = new Set(['prime256v1', 'secp384r1']);

export interface LocalCaOptions {
  /** The app's data folder; the CA lives in its `local-ca` subfolder. */
  readonly dataDir: string;
  /** policy.certificate.validityDays: any whole number of days ≥ 1. */
  readonly validityDays: number;
  /** policy.identity.upnSuffix: a new CA is name-constrained to it, and issues UPNs in it only. */
  readonly upnSuffix: string;
  /** Test-only clock injection. */
  readonly now?: () => Date;
}

function rejected(facts: ErrorFacts['ENROLLMENT_REJECTED'], cause?: unknown): EnrollmentError {
  return new EnrollmentError('ENROLLMENT_REJECTED', facts, { cause });
}

function checkKeyStrength(publicKey: x509.PublicKey): void {
  const key = createPublicKey({ key: Buffer.from(publicKey.rawData), format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= MIN_RSA_BITS) return;
  if (key.asymmetricKeyType === 'ec' && ACCEPTED_CURVES.has(details?.namedCurve ?? '')) return;
  throw rejected({ reason: 'local-key-kind' });
}

function checkIdentity(identity: EnrollmentIdentity): void {
  const problem = identityProblem(identity);
  if (problem !== null) throw rejected({ reason: 'local-identity', identity: problem });
}

export class LocalCa implements EnrollmentBackend {
  readonly kind = 'local' as const;
  private loading: Promise<LoadedCa> | null = null;
  /** Revocation-list updates run one after another (read, change, write). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly options: LocalCaOptions) {
    if (!Number.isInteger(options.validityDays) || options.validityDays < 1) throw new RangeError('validityDays must be a whole number of days, at least 1.');
    this.now = options.now ?? (() => new Date());
  }

  private ca(): Promise<LoadedCa> {
    if (this.loading === null) {
      this.loading = loadOrCreateCa(this.options.dataDir, this.now(), this.options.upnSuffix);
      // A damaged CA is looked at again on the next call (the user may have repaired it).
      this.loading.catch(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async checkReachable(): Promise<ReachabilityReport> {
    const ca = await this.ca();
    const details = [
      `Local CA "${LOCAL_CA_NAME}" at ${ca.folder} (${ca.created ? 'created now' : 'existing'})`,
      `CA certificate valid until ${ca.certificate.notAfter.toISOString()}, pin ${spkiPin(ca.certificate.rawData)}`,
    ];
    const domain = constrainedDomain(ca.certificate);
    details.push(domain === null ? 'Names: not constrained (a CA made before name constraints)' : `Names: constrained to ${domain}`);
    return { reachable: true, details };
  }

  /** Reading only: a CA not made yet is none (the sign-in check must work on a read-only data folder). */
  private async existingCa(): Promise<LoadedCa | null> {
    return this.loading ?? loadExistingCa(this.options.dataDir);
  }

  async caCertificates(): Promise<readonly Uint8Array[]> {
    return [new Uint8Array((await this.ca()).certificate.rawData)];
  }

  /** EnrollmentBackend.existingCaCertificates: none while the CA is not made yet; never writes. */
  async existingCaCertificates(): Promise<readonly Uint8Array[]> {
    const ca = await this.existingCa();
    return ca === null ? [] : [new Uint8Array(ca.certificate.rawData)];
  }

  async enroll(csr: CardCsr, identity: EnrollmentIdentity): Promise<IssuedCertificate> {
    const ca = await this.ca();
    let request: x509.Pkcs10CertificateRequest;
    try {
      request = new x509.Pkcs10CertificateRequest(csr.csrDer);
    } catch (e) {
      throw rejected({ reason: 'local-request-unreadable' }, e);
    }
    // Proof of possession: the request must be signed by the key it asks a certificate for.
    const signed = await request.verify(webcrypto).catch(() => false);
    if (!signed) throw rejected({ reason: 'local-request-signature' });
    checkKeyStrength(request.publicKey);
    checkIdentity(identity);
    if (!permitsUpn(ca.certificate, identity.upn)) {
      throw rejected({ reason: 'local-name-constraints', upn: identity.upn, domain: constrainedDomain(ca.certificate) ?? '', folder: ca.folder });
    }
    const certificate = await issueSmartCardLogonCertificate({
      ca: ca.certificate,
      caKey: ca.privateKey,
      publicKey: request.publicKey,
      identity,
      validityDays: this.options.validityDays,
      now: this.now(),
    });
    // The attestation is kept with the CA's record of what it issued: its files say where each key was made.
    await writeIssuedRecord(ca.folder, {
      serial: certificate.serialNumber.toLowerCase(),
      subject: certificate.subject,
      issuedAt: this.now().toISOString(),
      attestation: csr.attestation ?? null,
    });
    return { certificate: new Uint8Array(certificate.rawData), chain: [new Uint8Array(ca.certificate.rawData)] };
  }

  /** True once the certificate is on the revocation list; false for a certificate this CA did not issue. */
  async revoke(certificate: Uint8Array, reason: RevocationReason): Promise<boolean> {
    const ca = await this.ca();
    let cert: x509.X509Certificate;
    try {
      cert = new x509.X509Certificate(certificate);
    } catch {
      return false;
    }
    if (cert.serialNumber === ca.certificate.serialNumber || cert.issuer !== ca.certificate.subject) return false;
    const ours = await cert.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true }, webcrypto).catch(() => false);
    if (!ours) return false;
    return this.serialised(async () => {
      const list = await readRevocations(ca.folder);
      // Revoking twice keeps the first date and reason.
      if (list.revoked.some((e) => e.serial === cert.serialNumber)) return true;
      await writeRevocations(ca.folder, { ...list, revoked: [...list.revoked, { serial: cert.serialNumber, revokedAt: this.now().toISOString(), reason }] });
      return true;
    });
  }

  /** The revoked certificates, oldest first. */
  async revoked(): Promise<readonly RevokedEntry[]> {
    return (await readRevocations((await this.ca()).folder)).revoked;
  }

  /** EnrollmentBackend.revocationList: the CRL, for the sign-in check; reads only (its number is not kept). */
  async revocationList(): Promise<Uint8Array> {
    const ca = await this.existingCa();
    if (ca === null) throw new LocalCaError(join(this.options.dataDir, CA_FOLDER), 'missing');
    return this.crl(ca, false);
  }

  /** A CRL (DER) listing every revoked serial, signed by the CA (RFC 5280 §5); `persist` keeps its number. */
  async crl(loaded?: LoadedCa, persist = true): Promise<Uint8Array> {
    const ca = loaded ?? (await this.ca());
    return this.serialised(async () => {
      const list = await readRevocations(ca.folder);
      const crlNumber = list.crlNumber + 1;
      const thisUpdate = this.now();
      const crl = await x509.X509CrlGenerator.create(
        {
          issuer: ca.certificate.subjectName,
          thisUpdate,
          nextUpdate: new Date(thisUpdate.getTime() + CRL_VALIDITY_MS),
          signingAlgorithm: CA_SIGNING_ALGORITHM,
          signingKey: ca.privateKey,
          extensions: [
            // RFC 5280 §5.2.1 and §5.2.3: conforming CRL issuers MUST include both.
            new x509.AuthorityKeyIdentifierExtension(caKeyIdentifier(ca.certificate), false),
            new x509.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(crlNumber))),
          ],
          // reasonCode "unspecified" is left out, as RFC 5280 §5.3.1 asks.
          entries: list.revoked.map((e) => ({ serialNumber: e.serial, revocationDate: new Date(e.revokedAt), reason: x509.X509CrlReason[e.reason] })),
        },
        webcrypto,
      );
      // The number is kept so the next CRL's is higher (RFC 5280 §5.2.3).
      if (persist) await writeRevocations(ca.folder, { ...list, crlNumber });
      return new Uint8Array(crl.rawData);
    });
  }
}
