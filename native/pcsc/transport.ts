// The one seam between the PIV code and a card reader. Implementations: the
// PC/SC binding (smartcard-transport.ts, the only file importing it) and the
// in-process virtual card (native/virtual-yubikey/virtual-transport.ts) for fast unit tests.

export type ShareMode = 'shared' | 'exclusive';

/**
 * A reader as PC/SC reports it, without talking to the card. `insertion` is
 * the reader's card event counter (pcsc-lite and WinSCard keep it in the high
 * word of the reader state; each insertion and removal counts): while it
 * stays the same, the card in the reader is the same one. Null where the
 * service does not say.
 */
export interface ReaderState {
  readonly name: string;
  readonly cardPresent: boolean;
  readonly insertion: number | null;
}

/**
 * What a disconnect does to the card: 'leave' keeps it powered as it is
 * (SCARD_LEAVE_CARD), so other programs keep their state; 'unpower' powers it
 * down (SCARD_UNPOWER_CARD, as yubikit and ykman leave a key), which clears a
 * verified PIN and an authenticated management key as a reset does (what
 * yubico-piv-tool and OpenSC do), at less cost: the reader need not wait for
 * the card. The next connection powers it up again.
 */
export type Disposition = 'leave' | 'unpower';

export interface CardConnection {
  readonly reader: string;
  readonly atr: Uint8Array;
  /** The reader's card event counter once connected (see ReaderState), or null. */
  readonly insertion: number | null;
  /** Sends one APDU, returns response data followed by SW1 SW2. */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  /** Ends the connection; the card is left as it is unless `disposition` is 'unpower'. */
  disconnect(disposition?: Disposition): Promise<void>;
}

export interface Transport {
  listReaders(): Promise<string[]>;
  /** Every reader with its card presence and card event counter: no card is touched. */
  readerStates(): Promise<ReaderState[]>;
  /**
   * Connects to the card in `reader`. None of the PC/SC bindings we measured
   * exposes SCardBeginTransaction, so multi-APDU operations connect in
   * 'exclusive' mode for their length instead (README, design notes).
   */
  connect(reader: string, mode: ShareMode): Promise<CardConnection>;
}
