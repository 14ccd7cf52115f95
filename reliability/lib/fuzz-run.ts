// One fuzz target run with fast-check: every case is run (a failure does not
// stop the run), so the suite can say how many cases were tried and how many
// failed; the first few failures are kept, each with the seed and the case's
// index, which reproduce it (WFA_FUZZ_SEED).
import fc from 'fast-check';

export interface FuzzOptions {
  readonly seed: number;
  readonly runs: number;
  /** Progress on stderr every so many cases (0: none). */
  readonly progressEvery?: number;
}

export interface FuzzResult {
  readonly target: string;
  readonly tried: number;
  readonly failed: number;
  /** The first failures, in words: the case, what happened. */
  readonly examples: readonly string[];
  /** How the cases ended (e.g. "ok", or an error code), counted: shows the cases reach past the first check. */
  readonly outcomes: Readonly<Record<string, number>>;
}

/** A case's verdict: a problem in words (a failure), or how it ended when it behaved. */
export type Verdict = { readonly problem: string } | { readonly outcome: string };

export type CaseCheck<T> = (value: T, index: number) => Promise<Verdict>;

const KEPT_EXAMPLES = 5;

export async function runFuzz<T>(target: string, arbitrary: fc.Arbitrary<T>, check: CaseCheck<T>, options: FuzzOptions): Promise<FuzzResult> {
  let tried = 0;
  let failed = 0;
  const examples: string[] = [];
  const outcomes: Record<string, number> = {};
  await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      const index = tried++;
      let verdict: Verdict;
      try {
        verdict = await check(value, index);
      } catch (e) {
        verdict = { problem: `the check itself threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
      }
      if ('problem' in verdict) {
        failed++;
        if (examples.length < KEPT_EXAMPLES) examples.push(`case ${index}: ${verdict.problem}`);
      } else {
        outcomes[verdict.outcome] = (outcomes[verdict.outcome] ?? 0) + 1;
      }
      const every = options.progressEvery ?? 0;
      if (every > 0 && tried % every === 0) process.stderr.write(`  ${target}: ${tried}/${options.runs} cases, ${failed} failed\n`);
      // Every case is counted here; the property never fails, so fast-check runs them all.
      return true;
    }),
    { seed: options.seed, numRuns: options.runs, endOnFailure: true },
  );
  return { target, tried, failed, examples, outcomes };
}

/** The seed: WFA_FUZZ_SEED when set (an integer), else a fresh one. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env['WFA_FUZZ_SEED'];
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`WFA_FUZZ_SEED must be an integer, not ${JSON.stringify(given)}`);
    return seed;
  }
  return Math.floor(Math.random() * 0x7fffffff);
}

/** A short error description: class, code when it has one, message's first line. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return `a thrown ${typeof e}: ${String(e)}`;
  const code = 'code' in e && typeof e.code === 'string' ? ` ${e.code}` : '';
  // The first frames in our own code say where it escaped.
  const ours = (e.stack ?? '')
    .split('\n')
    .filter((l) => l.trim().startsWith('at ') && !l.includes('node_modules') && !l.includes('node:'))
    .slice(0, 3)
    .map((l) => l.trim().replace(/^at /, ''));
  return `${e.name}${code}: ${e.message.split('\n')[0] ?? ''}${ours.length === 0 ? '' : ` (${ours.join(' < ')})`}`;
}

/** Byte mutations of a real answer: flip bits, cut, grow, splice random bytes, or replace it. */
export function mutatedBytes(original: Uint8Array): fc.Arbitrary<Uint8Array> {
  const n = original.length;
  const bytes = (max: number) => fc.uint8Array({ maxLength: max });
  return fc.oneof(
    fc.constant(original),
    fc.array(fc.tuple(fc.nat({ max: Math.max(0, n - 1) }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const copy = Uint8Array.from(original);
      for (const [at, mask] of flips) if (at < copy.length) copy[at] = copy[at]! ^ mask;
      return copy;
    }),
    fc.nat({ max: n }).map((cut) => original.slice(0, cut)),
    fc
      .tuple(fc.nat({ max: n }), fc.nat({ max: n }))
      .map(([a, b]) => Uint8Array.from([...original.slice(0, Math.min(a, b)), ...original.slice(Math.max(a, b))])),
    fc.tuple(fc.nat({ max: n }), bytes(64)).map(([at, extra]) => Uint8Array.from([...original.slice(0, at), ...extra, ...original.slice(at)])),
    bytes(Math.max(8, n * 2)),
  );
}

/** The most frequent outcomes, for a note: "ok 4120, CARD_ERROR 1010, …". */
export function topOutcomes(result: FuzzResult, count = 4): string {
  return Object.entries(result.outcomes)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}
