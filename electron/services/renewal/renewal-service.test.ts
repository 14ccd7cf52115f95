// "Renew now" on the in-process virtual key with the local CA:
// success replaces the certificate in 9A in one write and updates the record;
// every failure before the write (PIN rules, wrong key, network, a CA answer
// that fails the checks, the key pulled at any APDU) leaves the old
// certificate and the record untouched, and the user can still sign in.
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NativeError } from '../../../native/errors.ts';
import type { VirtualTransport } from '../../../native/virtual-yubikey/virtual-transport.ts';
import { SLOT } from '../../../native/piv/constants.ts';
import { readCertificate } from '../../../native/piv/objects.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { type VirtualCard, withTransmit } from '../../../native/virtual-yubikey/card-interface.ts';
import { createVirtualYubiKey, type VirtualYubiKey } from '../../../native/virtual-yubikey/index.ts';
import { loadStateFile, saveStateFile } from '../../../native/virtual-yubikey/state-file.ts';
import * as x509 from '../../../native/x509.ts';
import type { RenewalProgressEvent } from '../../ipc/contract.ts';
import type { EnrollmentBackend } from '../enrollment/backend.ts';
import { EnrollmentError } from '../enrollment/enrollment-error.ts';
import { LocalCa } from '../enrollment/local-ca.ts';
import { appFixture, type AppFixture, READER_0 } from '../../app/test-support/app-fixture.ts';
import { DAY_MS } from './reminder-schedule.ts';

const PIN = '583920';
const SERIAL = 21000001;
const PAIRED_AT = new Date('2026-06-01T09:00:00.000Z');
const POLICY = JSON.stringify({ certificate: { validityDays: 20 } });

async function slot9a(transport: VirtualTransport): Promise<string | null> {
  const c = await transport.connect(READER_0, 'exclusive');
  try {
    const der = await readCertificate(await PivSession.open(c), SLOT.AUTHENTICATION);
    return der === null ? null : new x509.X509Certificate(der).serialNumber.toLowerCase();
  } finally {
    await c.disconnect();
  }
}

interface Setup {
  readonly dataDir: string;
  readonly card: VirtualYubiKey;
  readonly clock: { now: Date };
  readonly oldSerial: string;
  readonly oldNotAfter: string;
}

/** Pairs a key with 20-day certificates, then moves the clock 15 days on (the urgent stage). */
async function paired(profile: 'yk5.4.3' | 'yk4.3.7' = 'yk5.4.3'): Promise<Setup> {
  const clock = { now: PAIRED_AT };
  const f = await appFixture({ policy: POLICY, now: () => clock.now, profile });
  const view = await f.value('pairing.pair', { serial: SERIAL, temporaryPin: '123456', newPin: PIN, confirmation: PIN });
  clock.now = new Date(PAIRED_AT.getTime() + 15 * DAY_MS);
  return { dataDir: f.dataDir, card: f.card as VirtualYubiKey, clock, oldSerial: view.certificate!.serial, oldNotAfter: view.certificate!.notAfter };
}

interface Started extends AppFixture {
  readonly renewalProgress: RenewalProgressEvent[];
}

async function start(s: Setup, options: { card?: VirtualCard; enrollment?: EnrollmentBackend; userName?: string } = {}): Promise<Started> {
  const f = await appFixture({
    policy: POLICY,
    dataDir: s.dataDir,
    card: (options.card ?? s.card) as VirtualYubiKey,
    now: () => s.clock.now,
    enrollment: options.enrollment,
    userName: options.userName,
  });
  const renewalProgress: RenewalProgressEvent[] = [];
  f.app.events.subscribe((e) => {
    if (e.name === 'renewal.progress') renewalProgress.push(e.payload);
  });
  return Object.assign(f, { renewalProgress });
}

/** The old certificate still in 9A, the record unchanged, the sign-in check passing, the reminder still there. */
async function expectUntouched(s: Setup, f: AppFixture): Promise<void> {
  expect(await slot9a(f.transport)).toBe(s.oldSerial);
  const status = await f.value('status.get', {});
  expect(status.pairing?.certificate).toMatchObject({ serial: s.oldSerial, notAfter: s.oldNotAfter });
  expect(status.reminder).toMatchObject({ stage: 'urgent', daysLeft: 5 });
  expect(await f.value('signin.check', { pin: PIN })).toMatchObject({ serial: SERIAL, certificate: { serial: s.oldSerial } });
}

function localCa(s: Setup): LocalCa {
  return new LocalCa({ dataDir: s.dataDir, validityDays: 20, upnSuffix: 'workforce.local', now: () => s.clock.now });
}

