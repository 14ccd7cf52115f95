// A key held exclusively by another program (another copy of the app, gpg's
// scdaemon) is busy, not missing: found by the pcscd-and-sharing reliability
// suite (issue 13), where a second `wfa renew` said NO_KEY.
import { describe, expect, it } from 'vitest';
import { appFixture, READER_0 } from '../../app/test-support/app-fixture.ts';

describe('the paired key held by another program', { timeout: 60_000 }, () => {
  it('renewal and de-registration say READER_IN_USE, not NO_KEY; once released they work', async () => {
    const f = await appFixture({ serial: 21000051 });
    await f.value('pairing.pair', { serial: 21000051, temporaryPin: '123456', newPin: '583920', confirmation: '583920' });
    const held = await f.transport.connect(READER_0, 'exclusive');
    const renew = await f.call('renewal.renew', { pin: '583920' });
    expect(renew.ok ? null : renew.error.code).toBe('READER_IN_USE');
    const remove = await f.call('deregistration.remove', { serial: 21000051, confirmOtherKey: false });
    expect(remove.ok ? null : remove.error.code).toBe('READER_IN_USE');
    await held.disconnect();
    expect(await f.value('renewal.renew', { pin: '583920' })).toMatchObject({ serial: 21000051 });
  });
});
