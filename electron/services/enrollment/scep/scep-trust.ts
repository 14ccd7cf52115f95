// Which certificates of a GetCACert answer (RFC 8894 §4.2.1) are trusted,
// and for what. Trust starts at the certificate the policy pins (caPin) and
// extends only through CA certificates (basic constraints CA, key usage
// keyCertSign when present: RFC 5280 §4.2.1.3, §4.2.1.9). The RA that
// requests are encrypted to, and those that may sign the answers, must be
// issued directly by the pinned or the issuing CA; the one encrypted to must
// match the policy's raPin when there is one. Nothing depends on the order
// the server sent them in.
import * as x509 from '../../../../native/x509.ts';
import { EnrollmentError } from '../enrollment-error.ts';
import { isRsaSpki, issuedBy, spkiPin } from './scep-ca.ts';

export interface CaBundle {
  /** The certificate whose public key matches the policy's caPin. */
  readonly pinned: x509.X509Certificate;
  /** The pinned CA and the CA certificates chaining to it through CA certificates only (the pinned one first). */
  readonly cas: readonly x509.X509Certificate[];
  /** The CA that issues (the lowest CA of the chain); CertPoll names it, RFC 8894 §3.3.3. */
  readonly issuer: x509.X509Certificate;
  /** Requests are encrypted to this one: the RA, else the issuing CA. */
  readonly recipient: x509.X509Certificate;
  /** May sign the CA's answers: the CAs and the RA certificates issued directly by the pinned or issuing CA. */
  readonly signers: readonly x509.X509Certificate[];
}

export interface TrustPins {
  /** 'sha256:<hex>' of the CA certificate's SubjectPublicKeyInfo. */
  readonly caPin: string;
  /** The same for the RA certificate requests are encrypted to (policy enrollment.raPin). */
  readonly raPin?: string | undefined;
}

/** A CA certificate (RFC 5280 §4.2.1.9 basic constraints CA; §4.2.1.3 keyCertSign when key usage is present). */
export function isCaCertificate(certificate: x509.X509Certificate): boolean {
  if (certificate.getExtension(x509.BasicConstraintsExtension)?.ca !== true) return false;
  const usage = certificate.getExtension(x509.KeyUsagesExtension);
  return usage === null || (usage.usages & x509.KeyUsageFlags.keyCertSign) !== 0;
}

function allows(certificate: x509.X509Certificate, flag: x509.KeyUsageFlags): boolean {
  const usage = certificate.getExtension(x509.KeyUsagesExtension);
  return usage === null || (usage.usages & flag) !== 0;
}

/** Order-free: sorted by their DER, so two answers with the same certificates give the same bundle. */
function canonical(certificates: readonly x509.X509Certificate[]): x509.X509Certificate[] {
  const hex = (c: x509.X509Certificate): string => Buffer.from(c.rawData).toString('hex');
  return [...certificates].sort((a, b) => (hex(a) < hex(b) ? -1 : hex(a) > hex(b) ? 1 : 0));
}

async function issuedByAny(child: x509.X509Certificate, parents: readonly x509.X509Certificate[]): Promise<x509.X509Certificate | undefined> {
  for (const parent of parents) if (await issuedBy(child, parent)) return parent;
  return undefined;
}

/**
 * Finds the pinned CA among `received` and what it vouches for. No match:
 * CA_PIN_MISMATCH, whose detail lists what the service sent so an
 * administrator can compare it with the policy.
 */
