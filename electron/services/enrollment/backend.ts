// One interface, two backends: the embedded local CA (default) and SCEP
// (RFC 8894) to an enterprise CA (Microsoft NDES / AD CS, or any SCEP CA).
import type { webcrypto } from 'node:crypto';
import type { AttestationRecord } from '../attestation/attestation-record.ts';

/** Who the certificate is for (from the OS user name and the policy's UPN suffix). */
export interface EnrollmentIdentity {
  /** OS user name, e.g. "alice". */
  readonly userName: string;
  /** User principal name, e.g. "alice@example.com". */
  readonly upn: string;
}

/** A CSR signed by the key on the card (DER), with what is needed to sign more on the card (SCEP). */
export interface CardCsr {
  /** What the key's attestation showed (where the key was made): the local CA keeps it with the certificate it issues. */
  readonly attestation?: AttestationRecord;
  readonly csrDer: Uint8Array;
  /** The card-backed key pair and WebCrypto provider (native/piv/card-signer.ts cardKeyPair). */
  readonly keys: webcrypto.CryptoKeyPair;
  readonly crypto: webcrypto.Crypto;
  readonly signingAlgorithm: { name: string; hash: string };
  /** A SCEP challenge password the user typed (when the policy holds none); never logged or stored. */
  readonly challenge?: string;
  /**
   * RSA keys only: the raw RSA private operation on the card (RFC 8017 §5.1.2
   * RSADP, the block returned whole, padding NOT removed), for the key
   * transport of a SCEP answer, which the CA encrypts to the card's key
   * (RFC 8894 §3.3.2.1). The SCEP client removes the padding itself, with
   * care (scep/scep-crypto.ts). Build it with scep/card-decrypt.ts.
   */
  readonly decrypt?: (ciphertext: Uint8Array) => Promise<Uint8Array>;
}

export interface IssuedCertificate {
  /** The end-entity certificate, DER. */
  readonly certificate: Uint8Array;
  /** Issuing CA and any intermediates up to (and including) the pinned CA, DER. */
  readonly chain: readonly Uint8Array[];
}

export type RevocationReason = 'unspecified' | 'keyCompromise' | 'affiliationChanged' | 'superseded' | 'cessationOfOperation';

export interface ReachabilityReport {
  readonly reachable: boolean;
  /** What was checked and found, in words an administrator reads (`wfa enroll-test`). */
  readonly details: readonly string[];
}

export interface EnrollmentBackend {
  readonly kind: 'local' | 'scep';
  /** Throws EnrollmentError ENROLLMENT_UNREACHABLE when the service cannot be reached in time. */
  checkReachable(): Promise<ReachabilityReport>;
  /** The CA certificates (DER), checked against the policy's pin (CA_PIN_MISMATCH). */
  caCertificates(): Promise<readonly Uint8Array[]>;
  /** The CA certificates as they are, never creating or writing anything (the sign-in check only reads); absent = caCertificates. */
  existingCaCertificates?(): Promise<readonly Uint8Array[]>;
  enroll(csr: CardCsr, identity: EnrollmentIdentity): Promise<IssuedCertificate>;
  /** Revokes where the backend can; false where it cannot (SCEP has no revocation). */
  revoke(certificate: Uint8Array, reason: RevocationReason): Promise<boolean>;
  /**
   * The CA's current revocation list (DER), where the backend has one; absent
   * where it has none (the sign-in check then says revocation was not checked).
   * Throws ENROLLMENT_UNREACHABLE when the list exists but cannot be fetched.
   */
  revocationList?(): Promise<Uint8Array>;
}
