import { createHash, webcrypto } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, DirectoryString, id_ce_cRLNumber, SubjectAlternativeName } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import * as x509 from '../../../native/x509.ts';
import { DEFAULT_POLICY } from '../policy/policy-loader.ts';
import { checkIssuedCertificate } from './certificate-checks.ts';
import { EnrollmentError } from './enrollment-error.ts';
import { LocalCa } from './local-ca.ts';
import { LocalCaError } from './local-ca-store.ts';
import { cardCsrFixture, tempDataDir } from './test-support.ts';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-03-01T12:00:00.000Z');
const alice = { userName: 'alice', upn: 'alice@example.com' };

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('LocalCa: issuing', () => {
  it('issues a smart-card logon certificate for a CSR signed on the card, every field as the profile says', async () => {
    const dataDir = await tempDataDir();
    const ca = new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365, now: () => NOW });
    const { csr, publicKey } = await cardCsrFixture('ECCP256');
    const issued = await ca.enroll(csr, alice);
    const cert = new x509.X509Certificate(issued.certificate);
    expect(issued.chain).toHaveLength(1);
    const caCert = new x509.X509Certificate(issued.chain[0]!);

    expect(cert.subject).toBe('CN=alice');
    expect(cert.issuer).toBe('CN=Workforce Access Local CA');
    expect(Buffer.from(cert.publicKey.rawData)).toEqual(publicKey.export({ format: 'der', type: 'spki' }));
    expect(await cert.verify({ publicKey: caCert.publicKey, signatureOnly: true }, webcrypto)).toBe(true);
    expect(cert.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });

    const ku = cert.getExtension(x509.KeyUsagesExtension)!;
    expect(ku.critical).toBe(true);
    expect(ku.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.4.1.311.20.2.2']);
    expect(cert.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(false);

    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)!;
    expect(san.names.toJSON()).toEqual([{ type: 'upn', value: 'alice@example.com' }]);
    // The UPN otherName is 1.3.6.1.4.1.311.20.2.3 holding a UTF8String (Microsoft's smart-card logon requirements).
    const [name] = AsnConvert.parse(san.value, SubjectAlternativeName);
    expect(name!.otherName!.typeId).toBe('1.3.6.1.4.1.311.20.2.3');
    expect(AsnConvert.parse(name!.otherName!.value, DirectoryString).utf8String).toBe('alice@example.com');

    const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension)!;
    expect(ski.keyId).toBe((await x509.SubjectKeyIdentifierExtension.create(cert.publicKey, false, webcrypto)).keyId);
    expect(cert.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(caCert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);

    expect(cert.notAfter.getTime()).toBe(NOW.getTime() + 365 * DAY);
    expect(cert.notBefore.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(NOW.getTime() - cert.notBefore.getTime()).toBeLessThanOrEqual(5 * 60 * 1000);

    // The CA's own certificate: self-signed CA, keyCertSign + cRLSign, 10 years.
    expect(caCert.subject).toBe(caCert.issuer);
    expect(await caCert.verify({ signatureOnly: true }, webcrypto)).toBe(true);
    const bc = caCert.getExtension(x509.BasicConstraintsExtension)!;
    expect([bc.ca, bc.critical]).toEqual([true, true]);
    expect(caCert.getExtension(x509.KeyUsagesExtension)!.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(caCert.notAfter.getUTCFullYear() - NOW.getUTCFullYear()).toBe(10);

    // And it passes the checks made before writing to the key.
    const checked = await checkIssuedCertificate({
      issued,
      slotPublicKey: publicKey,
      caPin: null,
      anchor: issued.chain[0]!,
      policy: DEFAULT_POLICY,
      identity: alice,
      now: NOW,
    });
    expect(checked.notAfter).toEqual(cert.notAfter);
  });

  it('gives every certificate a random positive serial of at least 64 bits', async () => {
    const ca = new LocalCa({ upnSuffix: 'example.com', dataDir: await tempDataDir(), validityDays: 30 });
    const { csr } = await cardCsrFixture('ECCP256');
    const serials = await Promise.all([1, 2, 3].map(async () => new x509.X509Certificate((await ca.enroll(csr, alice)).certificate).serialNumber));
    expect(new Set(serials).size).toBe(3);
    for (const serial of serials) {
      const bytes = Buffer.from(serial, 'hex');
      expect(bytes.length * 8).toBeGreaterThanOrEqual(64);
      expect(bytes[0]! & 0x80).toBe(0);
      expect(bytes[0]).not.toBe(0);
    }
  });

  it.each([5, 1])('makes certificates valid for exactly %i day(s) from now (clock injected)', async (days) => {
    const ca = new LocalCa({ upnSuffix: 'example.com', dataDir: await tempDataDir(), validityDays: days, now: () => NOW });
    const { csr } = await cardCsrFixture('ECCP256');
    const cert = new x509.X509Certificate((await ca.enroll(csr, alice)).certificate);
    expect(cert.notAfter.getTime() - NOW.getTime()).toBe(days * DAY);
  });

  it('certifies an RSA 2048 key from the card as well', async () => {
    const ca = new LocalCa({ upnSuffix: 'example.com', dataDir: await tempDataDir(), validityDays: 365 });
    const { csr, publicKey } = await cardCsrFixture('RSA2048');
    const cert = new x509.X509Certificate((await ca.enroll(csr, alice)).certificate);
    expect(Buffer.from(cert.publicKey.rawData)).toEqual(publicKey.export({ format: 'der', type: 'spki' }));
  });

  it('refuses a CSR whose signature does not verify, and a non-UPN', async () => {
    const ca = new LocalCa({ upnSuffix: 'example.com', dataDir: await tempDataDir(), validityDays: 365 });
    const { csr } = await cardCsrFixture('ECCP256');
    const tampered = Uint8Array.from(csr.csrDer);
    tampered[tampered.length - 3]! ^= 0x01;
    const e = await rejection(ca.enroll({ ...csr, csrDer: tampered }, alice));
    expect(e).toBeInstanceOf(EnrollmentError);
    expect((e as EnrollmentError).code).toBe('ENROLLMENT_REJECTED');
    expect(e.message).toMatch(/signature does not verify/);
    const bad = await rejection(ca.enroll(csr, { userName: 'alice', upn: 'alice' }));
    expect((bad as EnrollmentError).code).toBe('ENROLLMENT_REJECTED');
  });
});

