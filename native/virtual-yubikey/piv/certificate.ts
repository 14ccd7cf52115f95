// X.509 certificates the card itself signs (the F9 certificate at provisioning
// and every ATTEST answer), built synchronously: @peculiar/x509's generator is
// async (WebCrypto), and newCardState/ATTEST are synchronous. So the structure
// comes from @peculiar/asn1-x509 (RFC 5280 §4.1 schema classes, the ones
// @peculiar/x509 itself uses) and the signature from node:crypto.
import { type KeyObject, createPublicKey, sign } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';

/** id-at-commonName (RFC 5280 Appendix A.1, X.520). */
const OID_COMMON_NAME = '2.5.4.3';
/** sha256WithRSAEncryption (RFC 4055 §5; parameters NULL). */
const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
/** ecdsa-with-SHA256 (RFC 5758 §3.2; parameters absent). */
const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
/** id-Ed25519 (RFC 8410 §3; parameters absent). */
const OID_ED25519 = '1.3.101.112';

/** A Name with one CN, as UTF8String (what YubiKey attestation certificates carry). */
export function commonName(cn: string): Name {
  const value = new AttributeValue({ utf8String: cn });
  return new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: OID_COMMON_NAME, value })])]);
}

export function validity(notBefore: Date, notAfter: Date): Validity {
  return new Validity({ notBefore, notAfter });
}

/** A non-critical extension whose extnValue holds `value` as is. */
export function rawExtension(oid: string, value: Uint8Array, critical = false): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(value) });
}

/** A DER-encoded extension value (e.g. BasicConstraints) wrapped as an extension. */
export function encodedExtension(oid: string, value: unknown, critical: boolean): Extension {
  return rawExtension(oid, new Uint8Array(AsnConvert.serialize(value)), critical);
}

/** Parses a DER certificate (undefined when it is not one). */
export function parseCertificate(der: Uint8Array): Certificate | undefined {
  try {
    return AsnConvert.parse(der, Certificate);
  } catch {
    return undefined;
  }
}

export interface CertificateSpec {
  readonly serialNumber: Uint8Array;
  readonly issuer: Name;
  readonly subject: Name;
  readonly validity: Validity;
  /** The certified key (a private or public KeyObject; only its public half is used). */
  readonly subjectKey: KeyObject;
  readonly extensions: readonly Extension[];
  /** The issuer's private key. */
  readonly signer: KeyObject;
}

/** Signature algorithm for the issuer's key: SHA-256 with RSA PKCS#1 v1.5, ECDSA, or Ed25519. */
function signatureAlgorithm(signer: KeyObject): { id: AlgorithmIdentifier; hash: string | null } {
  switch (signer.asymmetricKeyType) {
    case 'rsa':
      return { id: new AlgorithmIdentifier({ algorithm: OID_SHA256_WITH_RSA, parameters: null }), hash: 'sha256' };
    case 'ec':
      return { id: new AlgorithmIdentifier({ algorithm: OID_ECDSA_WITH_SHA256 }), hash: 'sha256' };
    case 'ed25519':
      return { id: new AlgorithmIdentifier({ algorithm: OID_ED25519 }), hash: null };
    default:
      throw new Error(`a ${String(signer.asymmetricKeyType)} key cannot sign certificates`);
  }
}

/** Builds and signs a v3 certificate; returns its DER. */
export function buildCertificate(spec: CertificateSpec): Uint8Array {
  const algorithm = signatureAlgorithm(spec.signer);
  const spki = createPublicKey(spec.subjectKey).export({ format: 'der', type: 'spki' });
  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    serialNumber: Uint8Array.from(spec.serialNumber).buffer,
    signature: algorithm.id,
    issuer: spec.issuer,
    validity: spec.validity,
    subject: spec.subject,
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    extensions: new Extensions([...spec.extensions]),
  });
  const tbs = new Uint8Array(AsnConvert.serialize(tbsCertificate));
  const signature = sign(algorithm.hash, tbs, spec.signer);
  const certificate = new Certificate({
    tbsCertificate,
    signatureAlgorithm: algorithm.id,
    signatureValue: Uint8Array.from(signature).buffer,
  });
  return new Uint8Array(AsnConvert.serialize(certificate));
}
