// A resumed pairing goes on from the journal's last completed
// step and never enrolls twice; a certificate issued but never written to the
// key is revoked (local CA) or reported with its serial (a CA that cannot
// revoke); a different key in the reader is OTHER_KEY, not CARD_REMOVED.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOT } from '../../../native/piv/constants.ts';
import { generateKey } from '../../../native/piv/keys.ts';
import { readCertificate } from '../../../native/piv/objects.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import { createVirtualYubiKey } from '../../../native/virtual-yubikey/index.ts';
import { authenticateWithKnownKey } from '../../../native/yubikey/pivman.ts';
import * as x509 from '../../../native/x509.ts';
import type { EnrollmentBackend } from '../enrollment/backend.ts';
import { LocalCa } from '../enrollment/local-ca.ts';
import { DEFAULT_POLICY } from '../policy/policy-loader.ts';
import { type AppFixture, appFixture, READER_0 } from '../../app/test-support/app-fixture.ts';
import type { PairingStepName } from '../../ipc/contract.ts';
import { ASK_ADMIN_TO_REVOKE, NEVER_WRITTEN } from './unused-certificate.ts';

const SERIAL = 21000001;
const PAIR = { serial: SERIAL, temporaryPin: '123456', newPin: '583920', confirmation: '583920' };

/** The local CA, counting the certificates it issues; `canRevoke: false` stands for a SCEP CA (no revocation). */
function countingCa(dataDir: string, canRevoke = true): { backend: EnrollmentBackend; ca: LocalCa; issued: () => number } {
  const ca = new LocalCa({ dataDir, validityDays: 365, upnSuffix: DEFAULT_POLICY.identity.upnSuffix });
  let issued = 0;
  const backend: EnrollmentBackend = {
    kind: canRevoke ? 'local' : 'scep',
    checkReachable: () => ca.checkReachable(),
    caCertificates: () => ca.caCertificates(),
    enroll: async (csr, identity) => {
      issued += 1;
      return ca.enroll(csr, identity);
    },
    revoke: (der, reason) => (canRevoke ? ca.revoke(der, reason) : Promise.resolve(false)),
    existingCaCertificates: () => ca.existingCaCertificates(),
    revocationList: () => ca.revocationList(),
  };
  return { backend, ca, issued: () => issued };
}

/** Pulls the key when pairing reaches `step`; returns the failed pairing's error code. */
async function pullAt(f: AppFixture, step: PairingStepName): Promise<string | null> {
  let pulled = false;
  const stop = f.app.events.subscribe((e) => {
    if (e.name === 'pairing.progress' && e.payload.step === step && !pulled) {
      pulled = true;
      f.transport.remove(READER_0);
    }
  });
  const r = await f.call('pairing.pair', PAIR);
  stop();
  f.transport.insert(READER_0, f.card);
  return r.ok ? null : r.error.code;
}

async function onCard<T>(f: AppFixture, work: (s: PivSession) => Promise<T>): Promise<T> {
  const c = await f.transport.connect(READER_0, 'exclusive');
  try {
    return await work(await PivSession.open(c));
  } finally {
    await c.disconnect('unpower');
  }
}

const certSerialOnCard = (f: AppFixture): Promise<string | null> =>
  onCard(f, async (s) => {
    const der = await readCertificate(s, SLOT.AUTHENTICATION);
    return der === null ? null : new x509.X509Certificate(der).serialNumber.toLowerCase();
  });