describe('LocalCa: revocation', () => {
  it('revokes, and the CRL (verified with the CA key) lists the serial, across instances', async () => {
    const dataDir = await tempDataDir();
    const { csr } = await cardCsrFixture('ECCP256');
    const first = new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365, now: () => NOW });
    const revokedCert = await first.enroll(csr, alice);
    const keptCert = await first.enroll(csr, alice);
    expect(await first.revoke(revokedCert.certificate, 'keyCompromise')).toBe(true);
    expect(await first.revoke(revokedCert.certificate, 'superseded')).toBe(true);

    const second = new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365, now: () => NOW });
    const crl = new x509.X509Crl(await second.crl());
    const caCert = new x509.X509Certificate((await second.caCertificates())[0]!);
    expect(await crl.verify({ publicKey: caCert }, webcrypto)).toBe(true);
    expect(crl.issuer).toBe(caCert.subject);
    const serial = new x509.X509Certificate(revokedCert.certificate).serialNumber;
    expect(crl.entries.map((e) => e.serialNumber)).toEqual([serial]);
    expect(crl.findRevoked(serial)!.reason).toBe(x509.X509CrlReason.keyCompromise);
    expect(crl.findRevoked(new x509.X509Certificate(keptCert.certificate).serialNumber)).toBeNull();
    expect(crl.thisUpdate).toEqual(NOW);
    expect(crl.nextUpdate!.getTime()).toBeGreaterThan(NOW.getTime());
    expect(crl.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(caCert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);

    // Each CRL has a higher CRL number (RFC 5280 §5.2.3).
    const number = (c: x509.X509Crl): number => AsnConvert.parse(c.getExtension(id_ce_cRLNumber)!.value, CRLNumber).value;
    const next = new x509.X509Crl(await second.crl());
    expect(number(next)).toBeGreaterThan(number(crl));
  });

  it('does not revoke a certificate it did not issue (nor its own)', async () => {
    const { csr } = await cardCsrFixture('ECCP256');
    const ours = new LocalCa({ upnSuffix: 'example.com', dataDir: await tempDataDir(), validityDays: 365 });
    const other = new LocalCa({ upnSuffix: 'example.com', dataDir: await tempDataDir(), validityDays: 365 });
    const foreign = await other.enroll(csr, alice);
    expect(await ours.revoke(foreign.certificate, 'unspecified')).toBe(false);
    expect(await ours.revoke((await ours.caCertificates())[0]!, 'unspecified')).toBe(false);
    expect(await ours.revoke(Uint8Array.from([1, 2, 3]), 'unspecified')).toBe(false);
    expect(await ours.revoked()).toEqual([]);
  });
});

