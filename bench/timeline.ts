// Where a pairing's time went, from its timeline (bench/pairing-runs.ts,
// bench/yubikit_pair.py): waiting for the card's answers, connecting and
// disconnecting, and the rest, which is the program's own time between and
// around the APDUs (crypto on the host, files, the event loop).
import type { TimelineEntry } from '../native/pcsc/counting-transport.ts';

export interface TimeSplit {
  readonly totalMs: number;
  readonly apdus: number;
  /** Waiting for answers, GENERATE left out (the virtual key's RSA generation varies by seconds). */
  readonly inApdusMs: number;
  readonly generateMs: number;
  readonly connectMs: number;
  /** Everything else: the program's own time before, between and after the APDUs. */
  readonly ownMs: number;
  /** The longest stretches of the program's own time, with what came before and after. */
  readonly longestGaps: readonly { readonly between: string; readonly ms: number }[];
}

const isCardEntry = (e: TimelineEntry): boolean => !e.name.startsWith('phase:');

export function splitTime(totalMs: number, timeline: readonly TimelineEntry[]): TimeSplit {
  const card = timeline.filter(isCardEntry).sort((a, b) => a.start - b.start);
  const phases = timeline.filter((e) => !isCardEntry(e));
  const duration = (e: TimelineEntry): number => e.end - e.start;
  const apdus = card.filter((e) => e.name !== 'CONNECT' && e.name !== 'DISCONNECT');
  const generateMs = apdus.filter((e) => e.name === 'GENERATE').reduce((s, e) => s + duration(e), 0);
  const inApdusMs = apdus.reduce((s, e) => s + duration(e), 0) - generateMs;
  const connectMs = card.filter((e) => e.name === 'CONNECT' || e.name === 'DISCONNECT').reduce((s, e) => s + duration(e), 0);
  // The phase a moment falls in names a gap: "pair: VERIFY → GENERAL AUTHENTICATE".
  const phaseAt = (t: number): string => phases.find((p) => p.start <= t && t <= p.end)?.name.slice('phase:'.length) ?? '';
  const gaps: { between: string; ms: number }[] = [];
  let previous: TimelineEntry | undefined;
  for (const entry of [...card, { name: 'end', start: totalMs, end: totalMs }]) {
    const from = previous?.end ?? 0;
    const where = phaseAt(from + (entry.start - from) / 2);
    gaps.push({ between: `${where === '' ? '' : `${where}: `}${previous?.name ?? 'start'} → ${entry.name}`, ms: entry.start - from });
    previous = entry;
  }
  return {
    totalMs,
    apdus: apdus.length,
    inApdusMs,
    generateMs,
    connectMs,
    ownMs: totalMs - inApdusMs - generateMs - connectMs,
    longestGaps: gaps.sort((a, b) => b.ms - a.ms).slice(0, 6),
  };
}
