import { execFile } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as x509 from '../../../native/x509.ts';
import { DEFAULT_POLICY, parsePolicy } from '../policy/policy-loader.ts';
import type { IssuedCertificate } from './backend.ts';
import { type CertificateCheckInput, checkCaPin, checkIssuedCertificate, spkiPin } from './certificate-checks.ts';
import { EnrollmentError } from './enrollment-error.ts';
import { OID_CLIENT_AUTH, OID_SMARTCARD_LOGON } from './oids.ts';
import { tempDataDir } from './test-support.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const alice = { userName: 'alice', upn: 'alice@example.com' };
const EC: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

const newKeys = async (): Promise<webcrypto.CryptoKeyPair> => (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;

interface Ca {
  readonly cert: x509.X509Certificate;
  readonly keys: webcrypto.CryptoKeyPair;
}

async function makeCa(name: string, issuer?: Ca, isCa = true): Promise<Ca> {
  const keys = await newKeys();
  const extensions = [
    new x509.BasicConstraintsExtension(isCa, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ];
  const common = { notBefore: new Date(NOW.getTime() - 365 * DAY), notAfter: new Date(NOW.getTime() + 365 * DAY), signingAlgorithm: SIGN, extensions };
  const cert =
    issuer === undefined
      ? await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: `CN=${name}`, keys }, webcrypto)
      : await x509.X509CertificateGenerator.create(
          { ...common, subject: `CN=${name}`, issuer: issuer.cert.subjectName, publicKey: keys.publicKey, signingKey: issuer.keys.privateKey },
          webcrypto,
        );
  return { cert, keys };
}

interface LeafOptions {
  readonly eku?: string[];
  readonly upn?: string | null;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

async function makeLeaf(issuer: Ca, publicKey: webcrypto.CryptoKey, options: LeafOptions = {}): Promise<x509.X509Certificate> {
  const upn = options.upn === undefined ? alice.upn : options.upn;
  const extensions: x509.Extension[] = [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(options.eku ?? [OID_CLIENT_AUTH, OID_SMARTCARD_LOGON]),
  ];
  if (upn !== null) extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'upn', value: upn }]));
  return x509.X509CertificateGenerator.create(
    {
      subject: 'CN=alice',
      issuer: issuer.cert.subjectName,
      notBefore: options.notBefore ?? new Date(NOW.getTime() - DAY),
      notAfter: options.notAfter ?? new Date(NOW.getTime() + 30 * DAY),
      publicKey,
      signingKey: issuer.keys.privateKey,
      signingAlgorithm: SIGN,
      extensions,
    },
    webcrypto,
  );
}

const der = (c: x509.X509Certificate): Uint8Array => new Uint8Array(c.rawData);
const spkiOf = async (key: webcrypto.CryptoKey): Promise<Uint8Array> => new Uint8Array(await webcrypto.subtle.exportKey('spki', key));

async function failure(input: CertificateCheckInput): Promise<EnrollmentError> {
  try {
    await checkIssuedCertificate(input);
  } catch (e) {
    if (e instanceof EnrollmentError) return e;
    throw e;
  }
  throw new Error('expected the check to fail');
}

async function setup(options: LeafOptions = {}): Promise<{ ca: Ca; slot: webcrypto.CryptoKeyPair; input: CertificateCheckInput }> {
  const ca = await makeCa('Example Issuing CA');
  const slot = await newKeys();
  const leaf = await makeLeaf(ca, slot.publicKey, options);
  const issued: IssuedCertificate = { certificate: der(leaf), chain: [der(ca.cert)] };
  return {
    ca,
    slot,
    input: { issued, slotPublicKey: await spkiOf(slot.publicKey), caPin: spkiPin(der(ca.cert)), policy: DEFAULT_POLICY, identity: alice, now: NOW },
  };
}

