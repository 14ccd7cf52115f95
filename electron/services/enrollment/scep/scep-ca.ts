// What GetCACert returned (RFC 8894 §4.2.1): its certificates, and the checks
// scep-trust.ts builds on (pins, issued-by, RSA keys).
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { createHash } from 'node:crypto';
import * as x509 from '../../../../native/x509.ts';
import { EnrollmentError } from '../enrollment-error.ts';
import { certificatesFromDegenerate } from './scep-cms.ts';
import { MEDIA_TYPE, RSA_ENCRYPTION } from './scep-constants.ts';
import type { HttpAnswer } from './scep-http.ts';

/** `sha256:<hex>` of the SubjectPublicKeyInfo DER, the form of the policy's caPin (design.md). */
export function spkiPin(certificate: x509.X509Certificate): string {
  return `sha256:${createHash('sha256').update(new Uint8Array(certificate.publicKey.rawData)).digest('hex')}`;
}

function invalidCaAnswer(serviceName: string, why: string, cause?: unknown): EnrollmentError {
  return new EnrollmentError(
    'ENROLLMENT_UNREACHABLE',
    { reason: 'no-ca-certificate' },
    {
      cause,
      detail: `${serviceName}: ${why}`,
    },
  );
}

/** The certificates of a GetCACert answer: one DER certificate, or a degenerate SignedData (RFC 8894 §4.2.1). */
export function parseCaCertAnswer(answer: HttpAnswer, serviceName: string): x509.X509Certificate[] {
  // Read whole here: a field that cannot be parsed fails now, as this answer's error, not later as a bare ASN.1 error.
  const asCertificate = (): x509.X509Certificate[] => [x509.readWholeCertificate(answer.body)];
  const asDegenerate = (): x509.X509Certificate[] => certificatesFromDegenerate(answer.body).map((c) => x509.readWholeCertificate(c));
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
  throw invalidCaAnswer(
    serviceName,
    `GetCACert answered with ${answer.body.length} bytes of ${answer.contentType || 'unlabelled data'} that hold no certificate`,
    firstError,
  );
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

/** SubjectPublicKeyInfo.algorithm is rsaEncryption (RFC 8017 Appendix C): the key can take key transport. */
export function isRsaSpki(spki: ArrayBuffer): boolean {
  return AsnConvert.parse(spki, SubjectPublicKeyInfo).algorithm.algorithm === RSA_ENCRYPTION;
}
