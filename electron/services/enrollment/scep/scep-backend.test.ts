// ScepBackend against Debian's scepserver (micromdm/scep 2.1.0), started
// here on a free loopback port with a fresh CA depot, with keys generated on
// an in-process virtual YubiKey.
import { SignedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as x509 from '../../../../native/x509.ts';
import { EnrollmentError } from '../enrollment-error.ts';
import { cardCsr } from './card-csr-test-support.ts';
import { describeRequest } from './fake-scep-ca-test-support.ts';
import { ScepBackend, type ScepBackendOptions } from './scep-backend.ts';
import { unwrapContentInfo } from './scep-cms.ts';
import { CMS, CONTENT_CIPHER, DIGEST_OID } from './scep-constants.ts';
import { freePort, type RunningScepServer, startScepServer } from './scepserver-test-support.ts';

const CHALLENGE = 'wfa-scep-test-challenge';
const IDENTITY = { userName: 'alice', upn: 'alice@example.com' };

let server: RunningScepServer;

beforeAll(async () => {
  server = await startScepServer({ challenge: CHALLENGE });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

interface Recorded {
  readonly method: string;
  readonly operation: string | null;
  /** A POSTed PKIOperation: the envelope's cipher and the signature's digest (OIDs). */
  readonly sent?: { readonly cipherOid: string; readonly digestOid: string };
}

/** fetch that records each request's method and SCEP operation, and may rewrite the GetCACaps answer. */
function recordingFetch(log: Recorded[], caps?: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const operation = url.searchParams.get('operation');
    const body = init?.body instanceof Uint8Array ? init.body : undefined;
    const sent = body === undefined ? undefined : describeRequest(AsnConvert.parse(unwrapContentInfo(body, CMS.signedData), SignedData));
    log.push({ method: init?.method ?? 'GET', operation, ...(sent === undefined ? {} : { sent: { cipherOid: sent.cipherOid, digestOid: sent.digestOid } }) });
    if (operation === 'GetCACaps' && caps !== undefined) return new Response(caps, { status: 200, headers: { 'content-type': 'text/plain' } });
    return fetch(input, init);
  };
}

function backend(options: Partial<ScepBackendOptions> = {}): ScepBackend {
  return new ScepBackend({ url: server.url, caPin: server.caPin, allowHttp: true, challenge: CHALLENGE, timeoutMs: 10_000, ...options });
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

describe('ScepBackend against scepserver', () => {
  it("enrolls an RSA 2048 key made on the card: the certificate verifies against the server's CA and holds the card's key", async () => {
    const { csr, publicKeySpki } = await cardCsr('RSA2048');
    const before = (await server.issued()).length;
    const issued = await backend().enroll(csr, IDENTITY);
    const certificate = new x509.X509Certificate(issued.certificate);
    const ca = new x509.X509Certificate(server.caDer);
    expect(await certificate.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
    expect(certificate.issuer).toBe(ca.subject);
    expect(Buffer.from(certificate.publicKey.rawData).equals(Buffer.from(publicKeySpki))).toBe(true);
    expect(certificate.subject).toBe('CN=alice');
    // scepserver issues client-auth certificates without a UPN.
    expect(certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.clientAuth]);
    expect(issued.chain.map((c) => Buffer.from(c).toString('hex'))).toEqual([Buffer.from(server.caDer).toString('hex')]);
    expect((await server.issued()).length).toBe(before + 1);
  }, 60_000);

  it('uses GET for PKIOperation when the service does not offer POST, and triple DES when it does not offer AES', async () => {
    const { csr, publicKeySpki } = await cardCsr('RSA2048', 'CN=bob');
    const log: Recorded[] = [];
    const issued = await backend({ fetch: recordingFetch(log, 'DES3\nSHA-256\n') }).enroll(csr, IDENTITY);
    expect(Buffer.from(new x509.X509Certificate(issued.certificate).publicKey.rawData).equals(Buffer.from(publicKeySpki))).toBe(true);
    expect(log.filter((r) => r.operation === 'PKIOperation').map((r) => r.method)).toEqual(['GET']);
  }, 60_000);

  it('sends AES and SHA-256 whenever the capabilities offer them, whatever they list first', async () => {
    const { csr } = await cardCsr('RSA2048', 'CN=frank');
    const log: Recorded[] = [];
    await backend({ fetch: recordingFetch(log, 'DES3\nSHA-1\nAES\nSHA-256\nPOSTPKIOperation\n') }).enroll(csr, IDENTITY);
    expect(log.filter((r) => r.operation === 'PKIOperation').map((r) => r.sent)).toEqual([
      { cipherOid: CONTENT_CIPHER['aes-128-cbc'].oid, digestOid: DIGEST_OID['SHA-256'] },
    ]);
  }, 60_000);

  it('refuses its plain http:// address unless allowHttp is set: nothing is sent, nothing issued', async () => {
    const { csr } = await cardCsr('RSA2048', 'CN=grace');
    const before = (await server.issued()).length;
    const log: Recorded[] = [];
    const e = await failure((async () => backend({ allowHttp: false, fetch: recordingFetch(log) }).enroll(csr, IDENTITY))());
    expect(e.code).toBe('ENROLLMENT_UNREACHABLE');
    expect(e.message).toMatch(/"allowHttp": true/);
    expect(log).toEqual([]);
    expect((await server.issued()).length).toBe(before);
  }, 60_000);

  it('does not follow a redirect to it from another address', async () => {
    const redirector = createHttpServer((req, res) => res.writeHead(302, { location: `${server.url}${new URL(req.url ?? '/', 'http://x').search}` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const port = (redirector.address() as { port: number }).port;
      const e = await failure(backend({ url: `http://127.0.0.1:${port}/scep` }).checkReachable());
      expect(e.code).toBe('ENROLLMENT_UNREACHABLE');
      expect(e.detail).toContain(`redirected to ${new URL(server.url).origin}`);
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
    }
  });

  it("a wrong challenge password is ENROLLMENT_REJECTED with the CA's failInfo, and nothing is issued", async () => {
    const { csr } = await cardCsr('RSA2048', 'CN=mallory');
    const before = (await server.issued()).length;
    const e = await failure(backend({ challenge: 'not-the-challenge' }).enroll(csr, IDENTITY));
    expect(e.code).toBe('ENROLLMENT_REJECTED');
    expect(e.message).toMatch(/challenge password/);
    expect(e.detail).toMatch(/badRequest \(2\)/);
    expect(e.detail).not.toContain('not-the-challenge');
    expect((await server.issued()).length).toBe(before);
  }, 60_000);

  it('a CA that does not match the pin is CA_PIN_MISMATCH before any PKIOperation, and nothing is issued', async () => {
    const { csr } = await cardCsr('RSA2048', 'CN=carol');
    const before = (await server.issued()).length;
    const log: Recorded[] = [];
    const wrongPin = `sha256:${'00'.repeat(32)}`;
    const e = await failure(backend({ caPin: wrongPin, fetch: recordingFetch(log) }).enroll(csr, IDENTITY));
    expect(e.code).toBe('CA_PIN_MISMATCH');
    expect(e.detail).toContain(server.caPin);
    expect(log.map((r) => r.operation)).not.toContain('PKIOperation');
    expect((await server.issued()).length).toBe(before);
    expect((await failure(backend({ caPin: wrongPin }).checkReachable())).code).toBe('CA_PIN_MISMATCH');
    expect((await failure(backend({ caPin: wrongPin }).caCertificates())).code).toBe('CA_PIN_MISMATCH');
  }, 60_000);

  it('refuses an ECC key before sending anything (SCEP returns the certificate by RSA key transport)', async () => {
    const { csr } = await cardCsr('ECCP256', 'CN=dave');
    const log: Recorded[] = [];
    const e = await failure(backend({ fetch: recordingFetch(log) }).enroll(csr, IDENTITY));
    expect(e.code).toBe('ENROLLMENT_REJECTED');
    expect(e.message).toMatch(/RSA2048/);
    expect(log).toEqual([]);
  }, 60_000);

  it('checkReachable reports the URL, the capabilities, the CA and that the pin matches; caCertificates returns the pinned CA', async () => {
    const report = await backend().checkReachable();
    expect(report.reachable).toBe(true);
    expect(report.details.join('\n')).toContain(server.url);
    expect(report.details.join('\n')).toMatch(/SCEPStandard/);
    expect(report.details.join('\n')).toContain('O=WFA Test');
    expect(report.details.join('\n')).toContain(`matches the policy (${server.caPin})`);
    const cas = await backend().caCertificates();
    expect(cas.map((c) => Buffer.from(c).toString('hex'))).toEqual([Buffer.from(server.caDer).toString('hex')]);
  });

  it('revoke is not offered by SCEP', async () => {
    expect(await backend().revoke()).toBe(false);
  });
});

describe('ScepBackend when the service cannot be reached', () => {
  it('connection refused is ENROLLMENT_UNREACHABLE (the company network / VPN message), at once', async () => {
    const port = await freePort();
    const started = Date.now();
    const e = await failure(new ScepBackend({ url: `http://127.0.0.1:${port}/scep`, caPin: server.caPin, allowHttp: true, timeoutMs: 5_000 }).checkReachable());
    expect(e.code).toBe('ENROLLMENT_UNREACHABLE');
    expect(e.message).toMatch(/company network or VPN/);
    expect(e.detail).toMatch(/refused/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a server that accepts the connection but never answers is ENROLLMENT_UNREACHABLE within the timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const { csr } = await cardCsr('RSA2048', 'CN=erin');
      const started = Date.now();
      const e = await failure(
        new ScepBackend({ url: `http://127.0.0.1:${port}/scep`, caPin: server.caPin, allowHttp: true, timeoutMs: 700 }).enroll(csr, IDENTITY),
      );
      const elapsed = Date.now() - started;
      expect(e.code).toBe('ENROLLMENT_UNREACHABLE');
      expect(e.detail).toMatch(/no answer within 0.7 s/);
      expect(elapsed).toBeGreaterThanOrEqual(650);
      expect(elapsed).toBeLessThan(3_000);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 30_000);
});
