// The sweep both card-side suites run (card pulled, app killed): for each flow,
// k = 1, 2, … until the flow needs fewer than k APDUs and simply succeeds;
// pcscd is the rig's own. Prints each case on stderr and the RELIABILITY line last.
import { rmSync } from 'node:fs';
import { ensurePcscd } from '../scripts/lib/pcscd.ts';
import { printSuiteReport } from '../scripts/lib/reliability-protocol.ts';
import { type CaseOutcome, progress, runCase, scratchFolder, summarise } from './card-support.ts';
import { CARD_FLOWS, type CardFlow, type FlowRig, prepareFlowRig } from './card-flows.ts';

/** More APDUs than any flow sends: a sweep that gets here never completed. */
const MAX_K = 400;

export type CaseAt = (flow: CardFlow, rig: FlowRig, k: number) => Promise<{ readonly completed: boolean; readonly detail: string }>;

/** Runs the sweep of `suite` over the flows named in argv (all when none), and sets the exit code. */
export async function runFlowSweep(suite: string, serial: number, caseAt: CaseAt, argv: readonly string[]): Promise<void> {
  const flows = argv.length === 0 ? CARD_FLOWS : CARD_FLOWS.filter((f) => argv.includes(f));
  const pcscd = await ensurePcscd();
  const folder = scratchFolder(suite);
  const outcomes: CaseOutcome[] = [];
  const counts: string[] = [];
  try {
    const rig = await prepareFlowRig(folder, serial);
    for (const flow of flows) {
      const started = Date.now();
      let completedAt: number | undefined;
      for (let k = 1; k <= MAX_K && completedAt === undefined; k++) {
        let completed = false;
        const outcome = await runCase(`${flow} k=${k}`, async () => {
          const r = await caseAt(flow, rig, k);
          completed = r.completed;
          return r.detail;
        });
        if (completed) completedAt = k;
        else outcomes.push(outcome);
        progress(`${outcome.ok ? 'ok  ' : 'FAIL'} ${outcome.name}: ${outcome.detail}`);
      }
      const apdus = completedAt === undefined ? `>${MAX_K}` : String(completedAt - 1);
      counts.push(`${flow} ${apdus} APDUs`);
      progress(`${suite}: ${flow}: ${apdus} cases in ${Math.round((Date.now() - started) / 1000)} s`);
      if (completedAt === undefined) outcomes.push({ name: `${flow} completes`, ok: false, detail: `still failing at k=${MAX_K}` });
    }
  } catch (e) {
    outcomes.push({ name: 'setup', ok: false, detail: e instanceof Error ? e.message : String(e) });
    progress(`FAIL setup: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    await pcscd.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  const summary = summarise(suite, outcomes, counts.join(', '));
  printSuiteReport(summary);
}
