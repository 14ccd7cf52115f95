// A Transport over in-process virtual YubiKeys, for fast unit tests of the
// PIV code without pcscd. Readers are named as vpcd names them.
import { NativeError } from '../errors.ts';
import type { VirtualCard } from '../virtual-yubikey/card-interface.ts';
import type { CardConnection, Disposition, ShareMode, Transport } from './transport.ts';

export class VirtualTransport implements Transport {
  private readonly readers = new Map<string, VirtualCard | null>();
  private readonly exclusive = new Set<string>();

  /** Puts `card` into `reader` (null: the reader is empty). */
  insert(reader: string, card: VirtualCard | null): void {
    this.readers.set(reader, card);
    card?.powerOn();
  }

  remove(reader: string): void {
    this.readers.set(reader, null);
  }

  async listReaders(): Promise<string[]> {
    return [...this.readers.keys()];
  }

  async connect(reader: string, mode: ShareMode): Promise<CardConnection> {
    if (!this.readers.has(reader)) throw new NativeError('READER_NOT_FOUND', `There is no reader called "${reader}".`);
    const card = this.readers.get(reader);
    if (card === null || card === undefined) throw new NativeError('NO_KEY', 'Your security key isn\'t plugged in.');
    if (this.exclusive.has(reader)) throw new NativeError('READER_IN_USE', 'Another program is using the security key.');
    if (mode === 'exclusive') this.exclusive.add(reader);
    let open = true;
    const transport = this.readers;
    return {
      reader,
      atr: card.atr,
      async transmit(apdu: Uint8Array): Promise<Uint8Array> {
        if (!open) throw new NativeError('CARD_REMOVED', 'The connection to the security key is closed.');
        if (transport.get(reader) !== card) throw new NativeError('CARD_REMOVED', 'The security key was removed.');
        return card.transmit(apdu);
      },
      disconnect: async (disposition: Disposition = 'leave'): Promise<void> => {
        if (open && disposition === 'reset' && transport.get(reader) === card) card.reset();
        open = false;
        if (mode === 'exclusive') this.exclusive.delete(reader);
      },
    };
  }
}
