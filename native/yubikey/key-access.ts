// Finding keys and using one: every multi-APDU operation runs on a connection
// opened exclusively for its length, so no other program can put its APDUs
// between a VERIFY and the command it authorises (none of the PC/SC bindings
// exposes SCardBeginTransaction; README, design notes). An operation that may
// have logged in (PIN, PUK, management key) powers the card down when it lets go,
// on success and failure alike, so the next program finds the key logged out.
import { NativeError } from '../errors.ts';
import type { CardConnection, Transport } from '../pcsc/transport.ts';
import { mayLogIn } from '../piv/security-status.ts';

/**
 * Runs `operation` on an exclusive connection to the key in `reader`, released
 * right after: with the card powered down when the operation sent a command that may
 * have logged in, else leaving the card as it is (other programs keep theirs).
 */
export async function withKey<T>(transport: Transport, reader: string, operation: (connection: CardConnection) => Promise<T>): Promise<T> {
  const connection = await transport.connect(reader, 'exclusive');
  let loggedIn = false;
  const release = (): Promise<void> => connection.disconnect(loggedIn ? 'unpower' : 'leave');
  const watched: CardConnection = {
    reader: connection.reader,
    atr: connection.atr,
    insertion: connection.insertion,
    transmit(apdu) {
      // Before sending: a command the card carried out but whose answer was lost still counts.
      if (mayLogIn(apdu)) loggedIn = true;
      return connection.transmit(apdu);
    },
    disconnect: release,
  };
  try {
    return await operation(watched);
  } finally {
    await release().catch(() => undefined);
  }
}

/** Readers that hold a card right now. */
export async function readersWithCard(transport: Transport): Promise<string[]> {
  const found: string[] = [];
  for (const reader of await transport.listReaders()) {
    try {
      const c = await transport.connect(reader, 'shared');
      await c.disconnect();
      found.push(reader);
    } catch (e) {
      if (e instanceof NativeError && (e.code === 'NO_KEY' || e.code === 'CARD_REMOVED' || e.code === 'READER_IN_USE')) {
        if (e.code === 'READER_IN_USE') found.push(reader);
        continue;
      }
      throw e;
    }
  }
  return found;
}

/** The reader to use: the one asked for, else the only one holding a key. */
export async function chooseReader(transport: Transport, requested: string | undefined): Promise<string> {
  const readers = await transport.listReaders();
  if (requested !== undefined) {
    if (!readers.includes(requested)) {
      throw new NativeError('READER_NOT_FOUND', { reader: requested, readers });
    }
    return requested;
  }
  const withCard = await readersWithCard(transport);
  if (withCard.length === 0) throw new NativeError('NO_KEY', {});
  if (withCard.length > 1) {
    throw new NativeError('MULTIPLE_KEYS', { keys: withCard.map((r) => `"${r}"`) });
  }
  return withCard[0]!;
}
