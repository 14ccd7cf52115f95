// The sampled part of the enrollment-faults suite (reliability/enrollment-faults.suite.ts):
// four of its SCEP faults through pairing, each with its documented error and
// nothing written to the key.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAuthorities, runScenario, SCENARIOS } from '../../../reliability/lib/enrollment-faults.ts';

const SAMPLED = ['SCEP server down (nothing listens)', 'HTTP 500 to PKIOperation', 'garbage GetCACert', 'answer signed by a forged RA'];
let authorities: Awaited<ReturnType<typeof makeAuthorities>>;

beforeAll(async () => {
  authorities = await makeAuthorities();
}, 60_000);

describe('enrollment faults, sampled', { timeout: 60_000 }, () => {
  it.each(SCENARIOS.filter((s) => SAMPLED.includes(s.name)).map((s) => [s.name, s] as const))(
    '%s: its documented error, nothing written to the key',
    async (_, scenario) => {
      const outcome = await runScenario(scenario, authorities);
      expect(outcome.found).toMatch(new RegExp(`^${scenario.expected}: `));
      expect(outcome.passed).toBe(true);
    },
  );
});
