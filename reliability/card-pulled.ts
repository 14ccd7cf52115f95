// The key pulled at every APDU of pairing, PIN change,
// renewal and de-registration. The virtual key vanishes instead of answering
// APDU k (--fault-after k) through the rig's pcscd, under the `wfa` CLI run as
// a process. After each pull: the error says the key was removed; with the key
// back, `wfa status` says what state it is in; running the flow again (what the
// message tells the user) finishes it; the PIN tries left are what the user's
// own entries explain; the management key is the factory one or the one kept on the key.
import type { RunResult } from '../scripts/lib/exec.ts';
import { cardFacts, check, errorOf, PIN, plugIn, restoreSnapshot, status, unchangedSince, waitUntilGone } from './card-support.ts';
import { type CardFlow, checkRecovered, checkStatus, checkTries, type FlowRig, recover, runFlow, startOf, verifyDone } from './card-flows.ts';

/** How one pull ended. `completed`: the flow needed fewer than k APDUs and succeeded (the sweep is over). */
export interface PullResult {
  readonly completed: boolean;
  /** The error code the flow ended with (or "ok"), and what recovery did. */
  readonly detail: string;
}

/** The removal sentence of native/pcsc/pcsc-errors.ts. */
const REMOVED = /The security key was removed or stopped answering while .*\. Plug it in again and retry\./;

/** One case: the key vanishes at APDU `k` of `flow`. */
export async function pullAt(flow: CardFlow, rig: FlowRig, k: number): Promise<PullResult> {
  const where = `${flow}, key pulled at APDU ${k}`;
  restoreSnapshot(startOf(flow, rig), rig.work);
  const before = cardFacts(rig.work.cardState);
  const faulty = await plugIn(rig.work.cardState, rig.serial, k);
  let result: RunResult;
  let pulled: boolean;
  try {
    result = await runFlow(flow, rig);
    // The key's process ends at once when it vanishes; give its exit a moment to be seen.
    pulled = await Promise.race([
      faulty.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), result.code === 0 ? 1_000 : 5_000)),
    ]);
  } finally {
    await faulty.stop();
  }
  if (!pulled) {
    check(result.code === 0, `${where}: the flow failed without the key being pulled:\n${result.stdout}${result.stderr}`);
    return { completed: true, detail: 'ok' };
  }
  await waitUntilGone();
  const facts = cardFacts(rig.work.cardState);
  checkTries(flow, facts, where);
  check(facts.managementKey !== 'unknown', `${where}: the management key is neither the factory one nor the one kept on the key`);
  if (result.code === 0) {
    // Pulled after the flow's last necessary APDU (a best-effort read after it): the flow is done.
    const key = await plugIn(rig.work.cardState, rig.serial);
    try {
      await verifyDone(flow, rig, where);
    } finally {
      await key.stop();
    }
    return { completed: false, detail: 'succeeded (pulled after the change)' };
  }
  check(result.code === 3, `${where}: wfa exited ${result.code} (expected 3, an error to act on):\n${result.stdout}${result.stderr}`);
  const error = errorOf(result);
  if (error.code === 'NO_KEY') {
    // Pulled while the key is being looked for, before the flow touched it: simply not plugged in.
    check(JSON.stringify(facts) === JSON.stringify(before), `${where}: NO_KEY, but the key had changed: ${JSON.stringify(facts)}`);
  } else {
    check(error.code === 'CARD_REMOVED', `${where}: ${error.code} (expected CARD_REMOVED): ${error.message}`);
    check(REMOVED.test(error.message), `${where}: the message does not say the key was removed: ${error.message}`);
    if (flow === 'renewal')
      check(/can still sign in/.test(error.message), `${where}: the renewal error does not say the user can still sign in: ${error.message}`);
  }

  if (unchangedSince(startOf(flow, rig), rig.work)) return { completed: false, detail: `${error.code}, nothing changed` };
  // The user retries as told, with the PIN they know: a PIN changed behind a failure would cost them a try.
  if (flow === 'pin-change') check(facts.pin === PIN, `${where}: wfa said the change failed, but the key already has the new PIN`);
  const key = await plugIn(rig.work.cardState, rig.serial);
  try {
    const state = checkStatus(flow, await status(rig.work.dataDir), facts, rig, where);
    const how = await recover(flow, rig, facts, where);
    checkRecovered(flow, rig, where);
    return { completed: false, detail: `${error.code}, status "${state}", ${how}` };
  } finally {
    await key.stop();
  }
}
