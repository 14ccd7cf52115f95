// Fuzzing with fast-check, 10,000 cases per target
// (WFA_FUZZ_RUNS to change), seed printed and taken from WFA_FUZZ_SEED:
// card answers through every PIV parser, SCEP answers through the SCEP
// client, IPC payloads through every channel, policy files and stores through
// their loaders. Only typed errors, the process lives, nothing overwritten.
import { printSuiteReport } from '../scripts/lib/reliability-protocol.ts';
import { fuzzAll } from './lib/fuzz-all.ts';
import { fuzzSeed, topOutcomes } from './lib/fuzz-run.ts';

const seed = fuzzSeed();
const runs = Number(process.env['WFA_FUZZ_RUNS'] ?? 10_000);
console.error(`fuzz: seed ${seed} (WFA_FUZZ_SEED=${seed} repeats the cases), ${runs} cases per target`);
const started = Date.now();
const results = await fuzzAll({ seed, runs, progressEvery: 2_000, onTarget: (name) => console.error(`fuzz: ${name}`) });
for (const r of results) {
  console.error(`fuzz: ${r.target}: ${r.tried} tried, ${r.failed} failed; ${topOutcomes(r)}`);
  for (const example of r.examples) console.error(`  FAILED ${example}`);
}
const tried = results.reduce((n, r) => n + r.tried, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
printSuiteReport({
  suite: 'fuzz',
  tried,
  passed: tried - failed,
  failed,
  note: `WFA_FUZZ_SEED=${seed}; ${results.map((r) => `${r.target} ${r.tried}${r.failed > 0 ? ` (${r.failed} failed)` : ''}`).join(', ')}; ${Math.round((Date.now() - started) / 1000)} s`,
});
