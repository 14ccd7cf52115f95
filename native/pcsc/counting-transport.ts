// A Transport that counts every APDU it carries, by instruction, around any
// other Transport (the in-process virtual card in tests, PC/SC in the bench).
// What crosses the reader is what costs time on a real key.
import { INS, YUBIKEY_INS } from '../piv/constants.ts';
import type { CardConnection, Disposition, ReaderState, ShareMode, Transport } from './transport.ts';

/** Instruction names, keyed by the one declaration of each instruction. */
const NAMES: Readonly<Record<number, string>> = {
  [YUBIKEY_INS.OTP_REQUEST]: 'OTP REQUEST',
  [YUBIKEY_INS.READ_CONFIG]: 'READ CONFIG',
  [INS.VERIFY]: 'VERIFY',
  [INS.CHANGE_REFERENCE]: 'CHANGE REFERENCE',
  [INS.RESET_RETRY]: 'RESET RETRY',
  [INS.GENERATE_ASYMMETRIC]: 'GENERATE',
  [INS.AUTHENTICATE]: 'GENERAL AUTHENTICATE',
  [INS.SELECT]: 'SELECT',
  [INS.GET_RESPONSE]: 'GET RESPONSE',
  [INS.GET_DATA]: 'GET DATA',
  [INS.PUT_DATA]: 'PUT DATA',
  [INS.GET_METADATA]: 'GET METADATA',
  [INS.GET_SERIAL]: 'GET SERIAL',
  [INS.ATTEST]: 'ATTEST',
  [INS.RESET]: 'RESET',
  [INS.GET_VERSION]: 'GET VERSION',
  [INS.IMPORT_KEY]: 'IMPORT KEY',
  [INS.SET_MGMKEY]: 'SET MANAGEMENT KEY',
};

export function instructionName(ins: number): string {
  return NAMES[ins] ?? `INS ${ins.toString(16).padStart(2, '0').toUpperCase()}`;
}

export interface TimelineEntry {
  /** An instruction name, or CONNECT / DISCONNECT. */
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export class CountingTransport implements Transport {
  /** Instruction names in the order sent. */
  readonly sent: string[] = [];
  /** Connections opened, by share mode. */
  readonly connects: Record<ShareMode, number> = { shared: 0, exclusive: 0 };
  /** Milliseconds spent waiting for the card's answers, by instruction name. */
  elapsed: Record<string, number> = {};
  /** How long each exclusive connection was held, in milliseconds (from connected to released). */
  readonly holds: number[] = [];
  /** Every connect, APDU and disconnect with its start and end (performance.now()), in order: where a run's time went. */
  readonly timeline: TimelineEntry[] = [];

  constructor(private readonly inner: Transport) {}

  /** How many APDUs of each instruction were sent since the last reset. */
  byInstruction(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of this.sent) out[name] = (out[name] ?? 0) + 1;
    return out;
  }

  reset(): void {
    this.sent.length = 0;
    this.connects.shared = 0;
    this.connects.exclusive = 0;
    this.holds.length = 0;
    this.timeline.length = 0;
    this.elapsed = {};
  }

  listReaders(): Promise<string[]> {
    return this.inner.listReaders();
  }

  readerStates(): Promise<ReaderState[]> {
    return this.inner.readerStates();
  }

  async connect(reader: string, mode: ShareMode): Promise<CardConnection> {
    const asked = performance.now();
    const connection = await this.inner.connect(reader, mode);
    this.connects[mode] += 1;
    const connected = performance.now();
    const timeline = this.timeline;
    timeline.push({ name: 'CONNECT', start: asked, end: connected });
    const sent = this.sent;
    const holds = this.holds;
    const counted = (name: string, ms: number): void => {
      this.elapsed[name] = (this.elapsed[name] ?? 0) + ms;
    };
    return {
      reader: connection.reader,
      atr: connection.atr,
      insertion: connection.insertion,
      async transmit(apdu: Uint8Array): Promise<Uint8Array> {
        const name = instructionName(apdu[1] ?? 0);
        sent.push(name);
        const started = performance.now();
        try {
          return await connection.transmit(apdu);
        } finally {
          const end = performance.now();
          counted(name, end - started);
          timeline.push({ name, start: started, end });
        }
      },
      async disconnect(disposition?: Disposition): Promise<void> {
        // The disposition goes through: a counted connection still resets a key it logged in to.
        const asked = performance.now();
        await connection.disconnect(disposition);
        const end = performance.now();
        timeline.push({ name: 'DISCONNECT', start: asked, end });
        if (mode === 'exclusive') holds.push(end - connected);
      },
    };
  }
}
