// `npm test` (after scripts/setup.sh): every stage in order — lint, type-check,
// unit, renderer, interop, e2e, package — going on after a failing one, and ending with exactly
// one line `tests: N passed, N failed` (what CI and people read). Lint and
// type-check count as one test each; vitest stages count their tests. The
// stages that need PC/SC run in the test rig (scripts/lib/rig.ts): private
// pcscds, several at once for interop; each stage prints its time.
import { mkdirSync } from 'node:fs';
import { RUN_DIR } from './lib/paths.ts';
import { INTEROP_RIGS, PCSC_STAGES } from './lib/pcsc-stages.ts';
import { banner, commandStage, pcscStage, startCommandStage, type StageResult, stopPcscdOnSignal, summarize, timed, vitestStage } from './lib/stages.ts';

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopPcscdOnSignal().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  mkdirSync(RUN_DIR, { recursive: true });
  const stages: StageResult[] = [];
  const record = (stage: StageResult): void => {
    stages.push(stage);
    console.log(`--- ${stage.name}: ${stage.failed === 0 ? 'passed' : 'FAILED'}, ${summarize(stage)}`);
    for (const note of stage.notes) console.log(`    ${note}`);
  };

  // Lint and type-check run at once (one core each), and are printed one after the other.
  const lint = startCommandStage('lint', 'npm', ['run', 'lint']);
  const typecheck = startCommandStage('typecheck', 'npm', ['run', 'typecheck']);
  record(await lint.print());
  record(await typecheck.print());
  record(await timed(() => vitestStage('unit', 'unit')));
  // The renderer's component tests (React in jsdom against a fake window.wfa).
  record(await timed(() => vitestStage('renderer', 'renderer')));
  record(await timed(() => pcscStage('interop', 'interop', { files: PCSC_STAGES.interop.files(), rigs: INTEROP_RIGS })));
  // Whole flows in Debian's Chromium through the web shell (needs the renderer built by setup.sh).
  record(await timed(() => pcscStage('e2e', 'e2e', { files: PCSC_STAGES.e2e.files() })));
  // The packaged app: electron-builder around a stand-in Electron, then what the package holds.
  record(await timed(() => commandStage('package', 'npm', ['run', '--silent', 'package:verify'])));

  const passed = stages.reduce((n, s) => n + s.passed, 0);
  const failed = stages.reduce((n, s) => n + s.failed, 0);
  banner('summary');
  for (const stage of stages) console.log(`  ${stage.name.padEnd(10)} ${summarize(stage)}`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
