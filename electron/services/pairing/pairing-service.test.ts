import { describe, expect, it } from 'vitest';
import type { VirtualTransport } from '../../../native/virtual-yubikey/virtual-transport.ts';
import { SLOT } from '../../../native/piv/constants.ts';
import { readCertificate } from '../../../native/piv/objects.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import { managementKeyState } from '../../../native/yubikey/pivman.ts';
import * as x509 from '../../../native/x509.ts';
import type { EnrollmentBackend } from '../enrollment/backend.ts';
import { EnrollmentError } from '../enrollment/enrollment-error.ts';
import { appFixture, READER_0 } from '../../app/test-support/app-fixture.ts';
import { NativeError } from '../../../native/errors.ts';
import { createVirtualYubiKey, type VirtualCard } from '../../../native/virtual-yubikey/index.ts';
import { withTransmit } from '../../../native/virtual-yubikey/card-interface.ts';

const PAIR = { serial: 21000001, temporaryPin: '123456', newPin: '583920', confirmation: '583920' };

async function onCard<T>(transport: VirtualTransport, fn: (s: PivSession) => Promise<T>): Promise<T> {
  const c = await transport.connect(READER_0, 'exclusive');
  try {
    return await fn(await PivSession.open(c));
  } finally {
    await c.disconnect();
  }
}

