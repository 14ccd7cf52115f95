// Enrollment faults. Pairing against a SCEP service that
// is down, very slow, answers 500 or garbage, is another CA, or brings a
// forged RA: each gives its documented error, and nothing is written to the
// key (reliability/lib/enrollment-faults.ts).
import { printSuiteReport } from '../scripts/lib/reliability-protocol.ts';
import { makeAuthorities, runScenario, SCENARIOS } from './lib/enrollment-faults.ts';

const started = Date.now();
const authorities = await makeAuthorities();
let passed = 0;
for (const scenario of SCENARIOS) {
  const outcome = await runScenario(scenario, authorities);
  if (outcome.passed) passed++;
  console.error(`${outcome.passed ? 'ok    ' : 'FAILED'} ${scenario.name} → ${outcome.found.slice(0, 240)}`);
}
printSuiteReport({
  suite: 'enrollment-faults',
  tried: SCENARIOS.length,
  passed,
  failed: SCENARIOS.length - passed,
  note: `SCEP faults through pairing on the in-process virtual key; ${Math.round((Date.now() - started) / 1000)} s`,
});
