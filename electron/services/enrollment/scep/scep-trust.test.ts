// Whom the SCEP client trusts, against a scripted CA on
// 127.0.0.1 that sends the certificates we choose, in the order we choose.
// Trust runs from the pinned CA through CA certificates only; the RA must be
// issued directly by the pinned or the issuing CA (and match raPin when set);
// the order of GetCACert never decides; http:// needs allowHttp; redirects
// stay on the same origin; AES and SHA-256 are used whenever offered.
import { createServer, type Server } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as x509 from '../../../../native/x509.ts';
import { EnrollmentError } from '../enrollment-error.ts';
import { cardCsr } from './card-csr-test-support.ts';
import { type Authority, type FakeCa, type FakeCaOptions, makeAuthority, pinOf, startFakeCa } from './fake-scep-ca-test-support.ts';
import { ScepBackend, type ScepBackendOptions } from './scep-backend.ts';
import { CONTENT_CIPHER, DIGEST_OID } from './scep-constants.ts';

const IDENTITY = { userName: 'alice', upn: 'alice@example.com' };

let root: Authority;
let issuing: Authority;
let ra: Authority;
let otherRa: Authority;
let raUnderRoot: Authority;
let endEntity: Authority;
let raUnderEndEntity: Authority;
let caWithoutCertSign: Authority;
let raUnderCaWithoutCertSign: Authority;
let policyCa: Authority;
let issuingBelowPolicy: Authority;
let raUnderPolicyCa: Authority;
let running: FakeCa | undefined;

const serialOf = (a: Authority): string => a.certificate.serialNumber.toLowerCase();
const certs = (...authorities: Authority[]): x509.X509Certificate[] => authorities.map((a) => a.certificate);

beforeAll(async () => {
  root = await makeAuthority('CN=Trust Root CA');
  issuing = await makeAuthority('CN=Trust Issuing CA', root);
  ra = await makeAuthority('CN=Trust RA', issuing, false);
  otherRa = await makeAuthority('CN=Trust RA 2', issuing, false);
  raUnderRoot = await makeAuthority('CN=Trust RA of the root', root, false);
  // An end-entity certificate of the company CA (digitalSignature, not a CA) that "issues" an RA.
  endEntity = await makeAuthority('CN=Some employee', root, [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)]);
  raUnderEndEntity = await makeAuthority('CN=Forged RA', endEntity, false);
  // Basic constraints CA, but key usage without keyCertSign: not allowed to issue.
  caWithoutCertSign = await makeAuthority('CN=Not a signing CA', root, [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.cRLSign, true),
  ]);
  raUnderCaWithoutCertSign = await makeAuthority('CN=RA of a CA without keyCertSign', caWithoutCertSign, false);
  policyCa = await makeAuthority('CN=Trust Policy CA', root);
  issuingBelowPolicy = await makeAuthority('CN=Trust Issuing CA 2', policyCa);
  raUnderPolicyCa = await makeAuthority('CN=RA of the policy CA', policyCa, false);
}, 120_000);

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(options: Omit<FakeCaOptions, 'ca'> & { ca?: Authority }): Promise<FakeCa> {
  running = await startFakeCa({ ca: root, ...options });
  return running;
}

function backend(fake: FakeCa, options: Partial<ScepBackendOptions> = {}): ScepBackend {
  return new ScepBackend({ url: fake.url, allowHttp: true, caPin: pinOf(root.certificate), timeoutMs: 5_000, ...options });
}

async function failure(p: Promise<unknown>): Promise<EnrollmentError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EnrollmentError) return e;
    throw e;
  }
  throw new Error('expected an EnrollmentError');
}

