import { describe, expect, it } from 'vitest';
import * as x509 from '../../../native/x509.ts';
import { DEFAULT_POLICY, parsePolicy, PolicyError } from '../policy/policy-loader.ts';
import { createEnrollmentBackend } from './create-backend.ts';
import { LocalCa } from './local-ca.ts';
import { ScepBackend } from './scep/scep-backend.ts';
import { cardCsrFixture, tempDataDir } from './test-support.ts';

describe('createEnrollmentBackend', () => {
  it("gives the local CA by default, with the policy's validity and the injected clock", async () => {
    const now = new Date('2027-01-01T00:00:00Z');
    const policy = parsePolicy({ certificate: { validityDays: 5 }, identity: { upnSuffix: 'example.com' } });
    const backend = createEnrollmentBackend(policy, { dataDir: await tempDataDir(), now: () => now });
    expect(backend).toBeInstanceOf(LocalCa);
    expect(backend.kind).toBe('local');
    const issued = await backend.enroll((await cardCsrFixture()).csr, { userName: 'alice', upn: 'alice@example.com' });
    expect(new x509.X509Certificate(issued.certificate).notAfter.getTime() - now.getTime()).toBe(5 * 86_400_000);
  });

  it('gives the SCEP client for a SCEP policy', async () => {
    const policy = parsePolicy({ enrollment: { backend: 'scep', scepUrl: 'https://127.0.0.1:9/scep', caPin: `sha256:${'0'.repeat(64)}` } });
    const backend = createEnrollmentBackend(policy, { dataDir: await tempDataDir() });
    expect(backend).toBeInstanceOf(ScepBackend);
    expect(backend.kind).toBe('scep');
  });

  it('refuses a hand-made SCEP policy without URL or pin, naming the fields', async () => {
    const policy = { ...DEFAULT_POLICY, enrollment: { ...DEFAULT_POLICY.enrollment, backend: 'scep' as const } };
    expect(() => createEnrollmentBackend(policy, { dataDir: '/unused' })).toThrow(PolicyError);
    expect(() => createEnrollmentBackend(policy, { dataDir: '/unused' })).toThrow(/enrollment\.scepUrl.*\n.*enrollment\.caPin/);
  });
});
