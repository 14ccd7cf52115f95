// PIN change, sign-in check and de-registration on a paired in-process key.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVirtualYubiKey } from '../../native/virtual-yubikey/index.ts';
import { LocalCa } from './enrollment/local-ca.ts';
import { appFixture, READER_1 } from '../app/test-support/app-fixture.ts';

const PAIR = { serial: 21000001, temporaryPin: '123456', newPin: '583920', confirmation: '583920' };

async function paired() {
  const f = await appFixture();
  await f.value('pairing.pair', PAIR);
  return f;
}

describe('PIN change', { timeout: 60_000 }, () => {
  it('applies the rules first, then changes the PIN; a wrong current PIN reports tries left', async () => {
    const f = await paired();
    const weak = await f.call('pin.change', { currentPin: '583920', newPin: '111111', confirmation: '111111' });
    expect(weak.ok ? null : weak.error.code).toBe('PIN_TOO_WEAK');
    const same = await f.call('pin.change', { currentPin: '583920', newPin: '583920', confirmation: '583920' });
    expect(same.ok ? null : same.error.code).toBe('PIN_SAME_AS_CURRENT');
    const wrong = await f.call('pin.change', { currentPin: '999999', newPin: '40917263', confirmation: '40917263' });
    expect(wrong.ok ? null : wrong.error).toMatchObject({ code: 'PIN_INCORRECT', retries: 2 });
    expect(await f.value('pin.change', { currentPin: '583920', newPin: '40917263', confirmation: '40917263' })).toEqual({ pinRetries: 3, warnings: [] });
    expect(await f.value('signin.check', { pin: '40917263' })).toMatchObject({ serial: 21000001 });
    const audit = await readFile(join(f.dataDir, 'audit.log'), 'utf8');
    expect(audit).toMatch(/SECURITY_KEY_PIN_CHANGED","outcome":"success"/);
    expect(audit).not.toMatch(/40917263|583920/);
  });
});

describe('sign-in check', { timeout: 60_000 }, () => {
  it('passes with the PIN; a wrong PIN reports tries; a blocked PIN is "The smart card is blocked"', async () => {
    const f = await paired();
    const good = await f.value('signin.check', { pin: '583920' });
    expect(good).toMatchObject({ serial: 21000001, certificate: { subject: 'CN=alice' }, revocationChecked: true });
    const wrong = await f.call('signin.check', { pin: '000000' });
    expect(wrong.ok ? null : wrong.error).toMatchObject({ code: 'PIN_INCORRECT', retries: 2 });
    await f.call('signin.check', { pin: '000000' });
    const last = await f.call('signin.check', { pin: '000000' });
    expect(last.ok ? null : last.error.code).toBe('LAST_PIN_TRY');
    await f.call('signin.check', { pin: '000000', lastTryConfirmed: true });
    const blocked = await f.call('signin.check', { pin: '583920' });
    // A blocked PIN is not a dead end: the next step comes with it.
    expect(blocked.ok ? null : blocked.error).toMatchObject({
      code: 'SMART_CARD_BLOCKED',
      message: expect.stringMatching(/^The smart card is blocked\..*administrator must reset.*unblock-pin.*pair the key again/) as unknown,
    });
    const status = await f.value('status.get', {});
    expect(status.problems).toEqual([
      expect.objectContaining({ code: 'SMART_CARD_BLOCKED', message: expect.stringMatching(/blocked.*pair it again/) as unknown }),
    ]);
  });

  it('a key without a certificate: "No valid certificates were found on this smart card"', async () => {
    const f = await appFixture();
    const r = await f.call('signin.check', { pin: '123456' });
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'NO_VALID_CERTIFICATE',
      message: expect.stringMatching(/^No valid certificates were found on this smart card/) as unknown,
    });
  });

  it('a revoked certificate is not valid', async () => {
    const f = await paired();
    const ca = new LocalCa({ upnSuffix: 'example.com', dataDir: f.dataDir, validityDays: 365 });
    const state = JSON.parse(await readFile(join(f.dataDir, 'pairing.json'), 'utf8')) as { data: { pairing: { certificate: { derBase64: string } } } };
    await ca.revoke(Buffer.from(state.data.pairing.certificate.derBase64, 'base64'), 'keyCompromise');
    const r = await f.call('signin.check', { pin: '583920' });
    expect(r.ok ? null : r.error.message).toMatch(/revoked/);
  });
});

describe('de-registration', { timeout: 60_000 }, () => {
  it('resets the paired key, removes the record and revokes the certificate', async () => {
    const f = await paired();
    expect(await f.value('deregistration.remove', { serial: 21000001, confirmOtherKey: false })).toEqual({ revoked: true, warnings: [] });
    const status = await f.value('status.get', {});
    expect(status.pairing).toBeNull();
    expect(status.keys[0]).toMatchObject({ managementKey: 'default', pinRetries: 3, paired: false });
    const audit = await readFile(join(f.dataDir, 'audit.log'), 'utf8');
    expect(audit).toMatch(/SECURITY_KEY_RESET/);
    expect(audit).toMatch(/WORKSTATION_CERTIFICATE_REVOKED","outcome":"success"/);
  });

  it('another key needs the user to confirm; without the key plugged in nothing is removed', async () => {
    const f = await paired();
    f.transport.insert(READER_1, createVirtualYubiKey({ profile: 'yk5.7.1', serial: 21000002 }));
    const other = await f.call('deregistration.remove', { serial: 21000002, confirmOtherKey: false });
    expect(other.ok ? null : other.error.code).toBe('OTHER_KEY');
    expect(await f.value('deregistration.remove', { serial: 21000002, confirmOtherKey: true })).toEqual({ revoked: false, warnings: [] });
    expect((await f.value('status.get', {})).pairing?.serial).toBe(21000001);
    f.transport.remove('Virtual PCD 00 00');
    const gone = await f.call('deregistration.remove', { serial: 21000001, confirmOtherKey: false });
    expect(gone.ok ? null : gone.error.code).toBe('NO_KEY');
    expect((await f.value('status.get', {})).pairing?.serial).toBe(21000001);
  });
});
