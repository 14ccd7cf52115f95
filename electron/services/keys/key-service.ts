// The live list of keys: serial, model, firmware, tries left, management-key
// state, paired or not. Refreshed on reader events, and on demand.
import { NativeError } from '../../../native/errors.ts';
import type { ReaderMonitor } from '../../../native/pcsc/reader-monitor.ts';
import type { Transport } from '../../../native/pcsc/transport.ts';
import { readersWithCard } from '../../../native/yubikey/key-access.ts';
import { type KeyInfo, readKeyInfo } from '../../../native/yubikey/key-info.ts';
import type { KeySummary } from '../../ipc/contract.ts';
import { ServiceError } from '../app-error.ts';
import type { KeyLock } from '../key-lock.ts';
import { type KeyPurpose, type KeyRequest, selectKey } from './key-selection.ts';

export interface KeyServiceOptions {
  readonly transport: Transport;
  readonly lock: KeyLock;
  /** Serial of the paired key, if any (read each time: pairing changes it). */
  readonly pairedSerial: () => Promise<number | null>;
  readonly onChange?: (keys: readonly KeySummary[]) => void;
  readonly log?: (line: string) => void;
}

export function summarize(info: KeyInfo, pairedSerial: number | null): KeySummary {
  return {
    reader: info.reader,
    serial: info.serial,
    model: info.model,
    firmware: info.firmware,
    pinRetries: info.pinRetries,
    pukRetries: info.pukRetries,
    managementKey: info.managementKey,
    paired: pairedSerial !== null && info.serial === pairedSerial,
  };
}

export class KeyService {
  private last: readonly KeySummary[] = [];
  private lastInfo: readonly KeyInfo[] = [];
  /** Cards skipped at the last refresh, by reader: a key held by another program must be told as such. */
  private skipped = new Map<string, NativeError>();
  private unsubscribe: (() => void) | null = null;
  private refreshing: Promise<readonly KeySummary[]> | null = null;

  constructor(private readonly options: KeyServiceOptions) {}

  /** The keys as last read. */
  get keys(): readonly KeySummary[] {
    return this.last;
  }

  /** Everything read of each key at the last refresh, certificates per slot included (`wfa status`). */
  get details(): readonly KeyInfo[] {
    return this.lastInfo;
  }

  /** Reads every plugged-in key again (one at a time; readers without a PIV card are skipped). */
  async refresh(): Promise<readonly KeySummary[]> {
    this.refreshing ??= this.readAll().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async readAll(): Promise<readonly KeySummary[]> {
    const paired = await this.options.pairedSerial();
    const keys: KeySummary[] = [];
    const infos: KeyInfo[] = [];
    const skipped = new Map<string, NativeError>();
    for (const reader of await readersWithCard(this.options.transport)) {
      try {
        const info = await this.options.lock.run(reader, readKeyInfo);
        infos.push(info);
        keys.push(summarize(info, paired));
      } catch (e) {
        // A card that is not a YubiKey PIV, or one pulled while being read, is no key.
        if (e instanceof NativeError && ['NOT_SUPPORTED_BY_FIRMWARE', 'CARD_REMOVED', 'NO_KEY', 'READER_IN_USE', 'INVALID_RESPONSE', 'NOT_FOUND', 'CARD_ERROR'].includes(e.code)) {
          this.options.log?.(`keys: skipped the card in "${reader}" (${e.code})`);
          skipped.set(reader, e);
          continue;
        }
        throw e;
      }
    }
    const changed = JSON.stringify(keys) !== JSON.stringify(this.last);
    this.last = keys;
    this.lastInfo = infos;
    this.skipped = skipped;
    if (changed) this.options.onChange?.(keys);
    return keys;
  }

  /** The key with `serial`, read now; READER_IN_USE when it is not found but a key is held by another program (it may be this one). */
  async find(serial: number): Promise<KeySummary | null> {
    const key = (await this.refresh()).find((k) => k.serial === serial) ?? null;
    const held = this.heldByAnotherProgram();
    if (key === null && held !== undefined) throw held;
    return key;
  }

  /** The error of a reader skipped at the last refresh because another program holds it exclusively. */
  heldByAnotherProgram(): NativeError | undefined {
    return [...this.skipped.values()].find((error) => error.code === 'READER_IN_USE');
  }

  /** The key a command works on, read now (key-selection.ts: --reader, --serial, the paired key, the only key). */
  async select(request: KeyRequest, purpose: KeyPurpose): Promise<KeySummary> {
    const keys = await this.refresh();
    const readers = await this.options.transport.listReaders();
    try {
      return selectKey(keys, readers, request, await this.options.pairedSerial(), purpose);
    } catch (e) {
      // "No key" while a key is there but held by another program: say that instead.
      const held = [...this.skipped].find(([reader, error]) => error.code === 'READER_IN_USE' && (request.reader === undefined || request.reader === reader));
      if (e instanceof ServiceError && e.appError.code === 'NO_KEY' && held !== undefined) throw held[1];
      throw e;
    }
  }

  /** The full details of a key read at the last refresh. */
  detailsOf(serial: number): KeyInfo | undefined {
    return this.lastInfo.find((k) => k.serial === serial);
  }

  /** Follows reader events: any card or reader change triggers a refresh. */
  watch(monitor: ReaderMonitor): void {
    this.unsubscribe?.();
    // Every event (a reader or card coming or going, the service stopping or returning) can change the list.
    this.unsubscribe = monitor.subscribe(() => {
      this.refresh().catch((e: unknown) => this.options.log?.(`keys: refresh failed (${e instanceof NativeError ? e.code : 'error'})`));
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
