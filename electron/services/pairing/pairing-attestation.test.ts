// Attestation in pairing: after 9A is made the key's attestation is read (ATTEST,
// F9) and verified against Yubico's roots plus the policy's extraRoots; the
// virtual card's own root is trusted only when the policy adds it.
import { X509Certificate as NodeCertificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PivSession } from '../../../native/piv/session.ts';
import { attestationRootDer } from '../../../native/virtual-yubikey/piv/attestation.ts';
import { createVirtualYubiKey, type ProfileName, type VirtualYubiKey } from '../../../native/virtual-yubikey/index.ts';
import type { EnrollmentBackend } from '../enrollment/backend.ts';
import { readIssuedRecord } from '../enrollment/local-ca-issued.ts';
import { appFixture, READER_0 } from '../../app/test-support/app-fixture.ts';
import { attestSlotKey } from './attestation-step.ts';

const PAIR = { temporaryPin: '123456', newPin: '583920', confirmation: '583920' };

const rootPemOf = (card: VirtualYubiKey): string => new NodeCertificate(attestationRootDer(card.state)!).toString();
const policy = (attestation: { require?: boolean; extraRoots?: string[] }): string => JSON.stringify({ attestation });

async function auditEvents(dataDir: string): Promise<{ event: string; outcome: string; detail?: string }[]> {
  const text = await readFile(join(dataDir, 'audit.log'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; outcome: string; detail?: string });
}

/** A backend that counts what pairing asks of it; enroll must never be reached. */
function watchedBackend(): { backend: EnrollmentBackend; calls: string[] } {
  const calls: string[] = [];
  const backend: EnrollmentBackend = {
    kind: 'local',
    checkReachable: () => {
      calls.push('checkReachable');
      return Promise.resolve({ reachable: true, details: [] });
    },
    caCertificates: () => {
      calls.push('caCertificates');
      return Promise.resolve([]);
    },
    enroll: () => {
      calls.push('enroll');
      return Promise.reject(new Error('enroll must not be called'));
    },
    revoke: () => Promise.resolve(false),
  };
  return { backend, calls };
}

// Each card makes two RSA keys (its root and F9) and pairing a third key: seconds on a busy machine.
describe('attestation in pairing', { timeout: 120_000 }, () => {
  it('require: true refuses a key whose attestation does not reach a trusted root, before any certificate request', async () => {
    const { backend, calls } = watchedBackend();
    const f = await appFixture({ serial: 23000001, policy: policy({ require: true }), enrollment: backend });
    const r = await f.call('pairing.pair', { ...PAIR, serial: 23000001 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('ATTESTATION_FAILED');
    expect(r.error.detail).toMatch(/^untrusted-root: /);
    expect(r.error.message).toContain('No certificate was requested');
    expect(calls).not.toContain('enroll');
    expect(f.progress.map((p) => p.step)).not.toContain('requesting-certificate');
    const events = await auditEvents(f.dataDir);
    expect(events.find((e) => e.event === 'SECURITY_KEY_ATTESTED')).toMatchObject({ outcome: 'failure', detail: 'untrusted-root' });
    expect(events.map((e) => e.event)).not.toContain('WORKSTATION_CERTIFICATE_REQUESTED');
    expect((await f.value('status.get', {})).pairing?.certificate ?? null).toBeNull();
  });

  it.each([
    ['yk5.4.3', '5.4.3', 'USB-A keychain'],
    ['yk5.7.1', '5.7.1', 'USB-A keychain'],
    ['yk4.3.7', '4.3.7', null],
  ] as const)(
    "%s with its root in extraRoots: verified, recorded with the pairing and the local CA's issued certificate",
    async (profile: ProfileName, firmware, formFactor) => {
      const card = createVirtualYubiKey({ profile, serial: 23000002 });
      const f = await appFixture({ card, policy: policy({ require: true, extraRoots: [rootPemOf(card)] }) });
      const view = await f.value('pairing.pair', { ...PAIR, serial: 23000002 });
      expect(view.attestation).toBe('verified');
      expect(view.attestationDetail).toEqual({ status: 'verified', firmware, formFactor, reason: null, detail: null });
      const issued = await readIssuedRecord(join(f.dataDir, 'local-ca'), view.certificate!.serial);
      expect(issued.attestation).toMatchObject({ status: 'verified', firmware, serial: 23000002 });
      expect((await auditEvents(f.dataDir)).find((e) => e.event === 'SECURITY_KEY_ATTESTED')).toMatchObject({ outcome: 'success', detail: 'verified' });
    },
  );

  it("require: false with another card's root trusted: failed is recorded and shown, pairing goes on", async () => {
    const other = createVirtualYubiKey({ profile: 'yk5.4.3', serial: 23000009 });
    const f = await appFixture({ serial: 23000003, policy: policy({ extraRoots: [rootPemOf(other)] }) });
    const view = await f.value('pairing.pair', { ...PAIR, serial: 23000003 });
    expect(view.certificate).not.toBeNull();
    expect(view.attestation).toBe('failed');
    expect(view.attestationDetail).toMatchObject({ status: 'failed', reason: 'untrusted-root', firmware: '5.4.3' });
    expect((await f.value('status.get', {})).pairing?.attestation).toBe('failed');
    await f.app.close();
  });

  it('firmware before 4.3 has no attestation: "unsupported", and no read is sent for it', async () => {
    const f = await appFixture({ serial: 23000005 });
    const connection = await f.transport.connect(READER_0, 'exclusive');
    try {
      const session = await PivSession.open(connection, { major: 4, minor: 2, patch: 6 });
      const { publicKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('ec', { namedCurve: 'P-256' }));
      let sent = 0;
      const send = session.send.bind(session);
      session.send = (...args: Parameters<typeof send>) => {
        sent++;
        return send(...args);
      };
      const outcome = await attestSlotKey(session, 23000005, publicKey, () => ({ roots: [], intermediates: [] }), new Date());
      expect(outcome.record).toMatchObject({ status: 'unsupported', detail: 'firmware 4.2.6 has no attestation (it came with YubiKey 4.3)' });
      expect(sent).toBe(0);
    } finally {
      await connection.disconnect();
    }
  });
});