/** The subject checkReachable says requests are encrypted to (the pinned CA when it names none). */
async function recipientOf(fake: FakeCa, options: Partial<ScepBackendOptions> = {}): Promise<string> {
  const details = (await backend(fake, options).checkReachable()).details.join('\n');
  return /^Requests are encrypted to: (CN=[^(]+?) \(/m.exec(details)?.[1] ?? 'CN=Trust Root CA';
}

describe('the order of GetCACert never decides', () => {
  const orders: readonly (readonly string[])[] = [
    ['root', 'issuing', 'ra'],
    ['ra', 'issuing', 'root'],
    ['issuing', 'ra', 'root'],
    ['ra', 'root', 'issuing'],
  ];
  it.each(orders)(
    'sent as %s, %s, %s: the request goes to the RA, the answer is checked, the chain is issuing CA then root',
    async (...names) => {
      const byName: Record<string, Authority> = { root, issuing, ra };
      const fake = await start({ caCerts: certs(...names.map((n) => byName[n]!)), ra, issueWith: issuing, steps: [{ status: 'SUCCESS' }] });
      const { csr } = await cardCsr('RSA2048');
      const issued = await backend(fake).enroll(csr, IDENTITY);
      expect(fake.seen.map((r) => r.recipientSerial)).toEqual([serialOf(ra)]);
      expect(issued.chain.map((c) => new x509.X509Certificate(c).subject)).toEqual(['CN=Trust Issuing CA', 'CN=Trust Root CA']);
    },
    30_000,
  );
});

describe('trust extends only through CA certificates', () => {
  it('an "RA" issued by an end-entity certificate is ignored: requests go to the CA, and its answers are refused', async () => {
    const fake = await start({ caCerts: certs(raUnderEndEntity, endEntity, root), ra: raUnderEndEntity, steps: [{ status: 'SUCCESS' }] });
    expect(await recipientOf(fake)).toBe('CN=Trust Root CA');
    const { csr } = await cardCsr('RSA2048');
    const e = await failure(backend(fake).enroll(csr, IDENTITY));
    expect(e.code).toBe('CA_PIN_MISMATCH');
    expect(fake.seen.map((r) => r.recipientSerial)).toEqual([serialOf(root)]);
  }, 30_000);

  it('a CA certificate without keyCertSign passes no trust on: neither its RA nor the certificates it issues', async () => {
    const fake = await start({
      caCerts: certs(raUnderCaWithoutCertSign, caWithoutCertSign, root),
      ra: raUnderCaWithoutCertSign,
      steps: [{ status: 'SUCCESS' }],
    });
    expect(await recipientOf(fake)).toBe('CN=Trust Root CA');
    const { csr } = await cardCsr('RSA2048');
    expect((await failure(backend(fake).enroll(csr, IDENTITY))).code).toBe('CA_PIN_MISMATCH');

    await running?.stop();
    const issuedByIt = await start({ caCerts: certs(caWithoutCertSign, root), issueWith: caWithoutCertSign, steps: [{ status: 'SUCCESS' }] });
    const { csr: another } = await cardCsr('RSA2048', 'CN=bob');
    const e = await failure(backend(issuedByIt).enroll(another, IDENTITY));
    expect(e.code).toBe('CERTIFICATE_INVALID');
    expect(e.detail).toMatch(/does not chain to the pinned CA/);
  }, 60_000);

  it('a pin on a certificate that is not a CA is refused before anything is sent', async () => {
    const fake = await start({ caCerts: certs(root, issuing, ra), steps: [{ status: 'SUCCESS' }] });
    const e = await failure(backend(fake, { caPin: pinOf(ra.certificate) }).checkReachable());
    expect(e.code).toBe('CA_PIN_MISMATCH');
    expect(e.message).toMatch(/not a certificate authority/);
    expect(fake.operations).not.toContain('PKIOperation');
  });
});

describe('the RA is issued directly by the pinned or the issuing CA', () => {
  it('an RA of the pinned root is used', async () => {
    const fake = await start({ caCerts: certs(root, issuing, raUnderRoot), steps: [{ status: 'SUCCESS' }] });
    expect(await recipientOf(fake)).toBe('CN=Trust RA of the root');
  });

  it('an RA of a CA between the root and the issuing CA is not: requests go to the issuing CA, its answers are refused', async () => {
    const fake = await start({
      caCerts: certs(raUnderPolicyCa, issuingBelowPolicy, policyCa, root),
      ra: raUnderPolicyCa,
      issueWith: issuingBelowPolicy,
      steps: [{ status: 'SUCCESS' }],
    });
    expect(await recipientOf(fake)).toBe('CN=Trust Issuing CA 2');
    const { csr } = await cardCsr('RSA2048');
    expect((await failure(backend(fake).enroll(csr, IDENTITY))).code).toBe('CA_PIN_MISMATCH');
    expect(fake.seen.map((r) => r.recipientSerial)).toEqual([serialOf(issuingBelowPolicy)]);
  }, 30_000);

  it('two RAs and no raPin: refused before anything is sent, asking for raPin', async () => {
    const fake = await start({ caCerts: certs(root, issuing, ra, otherRa), steps: [{ status: 'SUCCESS' }] });
    const { csr } = await cardCsr('RSA2048');
    const e = await failure(backend(fake).enroll(csr, IDENTITY));
    expect(e.code).toBe('ENROLLMENT_REJECTED');
    expect(e.detail).toMatch(/enrollment\.raPin/);
    expect(fake.operations).not.toContain('PKIOperation');
  }, 30_000);

  it.each([
    ['first', () => certs(otherRa, ra, issuing, root)],
    ['last', () => certs(root, issuing, ra, otherRa)],
  ])(
    'raPin picks its RA (sent %s) whatever the order',
    async (_, list) => {
      const fake = await start({ caCerts: list(), ra: otherRa, issueWith: issuing, steps: [{ status: 'SUCCESS' }] });
      const { csr } = await cardCsr('RSA2048');
      await backend(fake, { raPin: pinOf(otherRa.certificate) }).enroll(csr, IDENTITY);
      expect(fake.seen.map((r) => r.recipientSerial)).toEqual([serialOf(otherRa)]);
    },
    30_000,
  );

  it('a raPin that matches no RA issued directly by the CA is CA_PIN_MISMATCH, before anything is sent', async () => {
    for (const raPin of [pinOf(otherRa.certificate), pinOf(raUnderEndEntity.certificate)]) {
      const fake = await start({ caCerts: certs(root, issuing, ra, endEntity, raUnderEndEntity), steps: [{ status: 'SUCCESS' }] });
      const e = await failure(backend(fake, { raPin }).checkReachable());
      expect(e.code).toBe('CA_PIN_MISMATCH');
      expect(e.detail).toContain(raPin);
      await running?.stop();
      running = undefined;
    }
  });
});

describe('http, redirects and capabilities', () => {
  it('an http:// URL is refused unless allowHttp is set, before any request', async () => {
    const fake = await start({ steps: [{ status: 'SUCCESS' }] });
    const e = await failure((async () => backend(fake, { allowHttp: false }).checkReachable())());
    expect(e.code).toBe('ENROLLMENT_UNREACHABLE');
    expect(e.message).toMatch(/allowHttp/);
    expect(fake.operations).toEqual([]);
  });

  it('a redirect on the same scheme, host and port is followed, POST included', async () => {
    const fake = await start({ redirectFrom: '/old', steps: [{ status: 'SUCCESS' }] });
    const { csr } = await cardCsr('RSA2048');
    await backend(fake, { url: fake.url.replace('/scep', '/old') }).enroll(csr, IDENTITY);
    expect(fake.operations).toEqual(['/old GetCACaps', 'GetCACaps', '/old GetCACert', 'GetCACert', '/old PKIOperation', 'PKIOperation']);
  }, 30_000);

  it.each([
    ['another port', (target: URL) => `http://127.0.0.1:${target.port}${target.pathname}`],
    ['another host', (target: URL) => `http://localhost:${target.port}${target.pathname}`],
    ['another scheme', (target: URL) => `https://127.0.0.1:${target.port}${target.pathname}`],
  ])('a redirect to %s is not followed', async (_, where) => {
    const fake = await start({ steps: [{ status: 'SUCCESS' }] });
    const target = new URL(fake.url);
    const redirector: Server = createServer((req, res) =>
      res.writeHead(302, { location: `${where(target)}${new URL(req.url ?? '/', 'http://x').search}` }).end(),
    );
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const port = (redirector.address() as { port: number }).port;
      const e = await failure(backend(fake, { url: `http://127.0.0.1:${port}/scep` }).checkReachable());
      expect(e.code).toBe('ENROLLMENT_UNREACHABLE');
      expect(e.detail).toMatch(/redirected to .*not followed/);
      expect(fake.operations).toEqual([]);
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
    }
  });

  it.each([
    ['DES3 listed before AES, SHA-1 before SHA-256', 'aes-128-cbc', 'DES3\nSHA-1\nAES\nSHA-256\nPOSTPKIOperation\n'],
    ['SCEPStandard in lower case', 'aes-128-cbc', 'scepstandard\n'],
    ['AES and DES3 in lower case, with CRLF', 'aes-128-cbc', 'des3\r\naes\r\nsha-256\r\n'],
    ['no AES offered', 'des-ede3-cbc', 'DES3\nSHA-256\n'],
  ] as const)(
    'capabilities with %s: the request uses %s with SHA-256',
    async (_, cipher, caps) => {
      const fake = await start({ caps, steps: [{ status: 'SUCCESS' }] });
      const { csr } = await cardCsr('RSA2048');
      await backend(fake).enroll(csr, IDENTITY);
      expect(fake.seen.map((r) => [r.cipherOid, r.digestOid])).toEqual([[CONTENT_CIPHER[cipher].oid, DIGEST_OID['SHA-256']]]);
    },
    30_000,
  );

  it('capabilities without SHA-256 are refused, nothing sent', async () => {
    const fake = await start({ caps: 'AES\nSHA-1\nPOSTPKIOperation\n', steps: [{ status: 'SUCCESS' }] });
    const { csr } = await cardCsr('RSA2048');
    expect((await failure(backend(fake).enroll(csr, IDENTITY))).code).toBe('ENROLLMENT_REJECTED');
    expect(fake.operations).not.toContain('PKIOperation');
  }, 30_000);
});
