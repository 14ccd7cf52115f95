// What the local CA puts in its certificates: its own self-signed CA
// certificate and the smart-card logon certificates it issues. Building and
// signing is @peculiar/x509's; this file only decides the fields.
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, id_ce_nameConstraints, NameConstraints } from '@peculiar/asn1-x509';
import { getRandomValues, webcrypto } from 'node:crypto';
import * as x509 from '../../../native/x509.ts';
import type { EnrollmentIdentity } from './backend.ts';
import { OID_CLIENT_AUTH, OID_SMARTCARD_LOGON } from './oids.ts';

export const LOCAL_CA_NAME = 'Workforce Access Local CA';

/**
 * The CA key is ECDSA P-256 with SHA-256: the strength of RSA 3072 (NIST SP
 * 800-57 Part 1 Rev. 5, Table 2: both 128-bit security) at a fraction of the
 * size, so the issued certificate fits comfortably in a PIV certificate
 * object (a 72-byte signature instead of 384), key generation is instant on
 * first use, and Windows accepts ECDSA-signed smart-card logon chains.
 */
export const CA_KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
export const CA_SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** Validity of the CA certificate: 10 years (the task; longer than any policy's validityDays, max 3650). */
export const CA_VALIDITY_YEARS = 10;

/**
 * notBefore is set this far in the past so that a verifier whose clock is a
 * little behind still accepts a fresh certificate: 5 minutes, Kerberos' default
 * maximum clock skew (RFC 4120 §1.6 "on the order of 5 minutes"; Windows
 * "Maximum tolerance for computer clock synchronization").
 */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A random positive serial number: 16 random octets (RFC 5280 §4.1.2.2:
 * positive, at most 20 octets; CA/Browser Forum Baseline Requirements §7.1:
 * at least 64 bits of CSPRNG output). The top bit is cleared so the INTEGER is
 * positive without a leading zero, and the next one set so it keeps 16 octets:
 * 126 random bits.
 */
export function randomSerialHex(): string {
  const bytes = getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return Buffer.from(bytes).toString('hex');
}

/**
 * Name constraints (RFC 5280 §4.2.1.10) that keep the CA to the policy's
 * upnSuffix: DNS names and mailboxes in that domain and below, so a copy of
 * its key cannot make a TLS server or e-mail certificate for anyone else.
 * The UPN itself (an otherName) is not among them: OpenSSL 3 refuses every
 * certificate with a UPN below a CA that constrains UPNs ("unsupported name
 * constraint type"), so the CA checks the UPN itself (permitsUpn).
 */
function nameConstraints(upnSuffix: string): x509.Extension {
  const subtree = (name: Partial<GeneralName>): GeneralSubtree => new GeneralSubtree({ base: new GeneralName(name) });
  const permitted = new GeneralSubtrees([subtree({ dNSName: upnSuffix }), subtree({ rfc822Name: upnSuffix }), subtree({ rfc822Name: `.${upnSuffix}` })]);
  // RFC 5280 §4.2.1.10: conforming CAs MUST mark this extension critical.
  return new x509.Extension(id_ce_nameConstraints, true, AsnConvert.serialize(new NameConstraints({ permittedSubtrees: permitted })));
}

/** The domain the CA certificate is constrained to (its permitted dNSName), or null for a CA made before constraints. */
export function constrainedDomain(ca: x509.X509Certificate): string | null {
  const extension = ca.getExtension(id_ce_nameConstraints);
  if (extension === null) return null;
  const constraints = AsnConvert.parse(extension.value, NameConstraints);
  return constraints.permittedSubtrees?.find((s) => s.base.dNSName !== undefined)?.base.dNSName ?? null;
}

/** Whether a UPN's domain is the CA's constrained domain or below it (the dNSName rule, RFC 5280 §4.2.1.10). */
export function permitsUpn(ca: x509.X509Certificate, upn: string): boolean {
  const domain = constrainedDomain(ca);
  if (domain === null) return true;
  const upnDomain = upn.slice(upn.lastIndexOf('@') + 1).toLowerCase();
  const wanted = domain.toLowerCase();
  return upnDomain === wanted || upnDomain.endsWith(`.${wanted}`);
}

/** The self-signed CA certificate (RFC 5280 §4.2.1.9, §4.2.1.3, §4.2.1.2, §4.2.1.10). */
export async function createCaCertificate(keys: webcrypto.CryptoKeyPair, now: Date, upnSuffix: string): Promise<x509.X509Certificate> {
  const notAfter = new Date(now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALIDITY_YEARS);
  return x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialHex(),
      name: new x509.Name([{ CN: [{ utf8String: LOCAL_CA_NAME }] }]),
      notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
      notAfter,
      keys,
      signingAlgorithm: CA_SIGNING_ALGORITHM,
      extensions: [
        // RFC 5280 §4.2.1.9: MUST be critical in CA certificates. pathLen 0:
        // this CA signs end-entity certificates only, never another CA.
        new x509.BasicConstraintsExtension(true, 0, true),
        // RFC 5280 §4.2.1.3: keyCertSign for certificates, cRLSign for the revocation list.
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        // RFC 5280 §4.2.1.2: MUST appear in CA certificates.
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
        nameConstraints(upnSuffix),
      ],
    },
    webcrypto,
  );
}

