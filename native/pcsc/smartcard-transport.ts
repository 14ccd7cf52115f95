// The Transport over the system's PC/SC service (pcsc-lite, WinSCard,
// CryptoTokenKit) through the `smartcard` N-API binding: the only file that
// imports it. Why this binding: README, "Design notes: PC/SC binding".
import { createRequire } from 'node:module';
import { NativeError, type PcscStep } from '../errors.ts';
import { pcscCodeOf, pcscError, SCARD } from './pcsc-errors.ts';
import type { ReaderSnapshot, ReaderStatusSource } from './reader-monitor.ts';
import type { CardConnection, Disposition, ReaderState, ShareMode, Transport } from './transport.ts';
import type * as Smartcard from 'smartcard';

type Binding = typeof Smartcard;

/**
 * The card event counter in the high word of a reader state (pcsc-lite
 * winscard_clnt.c SCardGetStatusChange; WinSCard alike). Zero is taken as
 * "not said": a present card has been counted at least once where it is kept.
 */
function insertionOf(state: number): number | null {
  const counter = state >>> 16;
  return counter === 0 ? null : counter;
}

let binding: Binding | null = null;

/** Loads the native module lazily, so that code paths without a reader never need it. */
function loadBinding(): Binding {
  if (binding === null) {
    try {
      binding = createRequire(import.meta.url)('smartcard') as Binding;
    } catch (e) {
      throw new NativeError('PCSC_UNAVAILABLE', { problem: 'not-installed' }, { cause: e });
    }
  }
  return binding;
}

export function createPcscTransport(): Transport {
  const sc = loadBinding();

  const withContext = <T>(action: PcscStep, fn: (ctx: Smartcard.ContextInterface) => T): T => {
    let ctx: Smartcard.ContextInterface;
    try {
      ctx = new sc.Context();
    } catch (e) {
      throw pcscError(e, action);
    }
    try {
      return fn(ctx);
    } finally {
      ctx.close();
    }
  };

  return {
    async listReaders(): Promise<string[]> {
      return withContext('list-readers', (ctx) => {
        try {
          return ctx.listReaders().map((r) => r.name);
        } catch (e) {
          if (pcscCodeOf(e) === SCARD.E_NO_READERS_AVAILABLE) return [];
          throw pcscError(e, 'list-readers');
        }
      });
    },

    async readerStates(): Promise<ReaderState[]> {
      return withContext('list-readers', (ctx) => {
        try {
          return ctx.listReaders().map((r) => ({
            name: r.name,
            cardPresent: (r.state & sc.SCARD_STATE_PRESENT) !== 0 && (r.state & sc.SCARD_STATE_MUTE) === 0,
            insertion: insertionOf(r.state),
          }));
        } catch (e) {
          if (pcscCodeOf(e) === SCARD.E_NO_READERS_AVAILABLE) return [];
          throw pcscError(e, 'list-readers');
        }
      });
    },

    async connect(readerName: string, mode: ShareMode): Promise<CardConnection> {
      let ctx: Smartcard.ContextInterface;
      try {
        ctx = new sc.Context();
      } catch (e) {
        throw pcscError(e, 'connect', readerName);
      }
      const share = mode === 'exclusive' ? sc.SCARD_SHARE_EXCLUSIVE : sc.SCARD_SHARE_SHARED;
      const protocols = sc.SCARD_PROTOCOL_T1 | sc.SCARD_PROTOCOL_T0;
      let card: Smartcard.CardInterface;
      try {
        const reader = ctx.listReaders().find((r) => r.name === readerName);
        if (reader === undefined) throw new NativeError('READER_NOT_FOUND', { reader: readerName, readers: ctx.listReaders().map((r) => r.name) });
        card = await reader.connect(share, protocols);
      } catch (e) {
        ctx.close();
        if (e instanceof NativeError) throw e;
        throw pcscError(e, 'connect', readerName);
      }
      const atr = new Uint8Array(card.atr ?? []);
      // Read after connecting: a card swapped before the connect counts here, one swapped after fails every transmit.
      let insertion: number | null = null;
      try {
        const state = ctx.listReaders().find((r) => r.name === readerName)?.state;
        insertion = state === undefined ? null : insertionOf(state);
      } catch {
        // Not said: callers then ask the card for its serial.
      }
      let closed = false;
      /** The card left the reader or stopped answering during this connection (a transmit said CARD_REMOVED or NO_KEY). */
      let removed = false;
      return {
        reader: readerName,
        atr,
        insertion,
        async transmit(apdu: Uint8Array): Promise<Uint8Array> {
          if (closed) throw new NativeError('CARD_REMOVED', { step: 'transmit', reader: readerName });
          try {
            // The PIV layer does its own GET RESPONSE chaining (native/piv/apdu.ts).
            const response = await card.transmit(Buffer.from(apdu), { autoGetResponse: false, maxRecvLength: 65538 });
            // Every card answer ends in SW1 SW2. Nothing at all is the reader losing the
            // card mid-command: pcscd with vpcd reports that as a success with no bytes,
            // and only the next SCardTransmit fails (README, "PC/SC binding").
            if (response.length === 0) {
              removed = true;
              throw pcscError({ code: SCARD.W_REMOVED_CARD }, 'transmit', readerName);
            }
            return new Uint8Array(response);
          } catch (e) {
            if (e instanceof NativeError) throw e;
            const error = pcscError(e, 'transmit', readerName);
            // Pulled, unpowered, reset by another program, or no longer answering its reader (a vanished
            // card can come back as SCARD_E_NOT_TRANSACTED rather than removed).
            if (error.code === 'CARD_REMOVED' || error.code === 'NO_KEY') removed = true;
            throw error;
          }
        },
        async disconnect(disposition: Disposition = 'leave'): Promise<void> {
          if (closed) return;
          closed = true;
          try {
            // Unpowered, the card forgets a verified PIN and an authenticated management key, as after a reset,
            // and the reader does it without waiting for the card (vpcd: one message, no answer; a reset is a
            // message and an ATR exchange, and SCardReconnect checks the card's presence first: three exchanges).
            // The binding's SCardDisconnect is synchronous, so this blocks for pcscd's call into the reader driver.
            // A card that left the reader or stopped answering during the connection lost its power, and its
            // login with it: it is left alone, since asking pcscd to power down a card it has not yet seen go left
            // the next card in that reader unpowered (the interop renewal sweep, tests/interop/renewal-sweep.ts).
            card.disconnect(disposition === 'unpower' && !removed ? sc.SCARD_UNPOWER_CARD : sc.SCARD_LEAVE_CARD);
          } catch {
            // Already gone (removed card, stopped service): nothing to release.
          } finally {
            ctx.close();
          }
        },
      };
    },
  };
}