async function auditLines(dataDir: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(join(dataDir, 'audit.log'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('resuming a pairing', { timeout: 90_000 }, () => {
  it('pulled while the certificate was being written: the journaled certificate is written, nothing is enrolled again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wfa-resume-'));
    const ca = countingCa(dataDir);
    const f = await appFixture({ dataDir, enrollment: ca.backend });
    expect(await pullAt(f, 'saving')).toBe('CARD_REMOVED');
    expect(ca.issued()).toBe(1);
    const next = await appFixture({ dataDir, card: f.card, enrollment: ca.backend });
    const view = await next.value('pairing.resume', { serial: SERIAL, pin: '583920' });
    expect(ca.issued()).toBe(1);
    expect(next.progress.map((p) => p.step)).toEqual(['checking-key', 'setting-pin', 'saving']);
    expect(await certSerialOnCard(next)).toBe(view.certificate?.serial);
    expect(await ca.ca.revoked()).toEqual([]);
    expect(await next.value('signin.check', { pin: '583920' })).toMatchObject({ serial: SERIAL, revocationChecked: true });
  });

  it.each(['yk5.4.3', 'yk4.3.7'] as const)(
    '%s pulled while the certificate was requested, after the key pair was made: the same key pair is certified',
    async (profile) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'wfa-resume-'));
      const ca = countingCa(dataDir);
      const f = await appFixture({ dataDir, enrollment: ca.backend, profile });
      expect(await pullAt(f, 'requesting-certificate')).toBe('CARD_REMOVED');
      const journal = JSON.parse(await readFile(join(dataDir, 'pairing.json'), 'utf8')) as {
        data?: { pending?: { completed: string; publicKey?: string } };
        pending?: { completed: string; publicKey?: string };
      };
      const pending = journal.data?.pending ?? journal.pending;
      expect(pending?.completed).toBe('creating-key');
      expect(pending?.publicKey).toMatch(/^[A-Za-z0-9+/=]+$/);
      const next = await appFixture({ dataDir, card: f.card, enrollment: ca.backend, profile });
      const view = await next.value('pairing.resume', { serial: SERIAL, pin: '583920' });
      expect(next.progress.map((p) => p.step)).toEqual(['checking-key', 'setting-pin', 'requesting-certificate', 'saving']);
      expect(ca.issued()).toBe(1);
      const der = await onCard(next, (s) => readCertificate(s, SLOT.AUTHENTICATION));
      expect(Buffer.from(new x509.X509Certificate(der!).publicKey.rawData).toString('base64')).toBe(pending?.publicKey);
      expect(view.certificate?.subject).toBe('CN=alice');
    },
  );

  it.each([
    ['the local CA revokes it', true],
    ['a CA that cannot revoke: the audit log names its serial', false],
  ] as const)('slot 9a changed since the certificate was issued: it is never written; %s, and one new certificate is issued', async (_, canRevoke) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wfa-resume-'));
    const ca = countingCa(dataDir, canRevoke);
    const f = await appFixture({ dataDir, enrollment: ca.backend });
    expect(await pullAt(f, 'saving')).toBe('CARD_REMOVED');
    const first = (await auditLines(dataDir)).find((l) => l['event'] === 'WORKSTATION_CERTIFICATE_ISSUED' && l['outcome'] === 'success')?.['certificateSerial'];
    expect(typeof first).toBe('string');
    // Another tool makes a new key in 9a meanwhile.
    await onCard(f, async (s) => {
      await s.verifyPin(secretFromText('583920'));
      await authenticateWithKnownKey(s);
      await generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'ECCP256' });
    });
    const next = await appFixture({ dataDir, card: f.card, enrollment: ca.backend });
    const view = await next.value('pairing.resume', { serial: SERIAL, pin: '583920' });
    expect(ca.issued()).toBe(2);
    expect(view.certificate?.serial).not.toBe(first);
    expect(await certSerialOnCard(next)).toBe(view.certificate?.serial);
    const retired = (await auditLines(dataDir)).filter((l) => l['event'] === 'WORKSTATION_CERTIFICATE_REVOKED');
    expect(retired).toEqual([
      expect.objectContaining({
        keySerial: SERIAL,
        certificateSerial: first,
        outcome: canRevoke ? 'success' : 'failure',
        detail: canRevoke ? NEVER_WRITTEN : ASK_ADMIN_TO_REVOKE,
      }),
    ]);
    expect((await ca.ca.revoked()).map((r) => r.serial.toLowerCase())).toEqual(canRevoke ? [first] : []);
  });

  it('an unfinished pairing removed (de-registered) after its certificate was issued: that certificate is revoked', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wfa-resume-'));
    const ca = countingCa(dataDir);
    const f = await appFixture({ dataDir, enrollment: ca.backend });
    expect(await pullAt(f, 'saving')).toBe('CARD_REMOVED');
    const next = await appFixture({ dataDir, card: f.card, enrollment: ca.backend });
    const removed = await next.value('deregistration.remove', { serial: SERIAL, confirmOtherKey: true });
    expect(removed.warnings).toEqual([]);
    expect(await ca.ca.revoked()).toHaveLength(1);
    expect((await next.value('status.get', {})).pairing).toBeNull();
  });

  it('a different key in the reader: OTHER_KEY, "this is not the key you were pairing", and nothing is written to it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wfa-resume-'));
    const f = await appFixture({ dataDir });
    expect(await pullAt(f, 'creating-key')).toBe('CARD_REMOVED');
    const other = createVirtualYubiKey({ profile: 'yk5.4.3', serial: 21000002 });
    const next = await appFixture({ dataDir, card: other });
    const r = await next.call('pairing.resume', { serial: SERIAL, pin: '583920' });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'OTHER_KEY', message: expect.stringContaining('This is not the key you were pairing') });
    expect((await next.value('status.get', {})).keys[0]).toMatchObject({ serial: 21000002, pinRetries: 3 });
    expect((await next.value('status.get', {})).pairing?.pending).toBe('setting-puk');
  });
});