describe('renewal', { timeout: 120_000 }, () => {
  it('replaces the certificate in 9A, updates the record and the reminder, revokes the old one after, and audits old and new serials', async () => {
    const s = await paired();
    const f = await start(s);
    expect((await f.value('status.get', {})).reminder).toMatchObject({ stage: 'urgent', daysLeft: 5 });
    const view = await f.value('renewal.renew', { pin: PIN });
    expect(view).toMatchObject({ serial: SERIAL, previousSerial: s.oldSerial, warnings: [], reminder: { stage: 'notice', daysLeft: 20 } });
    expect(view.certificate.serial).not.toBe(s.oldSerial);
    expect(new Date(view.certificate.notAfter).getTime()).toBeGreaterThan(new Date(s.oldNotAfter).getTime());
    expect(f.renewalProgress.map((p) => `${p.index}/${p.total} ${p.step}`)).toEqual([
      '1/5 checking-key',
      '2/5 requesting-certificate',
      '3/5 checking-certificate',
      '4/5 writing-certificate',
      '5/5 saving',
    ]);
    expect(await slot9a(f.transport)).toBe(view.certificate.serial);
    const status = await f.value('status.get', {});
    expect(status.pairing?.certificate).toEqual(view.certificate);
    expect(await f.value('signin.check', { pin: PIN })).toMatchObject({ certificate: { serial: view.certificate.serial }, revocationChecked: true });
    expect((await localCa(s).revoked()).map((r) => `${r.serial.toLowerCase()} ${r.reason}`)).toEqual([`${s.oldSerial} superseded`]);

    const audit = (await readFile(join(s.dataDir, 'audit.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const renewalEvents = audit.slice(audit.findIndex((e) => e['detail'] === 'renewal'));
    expect(renewalEvents.map((e) => e['event'])).toEqual([
      'WORKSTATION_CERTIFICATE_REQUESTED',
      'WORKSTATION_CERTIFICATE_ISSUED',
      'WORKSTATION_ACCEPTED_NEW_CERTIFICATE',
      'WORKSTATION_CERTIFICATE_REVOKED',
    ]);
    expect(renewalEvents[2]).toMatchObject({
      outcome: 'success',
      keySerial: SERIAL,
      certificateSerial: view.certificate.serial,
      previousCertificateSerial: s.oldSerial,
    });
    expect(JSON.stringify(audit)).not.toContain(PIN);
  });

  it('a YubiKey 4 (no key metadata): the public key comes from the certificate in 9A; the reminder events follow', async () => {
    const s = await paired('yk4.3.7');
    const f = await start(s);
    const reminders: unknown[] = [];
    const due: unknown[] = [];
    f.app.events.subscribe((e) => {
      if (e.name === 'reminder.changed') reminders.push(e.payload);
      if (e.name === 'reminder.due') due.push(e.payload);
    });
    await f.app.reminders.start();
    expect(due).toEqual([{ stage: 'urgent', daysLeft: 5, missedWhileAsleep: false }]);
    expect(reminders).toEqual([expect.objectContaining({ stage: 'urgent', daysLeft: 5, canSnooze: true })]);
    const view = await f.value('renewal.renew', { pin: PIN });
    expect(view.previousSerial).toBe(s.oldSerial);
    expect(await slot9a(f.transport)).toBe(view.certificate.serial);
    expect(reminders.at(-1)).toMatchObject({ stage: 'notice', daysLeft: 20, snoozedUntil: null });
    // The new certificate's notice stage begins now: shown once.
    expect(due.at(-1)).toEqual({ stage: 'notice', daysLeft: 20, missedWhileAsleep: false });
    f.app.reminders.stop();
  });

  it('a wrong PIN costs exactly one try; a PIN the card cannot hold and a blocked PIN cost none', async () => {
    const s = await paired();
    const f = await start(s);
    const wrong = await f.call('renewal.renew', { pin: '000000' });
    expect(wrong.ok ? null : wrong.error).toMatchObject({ code: 'PIN_INCORRECT', retries: 2, message: expect.stringContaining('you can still sign in') });
    const short = await f.call('renewal.renew', { pin: '12345' });
    expect(short.ok ? null : short.error).toMatchObject({ code: 'PIN_FORMAT', field: 'currentPin', message: expect.stringContaining('this one has 5') });
    expect((await f.value('status.get', {})).keys[0]?.pinRetries).toBe(2);
    await f.call('renewal.renew', { pin: '000000' });
    await f.call('renewal.renew', { pin: '000000' });
    const blocked = await f.call('renewal.renew', { pin: PIN });
    expect(blocked.ok ? null : blocked.error.code).toBe('PIN_BLOCKED');
    expect(await slot9a(f.transport)).toBe(s.oldSerial);
  });

  it('another key: OTHER_KEY naming both serials; no key: NO_KEY', async () => {
    const s = await paired();
    const other = createVirtualYubiKey({ profile: 'yk5.4.3', serial: 21000099 });
    const f = await start(s, { card: other });
    const r = await f.call('renewal.renew', { pin: PIN });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'OTHER_KEY', detail: '21000099' });
    expect(r.ok ? '' : r.error.message).toMatch(/21000099.*21000001/);
    f.transport.remove(READER_0);
    const none = await f.call('renewal.renew', { pin: PIN });
    expect(none.ok ? null : none.error.code).toBe('NO_KEY');
  });

  it('the company network out of reach: ENROLLMENT_UNREACHABLE with the VPN sentence, the PIN untried, the old certificate kept, the reminder stays', async () => {
    const s = await paired();
    const ca = localCa(s);
    const down: EnrollmentBackend = {
      kind: 'local',
      checkReachable: () => Promise.reject(new EnrollmentError('ENROLLMENT_UNREACHABLE', { reason: 'network' })),
      caCertificates: () => ca.caCertificates(),
      enroll: (csr, id) => ca.enroll(csr, id),
      revoke: (c, reason) => ca.revoke(c, reason),
      revocationList: () => ca.revocationList(),
    };
    const f = await start(s, { enrollment: down });
    const r = await f.call('renewal.renew', { pin: PIN });
    expect(r.ok ? null : r.error.code).toBe('ENROLLMENT_UNREACHABLE');
    expect(r.ok ? '' : r.error.message).toMatch(/VPN.*you can still sign in/);
    expect(f.renewalProgress).toEqual([]);
    expect((await f.value('status.get', {})).keys[0]?.pinRetries).toBe(3);
    await expectUntouched(s, f);
  });

  it("a certificate that fails the checks (another user's UPN) is never written", async () => {
    const s = await paired();
    const ca = localCa(s);
    const wrongUser: EnrollmentBackend = {
      kind: 'local',
      checkReachable: () => ca.checkReachable(),
      caCertificates: () => ca.caCertificates(),
      enroll: (csr) => ca.enroll(csr, { userName: 'mallory', upn: 'mallory@workforce.local' }),
      revoke: (c, reason) => ca.revoke(c, reason),
      revocationList: () => ca.revocationList(),
    };
    const f = await start(s, { enrollment: wrongUser });
    const r = await f.call('renewal.renew', { pin: PIN });
    expect(r.ok ? null : r.error.code).toBe('CERTIFICATE_INVALID');
    expect(f.renewalProgress.map((p) => p.step)).not.toContain('writing-certificate');
    await expectUntouched(s, f);
    expect(await localCa(s).revoked()).toEqual([]);
  });

  it('the key pulled at each APDU: before the write the old certificate stays; never is the user left unable to sign in', async () => {
    const s = await paired();
    // Each attempt starts from the paired state: a copy of the card and of the data folder.
    const cardFile = join(await mkdtemp(join(tmpdir(), 'wfa-renew-sweep-')), 'card.json');
    saveStateFile(cardFile, s.card.state);
    const outcomes: string[] = [];
    for (let k = 1; k < 300; k++) {
      const card = createVirtualYubiKey({ state: loadStateFile(cardFile)! });
      const attempt: Setup = { ...s, card, dataDir: await mkdtemp(join(tmpdir(), 'wfa-renew-attempt-')) };
      await cp(s.dataDir, attempt.dataDir, { recursive: true });
      let count = 0;
      const reader: { transport?: VirtualTransport } = {};
      const pulling: VirtualCard = withTransmit(card, (apdu) => {
        count += 1;
        if (count === k) {
          reader.transport?.remove(READER_0);
          throw new NativeError('CARD_REMOVED', { step: 'transmit' });
        }
        return card.transmit(apdu);
      });
      const f = await start(attempt, { card: pulling });
      reader.transport = f.transport;
      const r = await f.call('renewal.renew', { pin: PIN });
      f.transport.insert(READER_0, card);
      if (r.ok) {
        outcomes.push('renewed');
        expect(await slot9a(f.transport)).toBe(r.value.certificate.serial);
        break;
      }
      outcomes.push(r.error.code);
      expect(r.error.message, `pulled at APDU ${k}`).toMatch(/can still sign in/);
      const writing = f.renewalProgress.some((p) => p.step === 'writing-certificate');
      const inSlot = await slot9a(f.transport);
      if (!writing) expect(inSlot, `pulled at APDU ${k}`).toBe(s.oldSerial);
      const status = await f.value('status.get', {});
      expect(status.pairing?.certificate?.serial, `pulled at APDU ${k}`).toBe(s.oldSerial);
      expect(await f.value('signin.check', { pin: PIN }), `pulled at APDU ${k}`).toMatchObject({ serial: SERIAL, certificate: { serial: inSlot } });
      expect(await localCa(attempt).revoked(), `pulled at APDU ${k}`).toEqual([]);
    }
    expect(outcomes.at(-1)).toBe('renewed');
    console.log(`renewal pulled at each of ${outcomes.length - 1} APDUs, then completed`);
    expect(outcomes.length).toBeGreaterThan(10);
    // Pulled while the key list is read, the key is simply not there (NO_KEY); after, CARD_REMOVED.
    expect(new Set(outcomes.slice(0, -1))).toEqual(new Set(['NO_KEY', 'CARD_REMOVED']));
  });
});
