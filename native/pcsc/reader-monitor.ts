// Live reader and card events. Works from snapshots of the readers (name,
// card present, ATR) taken whenever PC/SC reports a change, so the same
// diffing serves every source and survives the service going away: while
// pcscd is down no readers are seen (each is announced as removed), and when
// it is back they are announced again.

export interface ReaderSnapshot {
  readonly name: string;
  readonly cardPresent: boolean;
  readonly atr: Uint8Array | null;
}

export type ReaderEvent =
  | { readonly type: 'reader-added'; readonly reader: string }
  | { readonly type: 'reader-removed'; readonly reader: string }
  | { readonly type: 'card-inserted'; readonly reader: string; readonly atr: Uint8Array }
  | { readonly type: 'card-removed'; readonly reader: string }
  | { readonly type: 'service-unavailable' }
  | { readonly type: 'service-available' };

/** Where snapshots come from: the PC/SC binding, or a fake in tests. */
export interface ReaderStatusSource {
  /** Current readers; throws when the smart-card service is unavailable. */
  snapshot(): Promise<ReaderSnapshot[]>;
  /** Resolves when something may have changed, or after `timeoutMs`. Throws when the service is unavailable. */
  waitForChange(known: readonly ReaderSnapshot[], timeoutMs: number): Promise<void>;
  /** Wakes a pending waitForChange (used to stop). */
  cancel(): void;
}

/** The events that take `before` to `after`. */
export function diffSnapshots(before: readonly ReaderSnapshot[], after: readonly ReaderSnapshot[]): ReaderEvent[] {
  const events: ReaderEvent[] = [];
  const old = new Map(before.map((r) => [r.name, r]));
  const now = new Map(after.map((r) => [r.name, r]));
  for (const [name, prev] of old) {
    if (now.has(name)) continue;
    if (prev.cardPresent) events.push({ type: 'card-removed', reader: name });
    events.push({ type: 'reader-removed', reader: name });
  }
  for (const [name, cur] of now) {
    const prev = old.get(name);
    if (prev === undefined) events.push({ type: 'reader-added', reader: name });
    const wasPresent = prev?.cardPresent ?? false;
    const atrChanged = wasPresent && cur.cardPresent && !sameBytes(prev?.atr ?? null, cur.atr);
    if ((wasPresent && !cur.cardPresent) || atrChanged) events.push({ type: 'card-removed', reader: name });
    if (cur.cardPresent && (!wasPresent || atrChanged)) events.push({ type: 'card-inserted', reader: name, atr: cur.atr ?? new Uint8Array(0) });
  }
  return events;
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface ReaderMonitorOptions {
  /** Longest wait between looks, so reader plug-in is seen even where PC/SC does not signal it. */
  readonly pollMs?: number;
  /** Wait before trying again after the service was unavailable. */
  readonly retryMs?: number;
}

export type ReaderListener = (event: ReaderEvent) => void;

export class ReaderMonitor {
  private readonly listeners = new Set<ReaderListener>();
  private known: ReaderSnapshot[] = [];
  private serviceUp: boolean | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly pollMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly source: ReaderStatusSource,
    options: ReaderMonitorOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.retryMs = options.retryMs ?? 1000;
  }

  /** Subscribes; the listener first hears the readers and cards already there. Returns the unsubscribe function. */
  subscribe(listener: ReaderListener): () => void {
    this.listeners.add(listener);
    for (const event of diffSnapshots([], this.known)) listener(event);
    if (!this.running) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  /** The readers as last seen. */
  readers(): readonly ReaderSnapshot[] {
    return this.known;
  }

  private emit(event: ReaderEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (e) {
        // A failing listener must not stop the others or the monitor.
        console.error('reader monitor: a listener failed', e);
      }
    }
  }

  private setService(up: boolean): void {
    if (this.serviceUp === up) return;
    const announce = this.serviceUp !== null || !up;
    this.serviceUp = up;
    if (announce) this.emit({ type: up ? 'service-available' : 'service-unavailable' });
  }

  private update(next: ReaderSnapshot[]): void {
    const events = diffSnapshots(this.known, next);
    this.known = next;
    for (const e of events) this.emit(e);
  }

  private start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const next = await this.source.snapshot();
          this.setService(true);
          this.update(next);
          if (!this.running) break;
          await this.source.waitForChange(this.known, this.pollMs);
        } catch {
          // Service gone: every reader is gone with it; look again later.
          this.update([]);
          this.setService(false);
          await new Promise((r) => setTimeout(r, this.retryMs));
        }
      }
    })();
  }

  /** Stops watching (also done when the last listener unsubscribes). */
  async stop(): Promise<void> {
    this.running = false;
    this.source.cancel();
    await this.loop;
    this.loop = null;
  }
}
