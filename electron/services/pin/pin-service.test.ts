// The PIN change keeps its word when the key goes away right after the change:
// found by the card-pulled reliability suite (issue 13), key pulled at the APDU
// after CHANGE REFERENCE DATA.
import { describe, expect, it } from 'vitest';
import { createVirtualYubiKey } from '../../../native/virtual-yubikey/index.ts';
import type { VirtualCard } from '../../../native/virtual-yubikey/card-interface.ts';
import { appFixture, READER_0 } from '../test-support/app-fixture.ts';

/** CHANGE REFERENCE DATA for the PIN (SP 800-73-4: INS 24, P2 80). */
const isPinChange = (apdu: Uint8Array): boolean => apdu[1] === 0x24 && apdu[3] === 0x80;

describe('PIN change with the key pulled right after the change', { timeout: 60_000 }, () => {
  it('reports the PIN changed (tries unknown), so the user never retries with the old PIN; the new PIN signs in', async () => {
    const inner = createVirtualYubiKey({ profile: 'yk5.4.3', serial: 21000041 });
    let pullAfterChange = false;
    let pull = (): void => undefined;
    const card: VirtualCard = {
      atr: inner.atr,
      powerOn: () => inner.powerOn(),
      powerOff: () => inner.powerOff(),
      reset: () => inner.reset(),
      transmit(apdu) {
        const answer = inner.transmit(apdu);
        // The change is carried out and answered; the key is gone before the next command.
        if (pullAfterChange && isPinChange(apdu)) pull();
        return answer;
      },
    };
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
