// `card-pulled` (issue 13, suite 1): for pairing, PIN change, renewal and
// de-registration, the key pulled at every APDU k from 1 until the flow needs
// fewer than k, through the rig's own pcscd. Runs inside the rig:
//   npm run rig -- node --import tsx reliability/card-pulled.pcsc.suite.ts [FLOW…]
// Prints progress on stderr and the RELIABILITY line last on stdout.
import { rmSync } from 'node:fs';
import { ensurePcscd } from '../scripts/lib/pcscd.ts';
import { type CaseOutcome, progress, reliabilityLine, runCase, scratchFolder, summarise } from './card-support.ts';
import { preparePulledRig, PULLED_FLOWS, type PulledFlow, pullAt } from './card-pulled.ts';

/** More APDUs than any flow sends: a sweep that gets here never completed. */
const MAX_K = 400;

const asked = process.argv.slice(2);
const flows = asked.length === 0 ? PULLED_FLOWS : PULLED_FLOWS.filter((f) => asked.includes(f));
const pcscd = await ensurePcscd();
const folder = scratchFolder('card-pulled');
const outcomes: CaseOutcome[] = [];
const counts: string[] = [];
try {
  const rig = await preparePulledRig(folder, 21_300_001);
  for (const flow of flows as readonly PulledFlow[]) {
    const started = Date.now();
    let completedAt: number | undefined;
    for (let k = 1; k <= MAX_K && completedAt === undefined; k++) {
      let completed = false;
      const outcome = await runCase(`${flow} k=${k}`, async () => {
        const r = await pullAt(flow, rig, k);
        completed = r.completed;
        return r.detail;
      });
      if (completed) completedAt = k;
      else outcomes.push(outcome);
      progress(`${outcome.ok ? 'ok  ' : 'FAIL'} ${outcome.name}: ${outcome.detail}`);
    }
    const apdus = completedAt === undefined ? `>${MAX_K}` : String(completedAt - 1);
    counts.push(`${flow} ${apdus} APDUs`);
    progress(`${flow}: pulled at each of ${apdus} APDUs in ${Math.round((Date.now() - started) / 1000)} s`);
    if (completedAt === undefined) outcomes.push({ name: `${flow} completes`, ok: false, detail: `still failing at k=${MAX_K}` });
  }
} catch (e) {
  outcomes.push({ name: 'setup', ok: false, detail: e instanceof Error ? e.message : String(e) });
  progress(`FAIL setup: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
} finally {
  await pcscd.stop();
  rmSync(folder, { recursive: true, force: true });
}
const summary = summarise('card-pulled', outcomes, counts.join(', '));
console.log(reliabilityLine(summary));
process.exitCode = summary.failed === 0 ? 0 : 1;