export async function checkCaBundle(received: readonly x509.X509Certificate[], pins: TrustPins, serviceName: string): Promise<CaBundle> {
  const certificates = canonical(received);
  const caPin = pins.caPin.toLowerCase();
  const listed = (): string => certificates.map((c) => `${c.subject} (${spkiPin(c)})`).join('; ');
  // Self-issued first among certificates of the pinned key (a root and its cross-certificate share it).
  const anchors = certificates.filter((c) => spkiPin(c) === caPin).sort((a, b) => Number(b.subject === b.issuer) - Number(a.subject === a.issuer));
  const pinned = anchors.find(isCaCertificate) ?? anchors[0];
  if (pinned === undefined) {
    throw new EnrollmentError(
      'CA_PIN_MISMATCH',
      { reason: 'ca' },
      {
        detail: `${serviceName} sent ${listed()}; the policy expects ${caPin}`,
      },
    );
  }
  if (!isCaCertificate(pinned)) {
    throw new EnrollmentError(
      'CA_PIN_MISMATCH',
      { reason: 'ca-not-authority' },
      {
        detail: `${serviceName}: ${pinned.subject} (${caPin}) lacks basic constraints CA or key usage keyCertSign; enrollment.caPin must pin the CA`,
      },
    );
  }

  const cas = anchors.filter(isCaCertificate);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of certificates) {
      if (cas.includes(c) || !isCaCertificate(c)) continue;
      if ((await issuedByAny(c, cas)) !== undefined) {
        cas.push(c);
        grew = true;
      }
    }
  }
  const pinnedKey = (c: x509.X509Certificate): boolean => spkiPin(c) === caPin;
  // Issuing CAs: the CAs that issued no other CA here (the pinned CA itself when it is alone).
  const issuing: x509.X509Certificate[] = [];
  for (const c of cas) {
    let issuesCa = false;
    for (const other of cas) if (spkiPin(other) !== spkiPin(c) && (await issuedBy(other, c))) issuesCa = true;
    if (!issuesCa) issuing.push(c);
  }

  // RA candidates: not CAs, issued directly by the pinned or an issuing CA.
  const direct: { ra: x509.X509Certificate; by: x509.X509Certificate }[] = [];
  for (const c of certificates) {
    if (cas.includes(c) || isCaCertificate(c)) continue;
    const by = await issuedByAny(
      c,
      cas.filter((ca) => pinnedKey(ca) || issuing.includes(ca)),
    );
    if (by !== undefined) direct.push({ ra: c, by });
  }
  const raPin = pins.raPin?.toLowerCase();
  const ras = raPin === undefined ? direct : direct.filter((d) => spkiPin(d.ra) === raPin);
  if (raPin !== undefined && !ras.some((d) => allows(d.ra, x509.KeyUsageFlags.keyEncipherment))) {
    throw new EnrollmentError(
      'CA_PIN_MISMATCH',
      { reason: 'ra' },
      {
        detail: `${serviceName} sent ${listed()}; the policy's enrollment.raPin is ${raPin}, which must be a certificate issued directly by the pinned or the issuing CA that may encipher keys`,
      },
    );
  }
  const encryptors = ras.filter((d) => allows(d.ra, x509.KeyUsageFlags.keyEncipherment));
  const encryptorKeys = new Set(encryptors.map((d) => spkiPin(d.ra)));
  if (encryptorKeys.size > 1) {
    throw new EnrollmentError(
      'ENROLLMENT_REJECTED',
      { reason: 'several-ras' },
      {
        detail: `${serviceName}: RA certificates ${encryptors.map((d) => `${d.ra.subject} (${spkiPin(d.ra)})`).join('; ')}; set enrollment.raPin to the one to use`,
      },
    );
  }
  const ra = encryptors[0];
  const issuingChoices = ra === undefined ? issuing : [ra.by];
  const issuingKeys = new Set(issuingChoices.map(spkiPin));
  if (issuingKeys.size > 1) {
    throw new EnrollmentError(
      'ENROLLMENT_REJECTED',
      { reason: 'several-cas' },
      {
        detail: `${serviceName}: issuing CAs ${issuingChoices.map((c) => `${c.subject} (${spkiPin(c)})`).join('; ')}`,
      },
    );
  }
  const issuer = issuingChoices[0] ?? pinned;
  const recipient = ra?.ra ?? issuer;
  if (!isRsaSpki(recipient.publicKey.rawData)) {
    throw new EnrollmentError(
      'ENROLLMENT_REJECTED',
      { reason: 'ra-not-rsa' },
      {
        detail: `${serviceName}: ${recipient.subject} has a ${recipient.publicKey.algorithm.name} key`,
      },
    );
  }
  // Answers may be signed by another RA certificate than the one encrypted to (NDES signs with its
  // "Exchange Enrollment Agent" certificate, a key of its own): an answer only says SUCCESS,
  // PENDING or FAILURE, and an issued certificate is still checked against the pinned CA.
  const signers = [...cas, ...direct.map((d) => d.ra).filter((c) => allows(c, x509.KeyUsageFlags.digitalSignature))];
  return { pinned, cas, issuer, recipient, signers };
}
