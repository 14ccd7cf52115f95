// secureManagementKey after a pairing stopped between the card taking the
// stored management key and the PIVMAN flag being written (found by the
// card-pulled reliability suite: every resume failed with MGMT_AUTH_FAILED).
import { describe, expect, it } from 'vitest';
import { VirtualTransport } from '../../../native/virtual-yubikey/virtual-transport.ts';
import { DEFAULT_MANAGEMENT_KEY, OBJECT_ID } from '../../../native/piv/constants.ts';
import { putObject } from '../../../native/piv/objects.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { encodeTlv } from '../../../native/piv/tlv.ts';
import { createVirtualYubiKey } from '../../../native/virtual-yubikey/index.ts';
import { identifyKey } from '../../../native/yubikey/key-info.ts';
import { authenticateManagementKey, setManagementKey } from '../../../native/yubikey/management-key.ts';
import { authenticateWithKnownKey, readProtectedManagementKey } from '../../../native/yubikey/pivman.ts';
import { secureManagementKey } from './card-steps.ts';

const READER = 'Virtual PCD 00 00';

describe('secureManagementKey', () => {
  it('a card that took the stored key before the flag was written: authenticates with the stored key and finishes the protection', async () => {
    const transport = new VirtualTransport();
    transport.insert(READER, createVirtualYubiKey({ profile: 'yk5.4.3', serial: 12345679 }));
    const stored = new Uint8Array(24).fill(0x42);
    const first = await PivSession.open(await transport.connect(READER, 'exclusive'));
    await first.verifyPin(secretFromText('123456'));
    await authenticateManagementKey(first, 'TDES', DEFAULT_MANAGEMENT_KEY.slice());
    // protectManagementKey's first two steps: the key stored (5FC109 = 88 { 89 key }), the card switched to it.
    await putObject(first, OBJECT_ID.PRINTED, encodeTlv(0x88, encodeTlv(0x89, stored)));
    await setManagementKey(first, 'TDES', stored.slice());
    await first.connection.disconnect('unpower');

    const connection = await transport.connect(READER, 'exclusive');
    const { device } = await identifyKey(connection);
    const next = await PivSession.open(connection, device.version);
    await next.verifyPin(secretFromText('123456'));
    await expect(secureManagementKey(next, device)).resolves.toBeUndefined();
    await next.connection.disconnect('unpower');

    // Protected now, with a new random key the card uses and the PIN unlocks.
    const after = await PivSession.open(await transport.connect(READER, 'exclusive'));
    await after.verifyPin(secretFromText('123456'));
    await expect(authenticateWithKnownKey(after)).resolves.toBeUndefined();
    expect(Buffer.from((await readProtectedManagementKey(after))!).equals(Buffer.from(stored))).toBe(false);
  });
});
