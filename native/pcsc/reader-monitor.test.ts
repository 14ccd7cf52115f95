import { describe, expect, it } from 'vitest';
import { diffSnapshots, type ReaderEvent, ReaderMonitor, type ReaderSnapshot, type ReaderStatusSource } from './reader-monitor.ts';

const atr = Uint8Array.of(0x3b, 0x01);
const other = Uint8Array.of(0x3b, 0x02);
const reader = (name: string, card: Uint8Array | null): ReaderSnapshot => ({ name, cardPresent: card !== null, atr: card });

describe('diffSnapshots', () => {
  it('announces new readers and the cards in them', () => {
    expect(diffSnapshots([], [reader('A', atr), reader('B', null)])).toEqual([
      { type: 'reader-added', reader: 'A' },
      { type: 'card-inserted', reader: 'A', atr },
      { type: 'reader-added', reader: 'B' },
    ]);
  });

  it('a card pulled, a reader gone with its card, a card swapped', () => {
    expect(diffSnapshots([reader('A', atr)], [reader('A', null)])).toEqual([{ type: 'card-removed', reader: 'A' }]);
    expect(diffSnapshots([reader('A', atr)], [])).toEqual([
      { type: 'card-removed', reader: 'A' },
      { type: 'reader-removed', reader: 'A' },
    ]);
    expect(diffSnapshots([reader('A', atr)], [reader('A', other)])).toEqual([
      { type: 'card-removed', reader: 'A' },
      { type: 'card-inserted', reader: 'A', atr: other },
    ]);
    expect(diffSnapshots([reader('A', atr)], [reader('A', atr)])).toEqual([]);
  });
});

/** A scripted source: each snapshot() returns the next state; 'down' throws as a stopped service does. */
function scripted(states: (ReaderSnapshot[] | 'down')[]): ReaderStatusSource & { done: Promise<void> } {
  let i = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((r) => (finish = r));
  return {
    done,
    async snapshot() {
      const s = states[Math.min(i, states.length - 1)]!;
      i++;
      if (i >= states.length) finish();
      if (s === 'down') throw new Error('service stopped');
      return s;
    },
    async waitForChange() {
      await new Promise((r) => setTimeout(r, 1));
    },
    cancel() {},
  };
}

describe('ReaderMonitor', () => {
  it('reports insert and removal, survives the service stopping, and re-announces readers when it is back', async () => {
    const source = scripted([[reader('A', null)], [reader('A', atr)], 'down', 'down', [reader('A', atr)], [reader('A', null)]]);
    const monitor = new ReaderMonitor(source, { pollMs: 1, retryMs: 1 });
    const events: ReaderEvent[] = [];
    const unsubscribe = monitor.subscribe((e) => events.push(e));
    await source.done;
    await new Promise((r) => setTimeout(r, 20));
    unsubscribe();
    await monitor.stop();
    expect(events).toEqual([
      { type: 'reader-added', reader: 'A' },
      { type: 'card-inserted', reader: 'A', atr },
      { type: 'card-removed', reader: 'A' },
      { type: 'reader-removed', reader: 'A' },
      { type: 'service-unavailable' },
      { type: 'service-available' },
      { type: 'reader-added', reader: 'A' },
      { type: 'card-inserted', reader: 'A', atr },
      { type: 'card-removed', reader: 'A' },
    ]);
  });

  it('a late subscriber first hears what is already there; unsubscribing stops its events', async () => {
    const source = scripted([[reader('A', atr)]]);
    const monitor = new ReaderMonitor(source, { pollMs: 1 });
    const first: ReaderEvent[] = [];
    const stopFirst = monitor.subscribe((e) => first.push(e));
    await source.done;
    const late: ReaderEvent[] = [];
    const stopLate = monitor.subscribe((e) => late.push(e));
    expect(late).toEqual([
      { type: 'reader-added', reader: 'A' },
      { type: 'card-inserted', reader: 'A', atr },
    ]);
    stopLate();
    stopFirst();
    await monitor.stop();
    expect(first).toHaveLength(2);
  });

  it('a throwing listener does not stop the others', async () => {
    const source = scripted([[reader('A', atr)]]);
    const monitor = new ReaderMonitor(source, { pollMs: 1 });
    const seen: ReaderEvent[] = [];
    const a = monitor.subscribe(() => {
      throw new Error('listener bug');
    });
    const b = monitor.subscribe((e) => seen.push(e));
    await source.done;
    await new Promise((r) => setTimeout(r, 5));
    a();
    b();
    await monitor.stop();
    expect(seen.map((e) => e.type)).toEqual(['reader-added', 'card-inserted']);
  });
});
