// The live list of keys: serial, model, firmware, tries left, management-key
// state, paired or not. Each key is read once when it arrives and again only
// when it may have changed: a card event in its reader (PC/SC's card event
// counter moved) or an operation of this app that changed it. Reading one key
// holds it exclusively for one short identification (six APDUs on a 5.3+).
import { NativeError } from '../../../native/errors.ts';
import type { ReaderEvent, ReaderMonitor } from '../../../native/pcsc/reader-monitor.ts';
import type { Transport } from '../../../native/pcsc/transport.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { SLOT } from '../../../native/piv/constants.ts';
import { readCertificate } from '../../../native/piv/objects.ts';
import {
  describeCertificate,
  type DeviceContext,
  type IdentifiedKey,
  identifyKey,
  type KeyInfo,
  type KeyState,
  readSlotCertificates,
  type SlotCertificate,
} from '../../../native/yubikey/key-info.ts';
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

export function summarize(info: KeyState, pairedSerial: number | null): KeySummary {
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

/** A card that is not a YubiKey PIV, or one pulled while being read, is no key. */
const NOT_A_KEY = ['NOT_SUPPORTED_BY_FIRMWARE', 'CARD_REMOVED', 'NO_KEY', 'READER_IN_USE', 'INVALID_RESPONSE', 'NOT_FOUND', 'CARD_ERROR'];

/** A key as identified, with the certificate in its slot 9a (null: none). */
export interface PairedKeyDetails extends KeyState {
  readonly authentication: SlotCertificate | null;
}

interface Known {
  readonly key: IdentifiedKey | null;
  /** Why the card is no key; a key held by another program is told as such when a command asks for a key. */
  readonly skipped?: NativeError;
  /** The certificate in 9a, once read (detailsOf); read again only with the key. */
  authentication?: SlotCertificate | null;
  /** The card event counter and the lock generation when read: while both stay, the read stays true. */
  readonly insertion: number | null;
  readonly generation: number;
}

export class KeyService {
  private last: readonly KeySummary[] = [];
  private readonly known = new Map<string, Known>();
  private readers: readonly string[] = [];
  private unsubscribe: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private refreshing: Promise<readonly KeySummary[]> | null = null;

  constructor(private readonly options: KeyServiceOptions) {}

  /** The keys as last read. */
  get keys(): readonly KeySummary[] {
    return this.last;
  }

  /** The keys with the certificates in their slots (`wfa status`): reads the certificates now. */
  async details(): Promise<KeyInfo[]> {
    const out: KeyInfo[] = [];
    for (const key of this.identified()) {
      const info = await this.withCertificates(key);
      if (info !== null) out.push(info);
    }
    return out;
  }

  /** The key with `serial` and the certificates in its slots (`wfa key info`), up to date; null: not plugged in. */
  async info(serial: number): Promise<KeyInfo | null> {
    await this.refresh();
    const key = this.identified().find((k) => k.device.serial === serial);
    return key === undefined ? null : this.withCertificates(key);
  }

  private async withCertificates(key: IdentifiedKey): Promise<KeyInfo | null> {
    try {
      const slots = await this.options.lock.run(key.state.reader, async (c) => readSlotCertificates(await PivSession.open(c, key.device.version)), {
        readOnly: true,
      });
      return { ...key.state, slots };
    } catch (e) {
      if (e instanceof NativeError && NOT_A_KEY.includes(e.code)) return null;
      throw e;
    }
  }

  /** What an operation needs to know of the key with `serial`, as identified (re-read only if it may have changed). */
  async device(serial: number): Promise<DeviceContext | null> {
    await this.refresh();
    return this.identified().find((k) => k.device.serial === serial)?.device ?? null;
  }

  private identified(): IdentifiedKey[] {
    return this.readers.flatMap((r) => this.known.get(r)?.key ?? []);
  }

  /** Brings the list up to date: reads only the keys that are new or may have changed. */
  async refresh(): Promise<readonly KeySummary[]> {
    this.refreshing ??= this.serialized(() => this.update(null)).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Runs list updates one after another (a reader event and a caller's refresh must not read the same key twice). */
  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.catch(() => undefined).then(fn);
    this.queue = next;
    return next;
  }

  /** Updates every reader, or only `only` (a reader event names the reader that changed). */
  private async update(only: string | null): Promise<readonly KeySummary[]> {
    const states = await this.options.transport.readerStates();
    this.readers = states.map((s) => s.name);
    for (const name of [...this.known.keys()]) if (!this.readers.includes(name)) this.known.delete(name);
    for (const s of states) {
      if (only !== null && s.name !== only) continue;
      if (!s.cardPresent) {
        this.known.delete(s.name);
        continue;
      }
      const was = this.known.get(s.name);
      const generation = this.options.lock.generation(s.name);
      const fresh = was !== undefined && s.insertion !== null && was.insertion === s.insertion && was.generation === generation;
      if (!fresh) this.known.set(s.name, await this.read(s.name));
    }
    const paired = await this.options.pairedSerial();
    const keys = this.identified().map((k) => summarize(k.state, paired));
    const changed = JSON.stringify(keys) !== JSON.stringify(this.last);
    this.last = keys;
    if (changed) this.options.onChange?.(keys);
    return keys;
  }

  private async read(reader: string): Promise<Known> {
    let insertion: number | null = null;
    let generation = 0;
    try {
      const key = await this.options.lock.run(
        reader,
        async (connection) => {
          insertion = connection.insertion;
          generation = this.options.lock.generation(reader);
          return identifyKey(connection);
        },
        { readOnly: true },
      );
      return { key, insertion, generation };
    } catch (e) {
      if (e instanceof NativeError && NOT_A_KEY.includes(e.code)) {
        this.options.log?.(`keys: skipped the card in "${reader}" (${e.code})`);
        // A key held by another program is read again next time; anything else stays "no key" until the card changes.
        return { key: null, skipped: e, insertion: e.code === 'READER_IN_USE' ? null : insertion, generation };
      }
      throw e;
    }
  }

  /** The key with `serial`, read now; READER_IN_USE when it is not found but a key is held by another program (it may be this one). */
  async find(serial: number): Promise<KeySummary | null> {
    const key = (await this.refresh()).find((k) => k.serial === serial) ?? null;
    const held = this.heldByAnotherProgram();
    if (key === null && held !== undefined) throw held;
    return key;
  }

  /** The error of a reader (any, or `reader`) skipped at the last refresh because another program holds it exclusively. */
  heldByAnotherProgram(reader?: string): NativeError | undefined {
    return this.readers
      .filter((r) => reader === undefined || r === reader)
      .map((r) => this.known.get(r)?.skipped)
      .find((error) => error?.code === 'READER_IN_USE');
  }

  /** The key a command works on, read now (key-selection.ts: --reader, --serial, the paired key, the only key). */
  async select(request: KeyRequest, purpose: KeyPurpose): Promise<KeySummary> {
    const keys = await this.refresh();
    try {
      return selectKey(keys, this.readers, request, await this.options.pairedSerial(), purpose);
    } catch (e) {
      // "No key" while a key is there but held by another program: say that instead.
      const held = this.heldByAnotherProgram(request.reader);
      if (e instanceof ServiceError && e.appError.code === 'NO_KEY' && held !== undefined) throw held;
      throw e;
    }
  }

  /**
   * The key with `serial` and the certificate in its slot 9a, which a pairing
   * record is checked against (stale-pairing.ts). Only asked where a pairing
   * exists, so the certificate is read here, once per insertion: one GET DATA
   * (after SELECT), kept while the key's identification stays true.
   */
  async detailsOf(serial: number): Promise<PairedKeyDetails | undefined> {
    await this.refresh();
    const reader = this.readers.find((r) => this.known.get(r)?.key?.device.serial === serial);
    const known = reader === undefined ? undefined : this.known.get(reader);
    if (reader === undefined || known?.key === undefined || known.key === null) return undefined;
    if (known.authentication === undefined) {
      const key = known.key;
      try {
        const der = await this.options.lock.run(reader, async (c) => readCertificate(await PivSession.open(c, key.device.version), SLOT.AUTHENTICATION), {
          readOnly: true,
        });
        known.authentication = der === null ? null : describeCertificate(der);
      } catch (e) {
        if (e instanceof NativeError && NOT_A_KEY.includes(e.code)) return undefined;
        throw e;
      }
    }
    return { ...known.key.state, authentication: known.authentication };
  }

  /**
   * An operation of this app changed the key in `reader`: with reader events
   * followed (the app), the list is brought up to date now, in the background;
   * otherwise (the command line) at the next refresh.
   */
  keyChanged(reader: string): void {
    if (this.unsubscribe === null) return;
    this.serialized(() => this.update(reader)).catch((e: unknown) =>
      this.options.log?.(`keys: refresh failed (${e instanceof NativeError ? e.code : 'error'})`),
    );
  }

  /** Follows reader events: a card event reads only that reader's key; the service coming back reads them all. */
  watch(monitor: Pick<ReaderMonitor, 'subscribe'>): void {
    this.unsubscribe?.();
    this.unsubscribe = monitor.subscribe((event: ReaderEvent) => {
      const only = 'reader' in event ? event.reader : null;
      // A restarted service counts card events from scratch: nothing read before it is known to hold.
      if (only === null) this.known.clear();
      this.serialized(() => this.update(only)).catch((e: unknown) =>
        this.options.log?.(`keys: refresh failed (${e instanceof NativeError ? e.code : 'error'})`),
      );
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
