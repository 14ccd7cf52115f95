// CertRep handling that scepserver never exercises (it always answers at once
// with SUCCESS or badRequest): PENDING and CertPoll, each failInfo, an RA,
// and answers that must not be trusted. A scripted CA on 127.0.0.1 answers;
// the requester's key is on an in-process virtual YubiKey.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as x509 from '../../../../native/x509.ts';
import { EnrollmentError } from '../enrollment-error.ts';
import { cardCsr } from './card-csr-test-support.ts';
import { type Authority, type FakeCa, type FakeCaOptions, makeAuthority, pinOf, startFakeCa } from './fake-scep-ca-test-support.ts';
import { ScepBackend } from './scep-backend.ts';

const IDENTITY = { userName: 'alice', upn: 'alice@example.com' };

let ca: Authority;
let impostor: Authority;
let ra: Authority;
let running: FakeCa | undefined;

beforeAll(async () => {
  ca = await makeAuthority('CN=Fake SCEP CA');
  impostor = await makeAuthority('CN=Fake SCEP CA');
  ra = await makeAuthority('CN=Fake SCEP RA', ca, false);
}, 60_000);

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(options: Omit<FakeCaOptions, 'ca'>): Promise<FakeCa> {
  running = await startFakeCa({ ca, ...options });
  return running;
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

describe('PENDING', () => {
  it('polls with CertPoll (same transaction, fresh nonce) until the CA issues', async () => {
    const fake = await start({ steps: [{ status: 'PENDING' }, { status: 'PENDING' }, { status: 'SUCCESS' }] });
    const { csr, publicKeySpki } = await cardCsr('RSA2048');
    const issued = await new ScepBackend({ url: fake.url, allowHttp: true, caPin: pinOf(ca.certificate), timeoutMs: 5_000, pollIntervalMs: 50 }).enroll(
      csr,
      IDENTITY,
    );
    expect(Buffer.from(new x509.X509Certificate(issued.certificate).publicKey.rawData).equals(Buffer.from(publicKeySpki))).toBe(true);
    expect(fake.seen.map((r) => r.messageType)).toEqual(['19', '20', '20']);
    expect(new Set(fake.seen.map((r) => r.transactionId)).size).toBe(1);
    expect(fake.seen[0]!.transactionId).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(fake.seen.map((r) => r.senderNonce)).size).toBe(3);
  }, 30_000);

  it('is ENROLLMENT_PENDING when the CA has not decided by the timeout', async () => {
    const fake = await start({ steps: [{ status: 'PENDING' }] });
    const { csr } = await cardCsr('RSA2048');
    const started = Date.now();
    const e = await failure(
      new ScepBackend({ url: fake.url, allowHttp: true, caPin: pinOf(ca.certificate), timeoutMs: 800, pollIntervalMs: 100 }).enroll(csr, IDENTITY),
    );
    expect(e.code).toBe('ENROLLMENT_PENDING');
    expect(e.detail).toContain('alice@example.com');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(fake.seen.length).toBeGreaterThan(2);
  }, 30_000);
});

describe('FAILURE', () => {
  it.each([
    ['0', 'badAlg', /algorithms/],
    ['1', 'badMessageCheck', /signature/],
    ['2', 'badRequest', /challenge password/],
    ['3', 'badTime', /clock/],
    ['4', 'badCertId', /certificate this request refers to/],
  ])(
    "failInfo %s is ENROLLMENT_REJECTED in words, with the CA's reason in detail",
    async (failInfo, name, words) => {
      const fake = await start({ steps: [{ status: 'FAILURE', failInfo, failInfoText: 'Template denies enrollment' }] });
      const { csr } = await cardCsr('RSA2048');
      const e = await failure(new ScepBackend({ url: fake.url, allowHttp: true, caPin: pinOf(ca.certificate), timeoutMs: 5_000 }).enroll(csr, IDENTITY));
      expect(e.code).toBe('ENROLLMENT_REJECTED');
      expect(e.message).toMatch(words);
      expect(e.detail).toContain(`${name} (${failInfo})`);
      expect(e.detail).toContain('Template denies enrollment');
    },
    30_000,
  );

  it("an HTTP error from PKIOperation is ENROLLMENT_REJECTED with the service's text", async () => {
    const fake = await start({ steps: [{ status: 'HTTP', code: 500, body: 'policy module error 0x80094800' }] });
    const { csr } = await cardCsr('RSA2048');
    const e = await failure(new ScepBackend({ url: fake.url, allowHttp: true, caPin: pinOf(ca.certificate), timeoutMs: 5_000 }).enroll(csr, IDENTITY));
    expect(e.code).toBe('ENROLLMENT_REJECTED');
    expect(e.detail).toContain('HTTP 500: policy module error 0x80094800');
  }, 30_000);
});

describe('an RA', () => {
  it('GetCACert with CA and RA: the request is encrypted to the RA, the RA signs the answer, the chain ends at the pinned CA', async () => {
    const fake = await start({ ra, steps: [{ status: 'SUCCESS' }] });
    const { csr } = await cardCsr('RSA2048');
    const backend = new ScepBackend({ url: fake.url, allowHttp: true, caPin: pinOf(ca.certificate), timeoutMs: 5_000 });
    expect((await backend.checkReachable()).details.join('\n')).toContain('Requests are encrypted to: CN=Fake SCEP RA');
    const issued = await backend.enroll(csr, IDENTITY);
    expect(issued.chain.map((c) => new x509.X509Certificate(c).subject)).toEqual(['CN=Fake SCEP CA']);
    expect((await backend.caCertificates()).map((c) => new x509.X509Certificate(c).subject)).toEqual(['CN=Fake SCEP CA']);
  }, 30_000);
});

describe('answers that must not be trusted', () => {
  it("a CertRep signed by another key than the pinned CA's is CA_PIN_MISMATCH", async () => {
    const fake = await start({ signWith: impostor, steps: [{ status: 'SUCCESS' }] });
    const { csr } = await cardCsr('RSA2048');
    const e = await failure(new ScepBackend({ url: fake.url, allowHttp: true, caPin: pinOf(ca.certificate), timeoutMs: 5_000 }).enroll(csr, IDENTITY));
    expect(e.code).toBe('CA_PIN_MISMATCH');
  }, 30_000);

  it.each([
    ['signature', /signature does not verify/],
    ['recipientNonce', /nonce/],
    ['transactionId', /another transaction/],
  ] as const)(
    'a CertRep with a wrong %s is CERTIFICATE_INVALID',
    async (tamper, why) => {
      const fake = await start({ tamper, steps: [{ status: 'SUCCESS' }] });
      const { csr } = await cardCsr('RSA2048');
      const e = await failure(new ScepBackend({ url: fake.url, allowHttp: true, caPin: pinOf(ca.certificate), timeoutMs: 5_000 }).enroll(csr, IDENTITY));
      expect(e.code).toBe('CERTIFICATE_INVALID');
      expect(e.detail).toMatch(why);
    },
    30_000,
  );
});
