import { describe, expect, it } from 'vitest';
import { NativeError } from '../errors.ts';
import { VirtualTransport } from '../virtual-yubikey/virtual-transport.ts';
import { DEFAULT_MANAGEMENT_KEY } from '../piv/constants.ts';
import { secretFromText } from '../piv/secrets.ts';
import { PivSession } from '../piv/session.ts';
import { createVirtualYubiKey } from '../virtual-yubikey/index.ts';
import { withKey } from './key-access.ts';
import { authenticateManagementKey } from './management-key.ts';

const READER = 'Virtual PCD 00 00';
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const SELECT_PIV = hex('00a4040005a000000308');
const PIN_STATUS = hex('00200080');
/** PUT DATA of an empty retired-certificate object (5FC10D): needs the management key. */
const WRITE_WITH_MANAGEMENT_KEY = hex('00db3fff075c035fc10d5300');

function plugIn(): VirtualTransport {
  const transport = new VirtualTransport();
  transport.insert(READER, createVirtualYubiKey({ profile: 'yk5.4.3', serial: 12345678 }));
  return transport;
}

/** What the next program sees, connecting without resetting the card: the PIN status and a write that needs the management key. */
async function seenNext(transport: VirtualTransport): Promise<{ pinStatus: string; write: string }> {
  const c = await transport.connect(READER, 'shared');
  const sw = async (apdu: Uint8Array): Promise<string> => Buffer.from((await c.transmit(apdu)).subarray(-2)).toString('hex');
  try {
    expect(await sw(SELECT_PIV)).toBe('9000');
    return { pinStatus: await sw(PIN_STATUS), write: await sw(WRITE_WITH_MANAGEMENT_KEY) };
  } finally {
    await c.disconnect();
  }
}

const logIn = async (session: PivSession): Promise<void> => {
  await session.verifyPin(secretFromText('123456'));
  await authenticateManagementKey(session, 'TDES', DEFAULT_MANAGEMENT_KEY.slice());
};

describe('withKey leaves the key logged out', () => {
  it('after an operation that verified the PIN and authenticated the management key', async () => {
    const transport = plugIn();
    await withKey(transport, READER, async (c) => logIn(await PivSession.open(c)));
    expect(await seenNext(transport)).toEqual({ pinStatus: '63c3', write: '6982' });
  });

  it('after such an operation fails', async () => {
    const transport = plugIn();
    const failing = withKey(transport, READER, async (c) => {
      await logIn(await PivSession.open(c));
      throw new NativeError('CARD_ERROR', 'a later step failed');
    });
    await expect(failing).rejects.toThrow('a later step failed');
    expect(await seenNext(transport)).toEqual({ pinStatus: '63c3', write: '6982' });
  });

  it('after a wrong PIN: the attempt is spent, nothing is left verified', async () => {
    const transport = plugIn();
    await expect(withKey(transport, READER, async (c) => (await PivSession.open(c)).verifyPin(secretFromText('000000')))).rejects.toBeInstanceOf(NativeError);
    expect(await seenNext(transport)).toEqual({ pinStatus: '63c2', write: '6982' });
  });

  it("leaves another program's login alone when it only read the key", async () => {
    const transport = plugIn();
    const other = await transport.connect(READER, 'shared');
    await other.transmit(SELECT_PIV);
    await other.transmit(hex(`0020008008${Buffer.from('123456').toString('hex')}ffff`));
    await other.disconnect('leave');
    // Reads only, the PIN status query included.
    await withKey(transport, READER, async (c) => (await PivSession.open(c)).pinRetries());
    expect((await seenNext(transport)).pinStatus).toBe('9000');
  });
});
