// The sampled part of the crash-safe store suite (reliability/crash-store.suite.ts):
// a child writing the pairing store in a loop, killed (SIGKILL) 10 times at
// random moments; the store reads back as the old or the new version each time.
import { describe, expect, it } from 'vitest';
import { runCrashStores } from '../../../reliability/lib/crash-stores.ts';
import { fuzzSeed } from '../../../reliability/lib/fuzz-run.ts';

const seed = fuzzSeed({ WFA_FUZZ_SEED: process.env['WFA_CRASH_SEED'] });

describe('crash-safe pairing store, sampled', () => {
  it(`10 kills of a writing process: always the old or the new version (WFA_CRASH_SEED=${seed})`, { timeout: 120_000 }, async () => {
    const r = await runCrashStores({ kills: 10, seed });
    expect(r.examples).toEqual([]);
    expect(r.tried).toBe(10);
    expect(r.failed).toBe(0);
    // The writer got going before it was killed: the test is not of an idle process.
    expect(r.versionsWritten + r.midWrite).toBeGreaterThan(0);
  });
});