describe('checkIssuedCertificate', () => {
  it('accepts a certificate that passes every check, and returns what the pairing record keeps', async () => {
    const { input, ca } = await setup();
    const checked = await checkIssuedCertificate(input);
    expect(checked.subject).toBe('CN=alice');
    expect(checked.caPin).toBe(spkiPin(der(ca.cert)));
    expect(checked.notAfter).toEqual(new Date(NOW.getTime() + 30 * DAY));
    // The slot key may be given as a KeyObject as well.
    const asKeyObject = createPublicKey({ key: Buffer.from(input.slotPublicKey as Uint8Array), format: 'der', type: 'spki' });
    await checkIssuedCertificate({ ...input, slotPublicKey: asKeyObject });
  });

  it('refuses a certificate for another public key', async () => {
    const { input } = await setup();
    const e = await failure({ ...input, slotPublicKey: await spkiOf((await newKeys()).publicKey) });
    expect(e.code).toBe('CERTIFICATE_INVALID');
    expect(e.message).toMatch(/public key is not the one generated on the security key/);
    expect(e.message).toMatch(/Nothing was written to the security key/);
  });

  it('refuses a certificate without the EKUs the policy requires, naming them', async () => {
    const { input } = await setup({ eku: [OID_CLIENT_AUTH] });
    const e = await failure(input);
    expect(e.code).toBe('CERTIFICATE_INVALID');
    expect(e.message).toContain('extended key usage the policy requires: smartcardLogon (1.3.6.1.4.1.311.20.2.2)');
    expect(e.message).toContain('certificate.requiredEku');
    // A policy for a CA that issues client-auth certificates only (Debian's scepserver) accepts it.
    const clientAuthOnly = parsePolicy({ certificate: { requiredEku: ['clientAuth'] } });
    await checkIssuedCertificate({ ...input, policy: clientAuthOnly });
  });

  it('refuses a certificate without the UPN when the policy requires it, and one with another UPN', async () => {
    const missing = await setup({ upn: null });
    const e = await failure(missing.input);
    expect(e.code).toBe('CERTIFICATE_INVALID');
    expect(e.message).toMatch(/no user principal name \(UPN\).*requires alice@example\.com/);
    expect(e.message).toContain('certificate.requireUpn');
    await checkIssuedCertificate({ ...missing.input, policy: parsePolicy({ certificate: { requireUpn: false } }) });

    const other = await setup({ upn: 'bob@example.com' });
    expect((await failure(other.input)).message).toMatch(/user principal name is bob@example\.com, not alice@example\.com/);
    // Compared without regard to case, as Active Directory does.
    await checkIssuedCertificate({ ...(await setup({ upn: 'Alice@Example.COM' })).input });
  });

  it('refuses an expired certificate and one not yet valid, with the date', async () => {
    const expired = await setup({ notBefore: new Date(NOW.getTime() - 10 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    const e = await failure(expired.input);
    expect(e.code).toBe('CERTIFICATE_INVALID');
    expect(e.message).toMatch(/the certificate expired on 2026-05-31T00:00:00\.000Z/);
    const future = await setup({ notBefore: new Date(NOW.getTime() + DAY) });
    const f = await failure(future.input);
    expect(f.message).toMatch(/the certificate is not valid until 2026-06-02T00:00:00\.000Z.*date and time/);
  });

  it('refuses a chain that does not lead to the pinned CA (CA_PIN_MISMATCH)', async () => {
    const { input } = await setup();
    const other = await makeCa('Someone Else CA');
    const e = await failure({ ...input, caPin: spkiPin(der(other.cert)) });
    expect(e.code).toBe('CA_PIN_MISMATCH');
    expect(e.message).toContain(`enrollment.caPin is ${spkiPin(der(other.cert))}`);
    expect(e.message).toContain('Nothing was written to the security key');
    // The issuer's certificate missing from the chain, the pin's CA present: still not a path to the pin.
    const f = await failure({ ...input, issued: { ...input.issued, chain: [der(other.cert)] }, caPin: spkiPin(der(other.cert)) });
    expect(f.code).toBe('CA_PIN_MISMATCH');
    expect(f.message).toMatch(/issued by "CN=Example Issuing CA", whose certificate the service did not present/);
  });

  it('refuses a certificate whose signature does not verify', async () => {
    const { input } = await setup();
    const tampered = Uint8Array.from(input.issued.certificate);
    tampered[tampered.length - 5]! ^= 0x01;
    const e = await failure({ ...input, issued: { ...input.issued, certificate: tampered } });
    expect(e.code).toBe('CERTIFICATE_INVALID');
    expect(e.message).toMatch(/signature of "CN=alice" does not verify with the key of its issuer "CN=Example Issuing CA"/);
  });

  it('refuses a look-alike CA of the same name (its key does not sign the certificate)', async () => {
    const { input } = await setup();
    const impostor = await makeCa('Example Issuing CA');
    const e = await failure({ ...input, issued: { ...input.issued, chain: [der(impostor.cert)] }, caPin: spkiPin(der(impostor.cert)) });
    expect(e.code).toBe('CERTIFICATE_INVALID');
    expect(e.message).toMatch(/does not verify/);
  });

  it('follows an intermediate to a pinned root, and refuses an "intermediate" that is not a CA', async () => {
    const root = await makeCa('Root CA');
    const issuing = await makeCa('Issuing CA', root);
    const slot = await newKeys();
    const leaf = await makeLeaf(issuing, slot.publicKey);
    const base = { slotPublicKey: await spkiOf(slot.publicKey), caPin: spkiPin(der(root.cert)), policy: DEFAULT_POLICY, identity: alice, now: NOW };
    await checkIssuedCertificate({ ...base, issued: { certificate: der(leaf), chain: [der(issuing.cert), der(root.cert)] } });

    const notCa = await makeCa('Not A CA', root, false);
    const leaf2 = await makeLeaf(notCa, slot.publicKey);
    const e = await failure({ ...base, issued: { certificate: der(leaf2), chain: [der(notCa.cert), der(root.cert)] } });
    expect(e.code).toBe('CERTIFICATE_INVALID');
    expect(e.message).toMatch(/passes through "CN=Not A CA", which is not a certificate authority/);
  });

  it('refuses a certificate issued directly by a pinned certificate that is not a CA', async () => {
    const root = await makeCa('Root CA');
    const notCa = await makeCa('Pinned Non-CA', root, false);
    const slot = await newKeys();
    const leaf = await makeLeaf(notCa, slot.publicKey);
    const e = await failure({
      slotPublicKey: await spkiOf(slot.publicKey),
      caPin: spkiPin(der(notCa.cert)),
      policy: DEFAULT_POLICY,
      identity: alice,
      now: NOW,
      issued: { certificate: der(leaf), chain: [der(notCa.cert)] },
    });
    expect(e.code).toBe('CERTIFICATE_INVALID');
    expect(e.message).toMatch(/"CN=Pinned Non-CA", which is not a certificate authority/);
  });

  it("trusts the local CA's own certificate as the anchor when no pin is set", async () => {
    const { input, ca } = await setup();
    await checkIssuedCertificate({ ...input, caPin: null, anchor: der(ca.cert), issued: { ...input.issued, chain: [] } });
    const other = await makeCa('Example Issuing CA');
    const e = await failure({ ...input, caPin: null, anchor: der(other.cert), issued: { ...input.issued, chain: [] } });
    expect(e.code).toBe('CERTIFICATE_INVALID');
  });
});

describe('spkiPin and checkCaPin', () => {
  it('spkiPin is the SHA-256 of the SubjectPublicKeyInfo as OpenSSL extracts it', async () => {
    const ca = await makeCa('Pin CA');
    const dir = await tempDataDir();
    await writeFile(join(dir, 'ca.pem'), ca.cert.toString('pem'));
    try {
      await promisify(execFile)('openssl', ['x509', '-in', join(dir, 'ca.pem'), '-noout', '-pubkey', '-out', join(dir, 'pub.pem')]);
      await promisify(execFile)('openssl', ['pkey', '-pubin', '-in', join(dir, 'pub.pem'), '-outform', 'DER', '-out', join(dir, 'pub.der')]);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('openssl is required for this test (Debian package "openssl").');
      throw e;
    }
    const expected = `sha256:${createHash('sha256')
      .update(await readFile(join(dir, 'pub.der')))
      .digest('hex')}`;
    expect(spkiPin(der(ca.cert))).toBe(expected);
  });

  it('checkCaPin returns the pinned CA certificate, else CA_PIN_MISMATCH naming what was presented', async () => {
    const [a, b] = [await makeCa('A CA'), await makeCa('B CA')];
    expect(checkCaPin([der(b.cert), der(a.cert)], spkiPin(der(a.cert)))).toEqual(der(a.cert));
    expect(checkCaPin([der(a.cert)], spkiPin(der(a.cert)).toUpperCase().replace('SHA256', 'sha256'))).toEqual(der(a.cert));
    let error: unknown;
    try {
      checkCaPin([der(b.cert)], spkiPin(der(a.cert)));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnrollmentError);
    expect((error as EnrollmentError).code).toBe('CA_PIN_MISMATCH');
    expect((error as EnrollmentError).message).toContain(`"CN=B CA" (pin ${spkiPin(der(b.cert))})`);
    expect(() => checkCaPin([], spkiPin(der(a.cert)))).toThrow(/sent no CA certificate/);
  });

  it('rejects an RSA slot key against an EC certificate key (different algorithms)', async () => {
    const { input } = await setup();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect((await failure({ ...input, slotPublicKey: rsa })).code).toBe('CERTIFICATE_INVALID');
  });
});