/**
 * Reader snapshots for the ReaderMonitor. One PC/SC context is kept while it
 * works and replaced after any failure, which is how a restarted pcscd is
 * picked up again (an old context stays invalid for good).
 */
export function createPcscStatusSource(): ReaderStatusSource {
  const sc = loadBinding();
  let ctx: Smartcard.ContextInterface | null = null;
  const drop = (): void => {
    try {
      ctx?.close();
    } catch {
      // Closing a context of a stopped service fails; it is gone either way.
    }
    ctx = null;
  };
  const context = (): Smartcard.ContextInterface => {
    if (ctx === null || !ctx.isValid) {
      drop();
      ctx = new sc.Context();
    }
    return ctx;
  };
  return {
    async snapshot(): Promise<ReaderSnapshot[]> {
      try {
        return context()
          .listReaders()
          .map((r) => ({
            name: r.name,
            cardPresent: (r.state & sc.SCARD_STATE_PRESENT) !== 0 && (r.state & sc.SCARD_STATE_MUTE) === 0,
            atr: r.atr === null || r.atr.length === 0 ? null : new Uint8Array(r.atr),
          }));
      } catch (e) {
        if (pcscCodeOf(e) === SCARD.E_NO_READERS_AVAILABLE) return [];
        drop();
        throw pcscError(e, 'watch-readers');
      }
    },
    async waitForChange(_known: readonly ReaderSnapshot[], timeoutMs: number): Promise<void> {
      const c = context();
      try {
        const readers = c.listReaders();
        if (readers.length === 0) {
          await new Promise((r) => setTimeout(r, timeoutMs));
          return;
        }
        await c.waitForChange(readers, timeoutMs);
      } catch (e) {
        if (pcscCodeOf(e) === SCARD.E_NO_READERS_AVAILABLE || pcscCodeOf(e) === SCARD.E_TIMEOUT || pcscCodeOf(e) === SCARD.E_CANCELLED) return;
        drop();
        throw pcscError(e, 'watch-readers');
      }
    },
    cancel(): void {
      try {
        ctx?.cancel();
      } catch {
        // Nothing pending.
      }
    },
  };
}
