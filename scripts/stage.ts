// `npm run e2e` and `npm run test:interop`: one of npm test's PC/SC stages on
// its own, as npm test runs it — in the test rig (private pcscds; scripts/lib/rig.ts)
// when it can run, else against the machine's pcscd — ending with one line
// `STAGE: N passed, N failed` (exit code 1 when anything failed).
// The e2e stage saves a picture of every screen in e2e/screenshots/.
import { mkdirSync } from 'node:fs';
import { RUN_DIR } from './lib/paths.ts';
import { INTEROP_RIGS, PCSC_STAGES, isPcscStage } from './lib/pcsc-stages.ts';
import { pcscStage, stopPcscdOnSignal, summarize, timed } from './lib/stages.ts';

const name = process.argv[2] ?? '';
if (!isPcscStage(name)) {
  console.error(`usage: node --import tsx scripts/stage.ts ${Object.keys(PCSC_STAGES).join('|')}`);
  process.exit(2);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopPcscdOnSignal().finally(() => process.exit(130));
  });
}
mkdirSync(RUN_DIR, { recursive: true });
const stage = await timed(() => pcscStage(name, name, { files: PCSC_STAGES[name].files(), rigs: name === 'interop' ? INTEROP_RIGS : 1 }));
console.log(`--- ${stage.name}: ${stage.failed === 0 ? 'passed' : 'FAILED'}, ${summarize(stage)}`);
for (const note of stage.notes) console.log(`    ${note}`);
console.log(`${stage.name}: ${stage.passed} passed, ${stage.failed} failed`);
process.exitCode = stage.failed === 0 ? 0 : 1;