describe('a certificate the CA issued but our checks refuse', { timeout: 60_000 }, () => {
  it('is never written, and the local CA revokes it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wfa-refused-'));
    const ca = countingCa(dataDir);
    // A CA that issues the certificate for someone else than the user asked for.
    const wrongUser: EnrollmentBackend = {
      ...ca.backend,
      enroll: (csr) => ca.ca.enroll(csr, { userName: 'mallory', upn: `mallory@${DEFAULT_POLICY.identity.upnSuffix}` }),
    };
    const f = await appFixture({ dataDir, enrollment: wrongUser });
    const r = await f.call('pairing.pair', PAIR);
    expect(r.ok).toBe(false);
    expect(await certSerialOnCard(f)).toBeNull();
    const revoked = await ca.ca.revoked();
    expect(revoked).toHaveLength(1);
    expect((await auditLines(dataDir)).filter((l) => l['event'] === 'WORKSTATION_CERTIFICATE_REVOKED')).toEqual([
      expect.objectContaining({ outcome: 'success', detail: NEVER_WRITTEN, certificateSerial: revoked[0]!.serial.toLowerCase() }),
    ]);
  });
});

describe('pairing a key swapped in the same reader', { timeout: 60_000 }, () => {
  it('is OTHER_KEY, not CARD_REMOVED, before any PIN try on either key', async () => {
    const f = await appFixture();
    const other = createVirtualYubiKey({ profile: 'yk5.4.3', serial: 21000002 });
    // The app found key 21000001; before it opens its session, key 21000002 takes its place.
    const device = f.app.keys.device.bind(f.app.keys);
    f.app.keys.device = async (serial) => {
      const found = await device(serial);
      f.transport.insert(READER_0, other);
      return found;
    };
    const r = await f.call('pairing.pair', PAIR);
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'OTHER_KEY',
      message: expect.stringContaining('This is not the key you were pairing: security key 21000002 is in the reader, not key 21000001'),
    });
    f.app.keys.device = device;
    expect((await f.value('status.get', {})).keys[0]).toMatchObject({ serial: 21000002, pinRetries: 3 });
    expect((await f.value('status.get', {})).pairing).toBeNull();
  });
});
