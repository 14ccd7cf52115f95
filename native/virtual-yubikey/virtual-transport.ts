// A Transport over in-process virtual YubiKeys, for fast unit tests of the
// PIV code without pcscd. Readers are named as vpcd names them.
import { NativeError } from '../errors.ts';
import type { VirtualCard } from './card-interface.ts';
import type { CardConnection, Disposition, ReaderState, ShareMode, Transport } from '../pcsc/transport.ts';

export class VirtualTransport implements Transport {
  private readonly readers = new Map<string, VirtualCard | null>();
  private readonly exclusive = new Set<string>();
  /** Card event counters, as pcsc-lite keeps them: one step per insertion and per removal. */
  private readonly events = new Map<string, number>();

  /** Puts `card` into `reader` (null: the reader is empty). */
  insert(reader: string, card: VirtualCard | null): void {
    if ((this.readers.get(reader) ?? null) !== null) this.count(reader);
    this.readers.set(reader, card);
    if (card !== null) this.count(reader);
    card?.powerOn();
  }

  remove(reader: string): void {
    if ((this.readers.get(reader) ?? null) !== null) this.count(reader);
    this.readers.set(reader, null);
  }

  private count(reader: string): void {
    this.events.set(reader, (this.events.get(reader) ?? 0) + 1);
  }

  async listReaders(): Promise<string[]> {
    return [...this.readers.keys()];
  }

  async readerStates(): Promise<ReaderState[]> {
    return [...this.readers].map(([name, card]) => ({ name, cardPresent: card !== null, insertion: this.events.get(name) ?? 0 }));
  }

  async connect(reader: string, mode: ShareMode): Promise<CardConnection> {
    if (!this.readers.has(reader)) throw new NativeError('READER_NOT_FOUND', { reader, readers: [...this.readers.keys()] });
    const card = this.readers.get(reader);
    if (card === null || card === undefined) throw new NativeError('NO_KEY', { reader });
    if (this.exclusive.has(reader)) throw new NativeError('READER_IN_USE', { reader });
    if (mode === 'exclusive') this.exclusive.add(reader);
    let open = true;
    const transport = this.readers;
    return {
      reader,
      atr: card.atr,
      insertion: this.events.get(reader) ?? 0,
      async transmit(apdu: Uint8Array): Promise<Uint8Array> {
        if (!open) throw new NativeError('CARD_REMOVED', { step: 'transmit', reader });
        if (transport.get(reader) !== card) throw new NativeError('CARD_REMOVED', { step: 'transmit', reader });
        return card.transmit(apdu);
      },
      disconnect: async (disposition: Disposition = 'leave'): Promise<void> => {
        if (open && disposition === 'unpower' && transport.get(reader) === card) card.powerOff();
        open = false;
        if (mode === 'exclusive') this.exclusive.delete(reader);
      },
    };
  }
}