describe('LocalCa: on disk', () => {
  it('creates the CA once, keeps the key readable by the user only, and reloads it in a new instance', async () => {
    const dataDir = await tempDataDir();
    const first = new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365 });
    const created = await first.checkReachable();
    expect(created.reachable).toBe(true);
    expect(created.details.join('\n')).toMatch(/Local CA "Workforce Access Local CA" at .*local-ca \(created now\)/);
    expect((await stat(join(dataDir, 'local-ca', 'ca-key.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'local-ca'))).mode & 0o777).toBe(0o700);
    expect(await readdir(dataDir)).toEqual(['local-ca']);

    const second = new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365 });
    expect((await second.checkReachable()).details[0]).toMatch(/\(existing\)/);
    expect(await second.caCertificates()).toEqual(await first.caCertificates());
  });

  it('two instances creating the CA at once end up with one CA', async () => {
    const dataDir = await tempDataDir();
    const [a, b] = await Promise.all([1, 2].map(async () => new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 1 }).caCertificates()));
    expect(a).toEqual(b);
    expect(await readdir(dataDir)).toEqual(['local-ca']);
  });

  it.each([
    ['ca-key.pem', 'not a key', /ca-key\.pem is not a readable private key/],
    ['ca-cert.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', /ca-cert\.pem is not a readable certificate/],
  ])('reports a damaged %s clearly and leaves it untouched', async (file, content, message) => {
    const dataDir = await tempDataDir();
    await new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365 }).caCertificates();
    await writeFile(join(dataDir, 'local-ca', file), content);
    const e = await rejection(new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365 }).checkReachable());
    expect(e).toBeInstanceOf(LocalCaError);
    expect((e as LocalCaError).code).toBe('LOCAL_CA_DAMAGED');
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/left untouched/);
    expect(await readFile(join(dataDir, 'local-ca', file), 'utf8')).toBe(content);
  });

  it('reports a certificate that does not belong to the key', async () => {
    const [one, two] = [await tempDataDir(), await tempDataDir()];
    await new LocalCa({ upnSuffix: 'example.com', dataDir: one, validityDays: 365 }).caCertificates();
    await new LocalCa({ upnSuffix: 'example.com', dataDir: two, validityDays: 365 }).caCertificates();
    const otherCert = await readFile(join(two, 'local-ca', 'ca-cert.pem'));
    await writeFile(join(one, 'local-ca', 'ca-cert.pem'), otherCert);
    const e = await rejection(new LocalCa({ upnSuffix: 'example.com', dataDir: one, validityDays: 365 }).enroll((await cardCsrFixture()).csr, alice));
    expect(e.message).toMatch(/ca-cert\.pem does not belong to the key in ca-key\.pem/);
    expect(await readFile(join(one, 'local-ca', 'ca-cert.pem'))).toEqual(otherCert);
  });

  it('refuses to revoke over a damaged revocation list, and leaves the file as it was', async () => {
    const dataDir = await tempDataDir();
    const ca = new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365 });
    const issued = await ca.enroll((await cardCsrFixture()).csr, alice);
    await writeFile(join(dataDir, 'local-ca', 'revoked.json'), '{"schemaVersion":1,"revoked":[');
    const e = await rejection(ca.revoke(issued.certificate, 'keyCompromise'));
    expect(e.message).toMatch(/revoked\.json is not valid JSON/);
    expect(await readFile(join(dataDir, 'local-ca', 'revoked.json'), 'utf8')).toBe('{"schemaVersion":1,"revoked":[');
  });

  it("the pin it reports is the SHA-256 of the CA certificate's SubjectPublicKeyInfo", async () => {
    const ca = new LocalCa({ upnSuffix: 'example.com', dataDir: await tempDataDir(), validityDays: 365 });
    const [der] = await ca.caCertificates();
    const spki = new x509.X509Certificate(der!).publicKey.rawData;
    const pin = `sha256:${createHash('sha256').update(Buffer.from(spki)).digest('hex')}`;
    expect((await ca.checkReachable()).details.join('\n')).toContain(pin);
  });
});
