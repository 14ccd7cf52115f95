// Crash-safe stores. A child process writes the pairing
// store in a loop and is killed (SIGKILL) at a random moment, 200 times
// (WFA_CRASH_KILLS to change; WFA_CRASH_SEED repeats the moments): the store
// always reads back as the old or the new version.
import { printSuiteReport } from '../scripts/lib/reliability-protocol.ts';
import { runCrashStores } from './lib/crash-stores.ts';
import { fuzzSeed } from './lib/fuzz-run.ts';

const seed = fuzzSeed({ WFA_FUZZ_SEED: process.env['WFA_CRASH_SEED'] });
const kills = Number(process.env['WFA_CRASH_KILLS'] ?? 200);
console.error(`crash-safe store: seed ${seed} (WFA_CRASH_SEED=${seed}), ${kills} kills`);
const started = Date.now();
const r = await runCrashStores({ kills, seed, onProgress: (line) => console.error(line) });
for (const example of r.examples) console.error(`  FAILED ${example}`);
printSuiteReport({
  suite: 'crash-store',
  tried: r.tried,
  passed: r.tried - r.failed,
  failed: r.failed,
  note: `WFA_CRASH_SEED=${seed}; ${r.midWrite} kills inside a write, ${r.versionsWritten} versions written, ${r.tempFilesLeft} temp files left; ${Math.round((Date.now() - started) / 1000)} s`,
});
