// @peculiar/x509 resolves its algorithms through tsyringe, which needs the
// Reflect metadata polyfill loaded first. Import x509 from here, never directly.
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';

export * from '@peculiar/x509';

/**
 * A certificate read whole at once. @peculiar/x509 parses each field (serial,
 * names, dates, public key, extensions) only when it is first asked for, so a
 * malformed certificate from outside (a CA's answer) throws a bare ASN.1 error
 * from wherever a field is first used. Read here, inside the caller's try, it
 * fails where the caller turns that into its typed error.
 */
export function readWholeCertificate(der: ArrayBuffer | ArrayBufferView): X509Certificate {
  const certificate = new X509Certificate(der instanceof ArrayBuffer ? der : new Uint8Array(der.buffer, der.byteOffset, der.byteLength));
  void certificate.serialNumber;
  void certificate.subject;
  void certificate.issuer;
  void certificate.notBefore;
  void certificate.notAfter;
  void certificate.publicKey.rawData;
  void certificate.extensions;
  return certificate;
}