// Each pairing generates keys on the card and, the first time, the local CA: seconds, not milliseconds.
describe('pairing', { timeout: 60_000 }, () => {
  it('pairs a factory key: new PIN, protected management key, random PUK, key and certificate in 9A, record saved', async () => {
    const f = await appFixture();
    const view = await f.value('pairing.pair', PAIR);
    expect(view.serial).toBe(21000001);
    expect(view.certificate?.subject).toBe('CN=alice');
    expect(f.progress.map((p) => p.step)).toEqual([
      'checking-key',
      'setting-pin',
      'securing-key',
      'setting-puk',
      'creating-key',
      'requesting-certificate',
      'saving',
    ]);
    expect(f.progress.at(-1)).toEqual({ step: 'saving', index: 7, total: 7 });

    await onCard(f.transport, async (s) => {
      await s.verifyPin(secretFromText('583920'));
      expect(await managementKeyState(s)).toBe('protected');
      expect((await s.referenceMetadata('puk')).isDefault).toBe(false);
      const der = await readCertificate(s, SLOT.AUTHENTICATION);
      expect(der).not.toBeNull();
      expect(new x509.X509Certificate(der!).serialNumber.toLowerCase()).toBe(view.certificate?.serial);
    });
    const status = await f.value('status.get', {});
    expect(status.pairing).toMatchObject({ serial: 21000001, pending: null });
    expect(status.keys[0]).toMatchObject({ serial: 21000001, paired: true, pinRetries: 3 });
    expect(status.reminder).toMatchObject({ stage: 'none', canSnooze: false });
  });

  it('checks the PIN rules before the key is touched: no PIN try is spent', async () => {
    const f = await appFixture();
    for (const [newPin, confirmation, code] of [
      ['111111', '111111', 'PIN_TOO_WEAK'],
      ['583920', '583921', 'PIN_MISMATCH'],
      ['654321', '654321', 'PIN_TOO_WEAK'],
    ] as const) {
      const r = await f.call('pairing.pair', { ...PAIR, newPin, confirmation });
      expect(r.ok ? null : r.error.code).toBe(code);
    }
    const same = await f.call('pairing.pair', { ...PAIR, temporaryPin: '583920' });
    expect(same.ok ? null : same.error.code).toBe('PIN_SAME_AS_CURRENT');
    expect(f.progress).toEqual([]);
    expect((await f.value('status.get', {})).keys[0]?.pinRetries).toBe(3);
  });

  it('tries the temporary PIN exactly once and reports the tries left', async () => {
    const f = await appFixture();
    const r = await f.call('pairing.pair', { ...PAIR, temporaryPin: '000000' });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'PIN_INCORRECT', retries: 2 });
    const status = await f.value('status.get', {});
    expect(status.keys[0]?.pinRetries).toBe(2);
    expect(status.pairing).toBeNull();
  });

  it('the last try is not spent without the user\'s word; a blocked PIN is "Too many failed attempts" before anything else happens', async () => {
    const f = await appFixture();
    for (let i = 0; i < 2; i++) await f.call('pairing.pair', { ...PAIR, temporaryPin: '000000' });
    const last = await f.call('pairing.pair', { ...PAIR, temporaryPin: '000000' });
    expect(last.ok ? null : last.error).toMatchObject({ code: 'LAST_PIN_TRY', retries: 1 });
    expect((await f.value('status.get', {})).keys[0]?.pinRetries).toBe(1);
    const spent = await f.call('pairing.pair', { ...PAIR, temporaryPin: '000000', lastTryConfirmed: true });
    expect(spent.ok ? null : spent.error.code).toBe('PIN_BLOCKED');
    const r = await f.call('pairing.pair', PAIR);
    expect(r.ok ? null : r.error.code).toBe('PIN_BLOCKED');
  });

  it('the company network must be reachable first: the key is not touched', async () => {
    const unreachable: EnrollmentBackend = {
      kind: 'scep',
      checkReachable: () => Promise.reject(new EnrollmentError('ENROLLMENT_UNREACHABLE', { reason: 'network' })),
      caCertificates: () => Promise.reject(new Error('unused')),
      enroll: () => Promise.reject(new Error('unused')),
      revoke: () => Promise.resolve(false),
    };
    const f = await appFixture({ enrollment: unreachable });
    const pre = await f.call('pairing.precheck', {});
    expect(pre.ok ? null : pre.error.code).toBe('ENROLLMENT_UNREACHABLE');
    const r = await f.call('pairing.pair', PAIR);
    expect(r.ok ? null : r.error.code).toBe('ENROLLMENT_UNREACHABLE');
    expect(f.progress).toEqual([]);
  });

  it('precheck: the key and its tries, or "isn\'t plugged in"', async () => {
    const f = await appFixture();
    expect(await f.value('pairing.precheck', {})).toMatchObject({ key: { serial: 21000001, model: 'YubiKey 5 NFC' }, pinRetries: 3 });
    f.transport.remove(READER_0);
    const r = await f.call('pairing.precheck', {});
    expect(r.ok ? null : r.error.code).toBe('NO_KEY');
  });

  it('refuses RSA on a ROCA-affected YubiKey 4 before any PIN try, and pairs it with an ECC policy', async () => {
    const rsa = await appFixture({ profile: 'yk4.3.4' });
    const r = await rsa.call('pairing.pair', PAIR);
    expect(r.ok ? null : r.error.code).toBe('ROCA_VULNERABLE');
    expect((await rsa.value('status.get', {})).keys[0]?.pinRetries).toBe(3);
    const ecc = await appFixture({ profile: 'yk4.3.4', policy: JSON.stringify({ key: { algorithm: 'ECCP256' } }) });
    expect((await ecc.value('pairing.pair', PAIR)).certificate).not.toBeNull();
  });

  it.each(['yk5.7.1', 'yk4.3.7'] as const)('pairs a %s key', async (profile) => {
    const f = await appFixture({ profile });
    const view = await f.value('pairing.pair', PAIR);
    expect(view.certificate?.subject).toBe('CN=alice');
  });

  it.each(['setting-pin', 'securing-key', 'setting-puk', 'creating-key', 'requesting-certificate', 'saving'] as const)(
    'a key pulled during "%s" is found at the next start and the pairing is finished with the new PIN',
    async (step) => {
      const f = await appFixture();
      let pulled = false;
      f.app.events.subscribe((e) => {
        if (e.name === 'pairing.progress' && e.payload.step === step && !pulled) {
          pulled = true;
          f.transport.remove(READER_0);
        }
      });
      const r = await f.call('pairing.pair', PAIR);
      expect(r.ok ? null : r.error.code).toBe('CARD_REMOVED');
      f.transport.insert(READER_0, f.card);
      // The next start: a new service stack on the same data folder.
      const next = await appFixture({ dataDir: f.dataDir, card: f.card });
      const status = await next.value('status.get', {});
      if (step === 'setting-pin') {
        // The key was pulled before its PIN changed: nothing to finish, pair again from the start.
        expect(status.pairing).toBeNull();
        expect((await next.value('pairing.pair', PAIR)).certificate).not.toBeNull();
        return;
      }
      expect(status.pairing).toMatchObject({ serial: 21000001, certificate: null });
      expect(status.pairing?.pending).not.toBeNull();
      const again = await next.call('pairing.pair', PAIR);
      expect(again.ok ? null : again.error.code).toBe('PAIRING_INTERRUPTED');
      const done = await next.value('pairing.resume', { serial: 21000001, pin: '583920' });
      expect(done.certificate?.subject).toBe('CN=alice');
      expect((await next.value('status.get', {})).pairing?.pending).toBeNull();
      expect(await next.value('signin.check', { pin: '583920' })).toMatchObject({ serial: 21000001, revocationChecked: true });
    },
  );

  it('the app gone after the key set the new PIN, before it heard so (app-killed suite): pairing again spends no try and finishes with the new PIN', async () => {
    const inner = createVirtualYubiKey({ profile: 'yk5.4.3', serial: 21000001 });
    let loseAnswer = true;
    const card: VirtualCard = withTransmit(inner, (apdu) => {
      const answer = inner.transmit(apdu);
      // CHANGE REFERENCE DATA for the PIN carried out; its answer never reaches the app.
      if (loseAnswer && apdu[1] === 0x24 && apdu[3] === 0x80) {
        loseAnswer = false;
        throw new NativeError('CARD_REMOVED', { step: 'transmit' });
      }
      return answer;
    });
    const f = await appFixture({ card });
    const r = await f.call('pairing.pair', PAIR);
    expect(r.ok ? null : r.error.code).toBe('CARD_REMOVED');
    expect((await f.value('status.get', {})).problems.map((p) => p.code)).toContain('PAIRING_INTERRUPTED');

    const again = await f.call('pairing.pair', PAIR);
    expect(again.ok ? null : again.error.code).toBe('PAIRING_INTERRUPTED');
    expect((await f.value('status.get', {})).keys[0]?.pinRetries).toBe(3);
    const done = await f.value('pairing.resume', { serial: 21000001, pin: '583920' });
    expect(done.certificate?.subject).toBe('CN=alice');
    expect(await f.value('signin.check', { pin: '583920' })).toMatchObject({ serial: 21000001 });
  });
});
