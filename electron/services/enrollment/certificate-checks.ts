// What an issued certificate must pass before it is written to a key (a bad
// one would leave the user unable to sign in): its public key is the slot's,
// its chain leads to the pinned CA with every signature verified, it is valid
// now, it has the EKUs and the UPN the policy requires. Used by pairing and
// renewal (whatever the backend), and by the SCEP client on GetCACert.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { DirectoryString, id_ce_subjectAltName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import * as x509 from '../../../native/x509.ts';
import type { Policy } from '../policy/policy-schema.ts';
import type { EnrollmentIdentity, IssuedCertificate } from './backend.ts';
import { certificateInvalid, chainToPin, checkCaPin, type PinSource, spkiPin } from './certificate-chain.ts';
import { EKU_OIDS, OID_UPN } from './oids.ts';

export { checkCaPin, spkiPin };

export interface CertificateCheckInput {
  readonly issued: IssuedCertificate;
  /** The public key read back from the slot the CSR was made with. */
  readonly slotPublicKey: KeyObject | Uint8Array;
  /** The policy's enrollment.caPin; null: the anchor (the local CA's own certificate) is trusted. */
  readonly caPin: string | null;
  /** The local CA's certificate (DER), when caPin is null. */
  readonly anchor?: Uint8Array;
  readonly policy: Policy;
  readonly identity: EnrollmentIdentity;
  readonly now: Date;
}

export interface CheckedCertificate {
  /** Hex, as @peculiar/x509 prints it. */
  readonly serialNumber: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The pin of the CA the chain led to. */
  readonly caPin: string;
}

const invalid = certificateInvalid;

function parse(der: Uint8Array, which: 'certificate' | 'CA certificate' | 'local CA certificate'): x509.X509Certificate {
  try {
    return x509.readWholeCertificate(der);
  } catch (e) {
    throw invalid({ check: 'unreadable', which }, e);
  }
}

function spkiDer(key: KeyObject | Uint8Array): Buffer {
  // Normalised through OpenSSL, so equal keys compare equal whatever their encoding.
  const object = key instanceof Uint8Array ? createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' }) : key;
  return Buffer.from(object.export({ format: 'der', type: 'spki' }));
}

function checkPublicKey(leaf: x509.X509Certificate, slotPublicKey: KeyObject | Uint8Array): void {
  let same: boolean;
  try {
    same = spkiDer(new Uint8Array(leaf.publicKey.rawData)).equals(spkiDer(slotPublicKey));
  } catch {
    same = false;
  }
  if (!same) {
    throw invalid({ check: 'other-key' });
  }
}

function checkValidity(path: readonly x509.X509Certificate[], now: Date): void {
  for (const [index, cert] of path.entries()) {
    const ca = index === 0 ? {} : { ca: cert.subject };
    if (now.getTime() < cert.notBefore.getTime()) {
      throw invalid({ check: 'not-yet-valid', date: cert.notBefore.toISOString(), ...ca });
    }
    if (now.getTime() > cert.notAfter.getTime()) {
      throw invalid({ check: 'expired', date: cert.notAfter.toISOString(), ...ca });
    }
  }
}

function checkEku(leaf: x509.X509Certificate, policy: Policy): void {
  let usages: readonly string[];
  try {
    usages = (leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? []).map(String);
  } catch (e) {
    throw invalid({ check: 'eku-unreadable' }, e);
  }
  const missing = policy.certificate.requiredEku.filter((name) => !usages.includes(EKU_OIDS[name]));
  if (missing.length > 0) {
    throw invalid({ check: 'eku-missing', missing: missing.map((name) => `${name} (${EKU_OIDS[name]})`) });
  }
}

/** The UPNs (otherName 1.3.6.1.4.1.311.20.2.3, UTF8String) of the certificate's SAN. */
export function upnsOf(cert: x509.X509Certificate): string[] {
  const extension = cert.extensions.find((e) => e.type === id_ce_subjectAltName);
  if (extension === undefined) return [];
  const names = AsnConvert.parse(extension.value, SubjectAlternativeName);
  return names.flatMap((name) => {
    if (name.otherName?.typeId !== OID_UPN) return [];
    const value = AsnConvert.parse(name.otherName.value, DirectoryString);
    return value.utf8String === undefined ? [] : [value.utf8String];
  });
}

function checkUpn(leaf: x509.X509Certificate, policy: Policy, identity: EnrollmentIdentity): void {
  if (!policy.certificate.requireUpn) return;
  let upns: string[];
  try {
    upns = upnsOf(leaf);
  } catch (e) {
    throw invalid({ check: 'san-unreadable' }, e);
  }
  if (upns.length === 0) throw invalid({ check: 'no-upn', upn: identity.upn });
  // UPNs are compared as Active Directory does: without regard to case.
  if (!upns.some((u) => u.toLowerCase() === identity.upn.toLowerCase())) {
    throw invalid({ check: 'wrong-upn', upn: identity.upn, found: upns });
  }
}

/**
 * Throws EnrollmentError CERTIFICATE_INVALID (the message names the failed
 * check and what to do) or CA_PIN_MISMATCH; returns what the pairing record keeps.
 */
export async function checkIssuedCertificate(input: CertificateCheckInput): Promise<CheckedCertificate> {
  const leaf = parse(input.issued.certificate, 'certificate');
  const pool = input.issued.chain.map((der) => parse(der, 'CA certificate'));
  let pin: string;
  let source: PinSource;
  if (input.caPin !== null) {
    pin = input.caPin.toLowerCase();
    source = 'policy';
  } else if (input.anchor !== undefined) {
    const anchor = parse(input.anchor, 'local CA certificate');
    pin = spkiPin(anchor.rawData);
    source = 'local';
    if (!pool.some((c) => Buffer.from(c.rawData).equals(Buffer.from(anchor.rawData)))) pool.push(anchor);
  } else {
    throw new TypeError('checkIssuedCertificate needs a caPin or an anchor.');
  }
  checkPublicKey(leaf, input.slotPublicKey);
  const path = await chainToPin(leaf, pool, pin, source);
  checkValidity(path, input.now);
  checkEku(leaf, input.policy);
  checkUpn(leaf, input.policy, input.identity);
  return { serialNumber: leaf.serialNumber, subject: leaf.subject, issuer: leaf.issuer, notBefore: leaf.notBefore, notAfter: leaf.notAfter, caPin: pin };
}
