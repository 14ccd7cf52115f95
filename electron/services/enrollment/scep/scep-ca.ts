// What GetCACert returned (RFC 8894 §4.2.1), checked against the policy's
// pin before anything else is sent: the pinned CA, the certificates that
// chain to it (RA, issuing CAs), the one to encrypt requests to, and the
// ones allowed to sign the CA's answers.
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { createHash } from 'node:crypto';
import * as x509 from '../../../../native/x509.ts';
import { EnrollmentError } from '../enrollment-error.ts';
import { certificatesFromDegenerate } from './scep-cms.ts';
import { MEDIA_TYPE, RSA_ENCRYPTION } from './scep-constants.ts';
import type { HttpAnswer } from './scep-http.ts';

export interface CaBundle {
  /** The certificate whose public key matches the policy's caPin. */
  readonly pinned: x509.X509Certificate;
  /** The pinned CA and every received certificate that chains to it. */
  readonly trusted: readonly x509.X509Certificate[];
  /** The CA certificates among `trusted` (the pinned one first), without RA certificates. */
  readonly cas: readonly x509.X509Certificate[];
  /** Requests are encrypted to this one: an RA that may encipher keys, else the lowest CA. */
  readonly recipient: x509.X509Certificate;
  /** The CA that issues (the lowest CA of the chain); CertPoll names it, RFC 8894 §3.3.3. */
  readonly issuer: x509.X509Certificate;
}

/** `sha256:<hex>` of the SubjectPublicKeyInfo DER, the form of the policy's caPin (design.md). */
export function spkiPin(certificate: x509.X509Certificate): string {
  return `sha256:${createHash('sha256').update(new Uint8Array(certificate.publicKey.rawData)).digest('hex')}`;
}

function invalidCaAnswer(serviceName: string, why: string, cause?: unknown): EnrollmentError {
  return new EnrollmentError('ENROLLMENT_UNREACHABLE', 'The enrollment service did not send its CA certificate. Check the policy\'s scepUrl, or connect to the company network or VPN and try again.', {
    cause,
    detail: `${serviceName}: ${why}`,
  });
}

/** The certificates of a GetCACert answer: one DER certificate, or a degenerate SignedData (RFC 8894 §4.2.1). */
export function parseCaCertAnswer(answer: HttpAnswer, serviceName: string): x509.X509Certificate[] {
  const asCertificate = (): x509.X509Certificate[] => [new x509.X509Certificate(answer.body)];
  const asDegenerate = (): x509.X509Certificate[] => certificatesFromDegenerate(answer.body).map((c) => new x509.X509Certificate(c));
  // The media type says which; a service that labels it wrongly is still read by trying the other.
  const order = answer.contentType === MEDIA_TYPE.caRaCert ? [asDegenerate, asCertificate] : [asCertificate, asDegenerate];
  let firstError: unknown;
  for (const parse of order) {
    try {
      const certs = parse();
      if (certs.length > 0) return certs;
    } catch (e) {
      firstError ??= e;
    }
  }
  throw invalidCaAnswer(serviceName, `GetCACert answered with ${answer.body.length} bytes of ${answer.contentType || 'unlabelled data'} that hold no certificate`, firstError);
}

/** Whether `parent` issued `child`: names chain and the signature verifies. */
export async function issuedBy(child: x509.X509Certificate, parent: x509.X509Certificate): Promise<boolean> {
  if (child.issuer !== parent.subject) return false;
  try {
    return await child.verify({ publicKey: parent.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

function isCa(certificate: x509.X509Certificate): boolean {
  return certificate.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

function mayEncipherKeys(certificate: x509.X509Certificate): boolean {
  const usage = certificate.getExtension(x509.KeyUsagesExtension);
  return usage === null || (usage.usages & x509.KeyUsageFlags.keyEncipherment) !== 0;
}

/** SubjectPublicKeyInfo.algorithm is rsaEncryption (RFC 8017 Appendix C): the key can take key transport. */
export function isRsaSpki(spki: ArrayBuffer): boolean {
  return AsnConvert.parse(spki, SubjectPublicKeyInfo).algorithm.algorithm === RSA_ENCRYPTION;
}

function hasRsaKey(certificate: x509.X509Certificate): boolean {
  return isRsaSpki(certificate.publicKey.rawData);
}

/**
 * Finds the pinned CA among `certificates` and what chains to it. No
 * match: CA_PIN_MISMATCH, whose detail lists what the service sent so an
 * administrator can compare it with the policy.
 */
export async function checkCaBundle(certificates: readonly x509.X509Certificate[], caPin: string, serviceName: string): Promise<CaBundle> {
  const want = caPin.toLowerCase();
  const pinned = certificates.find((c) => spkiPin(c) === want);
  if (pinned === undefined) {
    const found = certificates.map((c) => `${c.subject} (${spkiPin(c)})`).join('; ');
    throw new EnrollmentError(
      'CA_PIN_MISMATCH',
      'The enrollment service\'s CA is not the one your organisation\'s policy names, so nothing was sent to it. Tell your administrator.',
      { detail: `${serviceName} sent ${found}; the policy expects ${want}` },
    );
  }
  const trusted = [pinned];
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of certificates) {
      if (trusted.includes(c)) continue;
      for (const t of trusted) {
        if (await issuedBy(c, t)) {
          trusted.push(c);
          grew = true;
          break;
        }
      }
    }
  }
  const ra = trusted.find((c) => !isCa(c) && mayEncipherKeys(c));
  // Without an RA, the CA that issued no other certificate here is the one the service speaks for.
  const cas = trusted.filter((c) => c === pinned || isCa(c));
  const lowestCa = cas.find((c) => !cas.some((o) => o !== c && o.issuer === c.subject)) ?? pinned;
  const recipient = ra ?? lowestCa;
  if (!hasRsaKey(recipient)) {
    throw new EnrollmentError('ENROLLMENT_REJECTED', 'The enrollment service\'s certificate has no RSA key, and SCEP encrypts requests to the service with RSA. Tell your administrator.', {
      detail: `${serviceName}: ${recipient.subject} has a ${recipient.publicKey.algorithm.name} key`,
    });
  }
  return { pinned, trusted, cas, recipient, issuer: lowestCa };
}
