// `pcscd-and-sharing`: pcscd restarted while the app is
// idle and at sampled APDUs of every flow; the reader held by another program;
// two `wfa` processes at once on one key, rounds at several offsets. Runs in the rig:
//   npm run rig -- node --import tsx reliability/pcscd-and-sharing.pcsc.suite.ts
import { rmSync } from 'node:fs';
import { printSuiteReport } from '../scripts/lib/reliability-protocol.ts';
import { CARD_FLOWS, flowCommand, prepareFlowRig, startOf } from './card-flows.ts';
import { type CaseOutcome, plugInHere, progress, restoreSnapshot, runCase, scratchFolder, summarise, wfa } from './card-support.ts';
import { readerHeld, RestartablePcscd, restartMidFlow, restartWhileIdle, twoProcesses } from './pcscd-and-sharing.ts';

/** Points per flow at which pcscd is stopped, spread over the flow's APDUs. */
const MID_FLOW_POINTS = 8;
const TWO_PROCESS_ROUNDS = 15;

const pcscd = await RestartablePcscd.start();
const folder = scratchFolder('pcscd-and-sharing');
const outcomes: CaseOutcome[] = [];
const record = (outcome: CaseOutcome): void => {
  outcomes.push(outcome);
  progress(`${outcome.ok ? 'ok  ' : 'FAIL'} ${outcome.name}: ${outcome.detail}`);
};
try {
  const rig = await prepareFlowRig(folder, 21_300_003);
  record(await runCase('pcscd restarted while idle', () => restartWhileIdle(pcscd, rig)));
  for (const flow of CARD_FLOWS) {
    // The flow's APDU count, from one undisturbed run.
    restoreSnapshot(startOf(flow, rig), rig.work);
    const key = await plugInHere(rig.work.cardState);
    const { args, input } = flowCommand(flow, rig);
    const clean = await wfa(args, input);
    const count = key.apdus();
    await key.unplug();
    if (clean.code !== 0) throw new Error(`${flow} fails undisturbed:\n${clean.stdout}${clean.stderr}`);
    for (let i = 1; i <= MID_FLOW_POINTS; i++) {
      const k = Math.max(1, Math.round((count * i) / (MID_FLOW_POINTS + 1)));
      record(await runCase(`pcscd stopped at ${flow} APDU ${k}/${count}`, async () => (await restartMidFlow(pcscd, flow, rig, k)).detail));
    }
  }
  record(await runCase('reader held by another program', () => readerHeld(rig)));
  for (let round = 0; round < TWO_PROCESS_ROUNDS; round++) {
    const offset = (round * 37) % 400;
    record(await runCase(`two processes, round ${round + 1} (+${offset} ms)`, () => twoProcesses(rig, round, offset)));
  }
} catch (e) {
  record({ name: 'setup', ok: false, detail: e instanceof Error ? (e.stack ?? e.message) : String(e) });
} finally {
  await pcscd.stop();
  rmSync(folder, { recursive: true, force: true });
}
const summary = summarise(
  'pcscd-and-sharing',
  outcomes,
  `1 idle restart, ${MID_FLOW_POINTS} mid-flow restarts per flow, reader held, ${TWO_PROCESS_ROUNDS} two-process rounds`,
);
printSuiteReport(summary);
