// Small CMS (RFC 5652) helpers over @peculiar/asn1-cms for the SCEP message
// code: ContentInfo wrapping, attribute values, DER ordering of signed
// attributes, signer and recipient identifiers, degenerate certificate sets.
import { Attribute, CertificateChoices, CertificateSet, ContentInfo, IssuerAndSerialNumber, SignedData, type SignerIdentifier } from '@peculiar/asn1-cms';
import { AsnConvert, AsnObjectIdentifierConverter, AsnPrintableStringConverter, OctetString } from '@peculiar/asn1-schema';
import { Certificate, DirectoryString, SubjectKeyIdentifier } from '@peculiar/asn1-x509';
import { createHash } from 'node:crypto';
import { CMS } from './scep-constants.ts';

export function bytes(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  return buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export function der(value: unknown): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(value));
}

/** ContentInfo, RFC 5652 §3. */
export function wrapContentInfo(contentType: string, content: Uint8Array): Uint8Array {
  return der(new ContentInfo({ contentType, content: content.slice().buffer }));
}

/** Unwraps a ContentInfo of the expected type; throws when it is something else. */
export function unwrapContentInfo(input: Uint8Array, contentType: string): Uint8Array {
  const info = AsnConvert.parse(input, ContentInfo);
  if (info.contentType !== contentType) throw new Error(`expected content type ${contentType}, found ${info.contentType}`);
  return bytes(info.content);
}

/** The certificates of a degenerate certificates-only SignedData (RFC 8894 §3.4), DER each. */
export function certificatesFromDegenerate(input: Uint8Array): Uint8Array[] {
  const signed = AsnConvert.parse(unwrapContentInfo(input, CMS.signedData), SignedData);
  return (signed.certificates ?? []).flatMap((choice) => (choice.certificate === undefined ? [] : [der(choice.certificate)]));
}

export function certificateSet(certificates: readonly Uint8Array[]): CertificateSet {
  return new CertificateSet(certificates.map((c) => new CertificateChoices({ certificate: AsnConvert.parse(c, Certificate) })));
}

// Attribute values (RFC 5652 §5.3 "attrValues"): each value is its own DER encoding.

export function printableValue(text: string): ArrayBuffer {
  return AsnPrintableStringConverter.toASN(text).toBER(false);
}

export function octetsValue(value: Uint8Array): ArrayBuffer {
  return AsnConvert.serialize(new OctetString(value));
}

export function oidValue(oid: string): ArrayBuffer {
  return AsnObjectIdentifierConverter.toASN(oid).toBER(false);
}

export function readOctets(value: ArrayBuffer): Uint8Array {
  return bytes(AsnConvert.parse(value, OctetString).buffer);
}

/** A PrintableString or UTF8String value (DirectoryString covers both). */
export function readText(value: ArrayBuffer): string {
  return AsnConvert.parse(value, DirectoryString).toString();
}

/** Whether a DER attribute value is exactly `expected` (DER has one encoding per value). */
export function valueEquals(value: ArrayBuffer, expected: ArrayBuffer): boolean {
  return equalBytes(bytes(value), bytes(expected));
}

/** The single value of attribute `type`, or undefined; a repeated or multi-valued SCEP attribute is malformed. */
export function singleValue(attributes: readonly Attribute[], type: string): ArrayBuffer | undefined {
  const found = attributes.filter((a) => a.attrType === type);
  if (found.length === 0) return undefined;
  if (found.length > 1 || found[0]!.attrValues.length !== 1) throw new Error(`attribute ${type} must have exactly one value`);
  return found[0]!.attrValues[0]!;
}

/**
 * Orders attributes as DER orders a SET OF (X.690 §11.6: by encoding, the
 * shorter padded with zero bytes), so the signed bytes equal what a verifier
 * re-encodes (RFC 5652 §5.4).
 */
export function derOrdered(attributes: readonly Attribute[]): Attribute[] {
  const encoded = attributes.map((a) => ({ a, e: der(a) }));
  encoded.sort((x, y) => {
    const n = Math.max(x.e.length, y.e.length);
    for (let i = 0; i < n; i++) {
      const d = (x.e[i] ?? 0) - (y.e[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
  return encoded.map(({ a }) => a);
}

export function issuerAndSerial(certificateDer: Uint8Array): IssuerAndSerialNumber {
  const tbs = AsnConvert.parse(certificateDer, Certificate).tbsCertificate;
  return new IssuerAndSerialNumber({ issuer: tbs.issuer, serialNumber: tbs.serialNumber });
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Whether a SignerIdentifier or RecipientIdentifier names `certificateDer`
 * (RFC 5652 §5.3, §6.2.1): by issuer and serial, or by subject key identifier
 * (the certificate's extension, else RFC 5280 §4.2.1.2 method 1).
 */
export function identifies(id: Pick<SignerIdentifier, 'issuerAndSerialNumber' | 'subjectKeyIdentifier'>, certificateDer: Uint8Array): boolean {
  const cert = AsnConvert.parse(certificateDer, Certificate);
  const tbs = cert.tbsCertificate;
  if (id.issuerAndSerialNumber !== undefined) {
    return (
      equalBytes(der(id.issuerAndSerialNumber.issuer), der(tbs.issuer)) && equalBytes(bytes(id.issuerAndSerialNumber.serialNumber), bytes(tbs.serialNumber))
    );
  }
  if (id.subjectKeyIdentifier !== undefined) {
    const want = bytes(id.subjectKeyIdentifier.buffer);
    const ext = tbs.extensions?.find((e) => e.extnID === '2.5.29.14');
    const have =
      ext !== undefined
        ? bytes(AsnConvert.parse(ext.extnValue.buffer, SubjectKeyIdentifier).buffer)
        : new Uint8Array(createHash('sha1').update(bytes(tbs.subjectPublicKeyInfo.subjectPublicKey)).digest());
    return equalBytes(want, have);
  }
  return false;
}

export { Attribute };
