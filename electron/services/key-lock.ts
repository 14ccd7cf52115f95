// One operation at a time per reader inside this process: the app's own
// background refreshes must not collide with a pairing that holds the key
// exclusively (PC/SC would answer "sharing violation" to ourselves).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CardConnection, Transport } from '../../native/pcsc/transport.ts';
import { withKey } from '../../native/yubikey/key-access.ts';

export interface RunOptions {
  /** The operation only reads the key: what was read of it before stays true. */
  readonly readOnly?: boolean;
}

export class KeyLock {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly writes = new Map<string, number>();
  /** The readers held by the operation this code runs in: re-entering would wait for itself forever. */
  private readonly held = new AsyncLocalStorage<ReadonlySet<string>>();

  constructor(private readonly transport: Transport) {}

  /** How many operations that may have changed the key in `reader` ran so far (the key list re-reads it when this moves). */
  generation(reader: string): number {
    return this.writes.get(reader) ?? 0;
  }

  /** Runs `operation` on an exclusive connection to `reader`, after any operation already queued on it. */
  async run<T>(reader: string, operation: (connection: CardConnection) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const holding = this.held.getStore() ?? new Set<string>();
    if (holding.has(reader)) throw new Error(`KeyLock: "${reader}" is already held by this operation (a nested run would deadlock)`);
    const before = this.tails.get(reader) ?? Promise.resolve();
    const inner = new Set([...holding, reader]);
    const mine = before.catch(() => undefined).then(() => this.held.run(inner, () => withKey(this.transport, reader, operation)));
    this.tails.set(reader, mine);
    try {
      return await mine;
    } finally {
      if (options.readOnly !== true) this.writes.set(reader, this.generation(reader) + 1);
      if (this.tails.get(reader) === mine) this.tails.delete(reader);
    }
  }
}
