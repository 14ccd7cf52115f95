// The sampled part of the fuzz suite (reliability/fuzz.suite.ts) in npm test:
// the same four targets, 300 cases each, with the seed in the test's name
// (WFA_FUZZ_SEED repeats it). Also: the checks catch what they are there for.
// A fixed seed unless WFA_FUZZ_SEED says otherwise: npm test checks the same
// cases every run, and new ones are the job of `npm run reliability -- fuzz`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NativeError } from '../../../native/errors.ts';
import { fuzzCardAnswers, recordCardAnswers } from '../../../reliability/lib/fuzz-card.ts';
import { fuzzFiles } from '../../../reliability/lib/fuzz-files.ts';
import { fuzzIpc } from '../../../reliability/lib/fuzz-ipc.ts';
import { type FuzzResult, fuzzSeed, runFuzz } from '../../../reliability/lib/fuzz-run.ts';
import { fuzzScepAnswers, recordScepAnswers } from '../../../reliability/lib/fuzz-scep.ts';

const seed = process.env['WFA_FUZZ_SEED'] ? fuzzSeed() : 20_261_126;
const runs = 300;

function expectOnlyTypedErrors(r: FuzzResult): void {
  expect(r.examples, r.target).toEqual([]);
  expect(r.tried).toBe(runs);
  // More than one kind of ending: the cases get past the first check.
  expect(Object.keys(r.outcomes).length, `${r.target}: ${JSON.stringify(r.outcomes)}`).toBeGreaterThan(1);
}

describe(`fuzzing, sampled: ${runs} cases per target give only typed errors (WFA_FUZZ_SEED=${seed})`, { timeout: 120_000 }, () => {
  it('card answers, real (5.4.3 and 4.3.7) and mutated, through the PIV parsers', async () => {
    expectOnlyTypedErrors(await fuzzCardAnswers({ seed, runs, recordings: await recordCardAnswers(['yk5.4.3', 'yk4.3.7']) }));
  });

  it('SCEP answers, real and mutated, through the SCEP client', async () => {
    const material = await recordScepAnswers();
    try {
      expectOnlyTypedErrors(await fuzzScepAnswers({ seed, runs, material }));
    } finally {
      await material.stop();
    }
  });

  it('IPC payloads through every channel', async () => {
    expectOnlyTypedErrors(await fuzzIpc({ seed, runs }));
  });

  it('policy files and stores through their loaders, nothing overwritten', async () => {
    expectOnlyTypedErrors(await fuzzFiles({ seed, runs }));
  });
});

describe('the fuzz runner', () => {
  it('counts and describes a case that escapes with an untyped error, and goes on', async () => {
    const result = await runFuzz(
      'sabotaged',
      fc.nat({ max: 9 }),
      async (n) => {
        try {
          if (n % 2 === 0) throw new TypeError(`not a typed error ${n}`);
          throw new NativeError('CARD_ERROR', { step: 'read-data' });
        } catch (e) {
          return e instanceof NativeError ? { outcome: e.code } : { problem: (e as Error).message };
        }
      },
      { seed: 1, runs: 50 },
    );
    expect(result.tried).toBe(50);
    expect(result.failed + (result.outcomes['CARD_ERROR'] ?? 0)).toBe(50);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.examples[0]).toMatch(/^case \d+: not a typed error \d$/);
  });
});
