// authenticateWithKnownKey after an interrupted protectManagementKey: found by
// the card-pulled reliability suite: the key pulled after the new
// management key was stored but before the card switched to it left a
// pairing that could never be finished (MGMT_AUTH_FAILED on every resume).
import { describe, expect, it } from 'vitest';
import { VirtualTransport } from '../virtual-yubikey/virtual-transport.ts';
import { DEFAULT_MANAGEMENT_KEY, OBJECT_ID } from '../piv/constants.ts';
import { putObject } from '../piv/objects.ts';
import { secretFromText } from '../piv/secrets.ts';
import { PivSession } from '../piv/session.ts';
import { encodeTlv } from '../piv/tlv.ts';
import { createVirtualYubiKey } from '../virtual-yubikey/index.ts';
import { authenticateManagementKey } from './management-key.ts';
import { authenticateWithKnownKey, protectManagementKey } from './pivman.ts';

const READER = 'Virtual PCD 00 00';

async function session(transport: VirtualTransport): Promise<PivSession> {
  const s = await PivSession.open(await transport.connect(READER, 'exclusive'));
  await s.verifyPin(secretFromText('123456'));
  return s;
}

describe('authenticateWithKnownKey', () => {
  it('a key stored PIN-protected that the card never switched to: authenticates with the default the card still has', async () => {
    const transport = new VirtualTransport();
    transport.insert(READER, createVirtualYubiKey({ profile: 'yk5.4.3', serial: 12345678 }));
    const first = await session(transport);
    await authenticateManagementKey(first, 'TDES', DEFAULT_MANAGEMENT_KEY.slice());
    // protectManagementKey's first step only: 5FC109 = 88 { 89 key }.
    await putObject(first, OBJECT_ID.PRINTED, encodeTlv(0x88, encodeTlv(0x89, new Uint8Array(24).fill(0x42))));
    await first.connection.disconnect('unpower');

    const next = await session(transport);
    await expect(authenticateWithKnownKey(next)).resolves.toBeUndefined();
    // And the protection can now be finished.
    await protectManagementKey(next);
    await next.connection.disconnect('unpower');
    await expect(authenticateWithKnownKey(await session(transport))).resolves.toBeUndefined();
  });
});