/** The CA's own SKI: the AKI of what it issues MUST equal it (RFC 5280 §4.2.1.1). */
export function caKeyIdentifier(ca: x509.X509Certificate): string {
  const ski = ca.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski === null) throw new Error('The local CA certificate has no subject key identifier.');
  return ski.keyId;
}

export interface LeafRequest {
  readonly ca: x509.X509Certificate;
  readonly caKey: webcrypto.CryptoKey;
  /** The public key of the CSR (the key on the card). */
  readonly publicKey: x509.PublicKey;
  readonly identity: EnrollmentIdentity;
  readonly validityDays: number;
  readonly now: Date;
}

/**
 * A smart-card logon certificate as Microsoft describes it ("Certificate
 * Requirements for Smart Card Logon", see oids.ts): KU digitalSignature, EKU
 * client auth + smart-card logon, SAN otherName UPN as UTF8String.
 */
export async function issueSmartCardLogonCertificate(request: LeafRequest): Promise<x509.X509Certificate> {
  const { ca, caKey, publicKey, identity, validityDays, now } = request;
  // Never past the CA's own end: a chain is only as valid as its CA (RFC 5280 §6.1.3(a)(2)).
  const notAfter = new Date(Math.min(now.getTime() + validityDays * DAY_MS, ca.notAfter.getTime()));
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: new x509.Name([{ CN: [{ utf8String: identity.userName }] }]),
      issuer: ca.subjectName,
      notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
      notAfter,
      publicKey,
      signingKey: caKey,
      signingAlgorithm: CA_SIGNING_ALGORITHM,
      extensions: [
        // RFC 5280 §4.2.1.9: an end entity; not critical, as is usual for end entities.
        new x509.BasicConstraintsExtension(false, undefined, false),
        // RFC 5280 §4.2.1.3 ("SHOULD mark this extension critical"); sign-in signs a challenge.
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([OID_CLIENT_AUTH, OID_SMARTCARD_LOGON], false),
        // The subject has a CN, so the SAN is not critical (RFC 5280 §4.2.1.6).
        new x509.SubjectAlternativeNameExtension([{ type: 'upn', value: identity.upn }], false),
        // RFC 5280 §4.2.1.2 (SKI SHOULD be in end-entity certificates) and
        // §4.2.1.1 (AKI MUST be present, equal to the CA's SKI).
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, webcrypto),
        new x509.AuthorityKeyIdentifierExtension(caKeyIdentifier(ca), false),
      ],
    },
    webcrypto,
  );
}
