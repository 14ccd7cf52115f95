// The PIN change keeps its word when the key goes away during or right after
// the change: found by the card-pulled and app-killed reliability suites
// (npm run reliability): the key pulled at the APDU after CHANGE REFERENCE DATA, and the
// app killed once the key had carried it out.
import { describe, expect, it } from 'vitest';
import { NativeError } from '../../../native/errors.ts';
import { createVirtualYubiKey } from '../../../native/virtual-yubikey/index.ts';
import { type VirtualCard, withTransmit } from '../../../native/virtual-yubikey/card-interface.ts';
import { appFixture, READER_0 } from '../../app/test-support/app-fixture.ts';

/** CHANGE REFERENCE DATA for the PIN (SP 800-73-4: INS 24, P2 80). */
const isPinChange = (apdu: Uint8Array): boolean => apdu[1] === 0x24 && apdu[3] === 0x80;

describe('PIN change with the key pulled right after the change', { timeout: 60_000 }, () => {
  it('reports the PIN changed (tries unknown), so the user never retries with the old PIN; the new PIN signs in', async () => {
    const inner = createVirtualYubiKey({ profile: 'yk5.4.3', serial: 21000041 });
    let pullAfterChange = false;
    let pull = (): void => undefined;
    const card: VirtualCard = withTransmit(inner, (apdu) => {
      const answer = inner.transmit(apdu);
      // The change is carried out and answered; the key is gone before the next command.
      if (pullAfterChange && isPinChange(apdu)) pull();
      return answer;
    });
    const f = await appFixture({ card, serial: 21000041 });
    pull = () => f.transport.remove(READER_0);
    await f.value('pairing.pair', { serial: 21000041, temporaryPin: '123456', newPin: '583920', confirmation: '583920' });
    pullAfterChange = true;

    const changed = await f.call('pin.change', { currentPin: '583920', newPin: '40917263', confirmation: '40917263' });
    expect(changed).toEqual({ ok: true, value: { pinRetries: null, warnings: [] } });

    pullAfterChange = false;
    f.transport.insert(READER_0, card);
    expect(await f.value('signin.check', { pin: '40917263' })).toMatchObject({ serial: 21000041 });
  });
});

/** A paired key whose answer to the next PIN change is lost (carried out, then gone), as when the app dies waiting for it. */
async function pairedKeyLosingTheChangeAnswer(serial: number) {
  const inner = createVirtualYubiKey({ profile: 'yk5.4.3', serial });
  let loseAnswer = false;
  const card: VirtualCard = withTransmit(inner, (apdu) => {
    const answer = inner.transmit(apdu);
    if (loseAnswer && isPinChange(apdu)) {
      loseAnswer = false;
      throw new NativeError('CARD_REMOVED', { step: 'transmit' });
    }
    return answer;
  });
  const f = await appFixture({ card, serial });
  await f.value('pairing.pair', { serial, temporaryPin: '123456', newPin: '583920', confirmation: '583920' });
  loseAnswer = true;
  return f;
}

describe('a PIN change whose outcome never arrived', { timeout: 60_000 }, () => {
  it('status says the PIN is the old or the new one until a sign-in check passes', async () => {
    const f = await pairedKeyLosingTheChangeAnswer(21000042);
    const changed = await f.call('pin.change', { currentPin: '583920', newPin: '40917263', confirmation: '40917263' });
    expect(changed.ok ? null : changed.error.code).toBe('CARD_REMOVED');
    const problems = (await f.value('status.get', {})).problems;
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: 'PIN_CHANGE_INTERRUPTED',
        detail: '21000042',
        message: expect.stringMatching(/either your old PIN or the new one/) as unknown,
      }),
    );

    expect(await f.value('signin.check', { pin: '40917263' })).toMatchObject({ serial: 21000042 });
    expect((await f.value('status.get', {})).problems.map((p) => p.code)).not.toContain('PIN_CHANGE_INTERRUPTED');
  });

  it('a change the key refused (wrong current PIN) leaves nothing to explain', async () => {
    const f = await paired21000043();
    const wrong = await f.call('pin.change', { currentPin: '999999', newPin: '40917263', confirmation: '40917263' });
    expect(wrong.ok ? null : wrong.error).toMatchObject({ code: 'PIN_INCORRECT', retries: 2 });
    expect((await f.value('status.get', {})).problems).toEqual([]);
  });
});

async function paired21000043() {
  const f = await appFixture({ serial: 21000043, card: createVirtualYubiKey({ profile: 'yk5.4.3', serial: 21000043 }) });
  await f.value('pairing.pair', { serial: 21000043, temporaryPin: '123456', newPin: '583920', confirmation: '583920' });
  return f;
}
