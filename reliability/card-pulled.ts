// Suite 1 (issue 13): the key pulled at every APDU of pairing, PIN change,
// renewal and de-registration. The virtual key vanishes instead of answering
// APDU k (--fault-after k) through the rig's pcscd, under the `wfa` CLI run as
// a process. After each pull: the error says the key was removed; with the key
// back, `wfa status` says what state it is in; running the flow again finishes
// it; the PIN tries left are what the user's own entries explain; the
// management key is the factory one or the one kept on the key.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../scripts/lib/exec.ts';
import { saveStateFile } from '../native/virtual-yubikey/state-file.ts';
import { factoryState } from '../scripts/lib/virtual-key.ts';
import {
  type CardFacts,
  cardFacts,
  check,
  errorOf,
  expectOk,
  NEW_PIN,
  PIN,
  plugIn,
  PROFILE,
  restoreSnapshot,
  saveSnapshot,
  type Snapshot,
  status,
  type StatusView,
  USER,
  waitUntilGone,
  wfa,
  writePolicy,
} from './card-support.ts';

export const PULLED_FLOWS = ['pairing', 'pin-change', 'renewal', 'de-registration'] as const;
export type PulledFlow = (typeof PULLED_FLOWS)[number];

/** The key and folders one sweep works with. */
export interface PulledRig {
  readonly serial: number;
  /** Where each case runs: replaced from a snapshot before it. */
  readonly work: Snapshot;
  /** A factory key and a data folder whose local CA exists (made by a first pairing). */
  readonly unpaired: Snapshot;
  /** The same key paired (PIN `PIN`, certificates valid 5 days). */
  readonly paired: Snapshot;
  /** Policies: pairing issues 5-day certificates, renewal 20-day ones. */
  readonly shortPolicy: string;
  readonly renewPolicy: string;
}

const DEFAULT_PIN = '123456';

/** Pairs a fresh key once (making the local CA), resets it, and saves both states to start cases from. */
export async function preparePulledRig(folder: string, serial: number): Promise<PulledRig> {
  const work = { cardState: join(folder, 'work', 'card-state.json'), dataDir: join(folder, 'work', 'data') };
  const shortPolicy = writePolicy(folder, 'short.json', 5);
  const renewPolicy = writePolicy(folder, 'renew.json', 20);
  mkdirSync(work.dataDir, { recursive: true });
  saveStateFile(work.cardState, factoryState(PROFILE, serial));
  const key = await plugIn(work.cardState, serial);
  try {
    expectOk(await wfa(['pair', '--default-pin', '--data-dir', work.dataDir, '--config', shortPolicy, '--user', USER, '--json'], `${PIN}\n`), 'preparing: wfa pair');
    expectOk(await wfa(['deregister', '--yes', '--data-dir', work.dataDir, '--json']), 'preparing: wfa deregister');
    const unpaired = saveSnapshot(work, join(folder, 'unpaired'));
    expectOk(await wfa(['pair', '--default-pin', '--data-dir', work.dataDir, '--config', shortPolicy, '--user', USER, '--json'], `${PIN}\n`), 'preparing: wfa pair');
    const paired = saveSnapshot(work, join(folder, 'paired'));
    return { serial, work, unpaired, paired, shortPolicy, renewPolicy };
  } finally {
    await key.stop();
  }
}

/** How one pull ended. `completed`: the flow needed fewer than k APDUs and succeeded (the sweep is over). */
export interface PullResult {
  readonly completed: boolean;
  /** The error code the flow ended with (or "ok"), and what recovery did. */
  readonly detail: string;
}

/** The flow as the user runs it, on the work folder. */
function runFlow(flow: PulledFlow, rig: PulledRig): Promise<RunResult> {
  const dataDir = ['--data-dir', rig.work.dataDir];
  switch (flow) {
    case 'pairing':
      return wfa(['pair', '--default-pin', ...dataDir, '--config', rig.shortPolicy, '--user', USER, '--json'], `${PIN}\n`);
    case 'pin-change':
      return wfa(['change-pin', ...dataDir, '--json'], `${PIN}\n${NEW_PIN}\n`);
    case 'renewal':
      return wfa(['renew', ...dataDir, '--config', rig.renewPolicy, '--user', USER, '--json'], `${PIN}\n`);
    case 'de-registration':
      return wfa(['deregister', '--yes', ...dataDir, '--json']);
  }
}

const startOf = (flow: PulledFlow, rig: PulledRig): Snapshot => (flow === 'pairing' ? rig.unpaired : rig.paired);

/** The removal sentence of native/pcsc/pcsc-errors.ts. */
const REMOVED = /The security key was removed or stopped answering while .*\. Plug it in again and retry\./;

/**
 * What the user's own entries explain: every PIN they typed was right, so all
 * tries are left; only de-registration blocks PIN and PUK on purpose (the reset needs it).
 */
function checkTries(flow: PulledFlow, facts: CardFacts, where: string): void {
  if (flow === 'de-registration') return;
  check(facts.pinRetriesLeft === 3, `${where}: ${facts.pinRetriesLeft} PIN tries left, though every PIN entered was right`);
  check(facts.pukRetriesLeft === 3, `${where}: ${facts.pukRetriesLeft} PUK tries left, though no PUK was entered`);
}

/** `wfa status` names the key and says what state the pairing is in, as the key explains it. */
function checkStatus(flow: PulledFlow, st: StatusView, facts: CardFacts, rig: PulledRig, where: string): string {
  const key = st.keys.find((k) => k.serial === rig.serial);
  check(key !== undefined, `${where}: wfa status does not list key ${rig.serial}: ${JSON.stringify(st)}`);
  check(key.pinRetries === facts.pinRetriesLeft, `${where}: wfa status says ${key.pinRetries} PIN tries, the key has ${facts.pinRetriesLeft}`);
  const pairing = st.pairing;
  switch (flow) {
    case 'pairing':
      if (facts.pin === DEFAULT_PIN) {
        // Nothing the user chose is on the key: no pairing, or one journaled before the key changed.
        check(pairing === null || pairing.pending === 'checking-key', `${where}: the key still has the factory PIN, but wfa status shows ${JSON.stringify(pairing)}`);
        return pairing === null ? 'none' : 'not begun';
      }
      check(pairing !== null && pairing.certificate === null && pairing.pending !== null, `${where}: the key has the new PIN but wfa status shows no unfinished pairing: ${JSON.stringify(pairing)}`);
      check(st.problems.some((p) => p.code === 'PAIRING_INTERRUPTED'), `${where}: wfa status lists no PAIRING_INTERRUPTED problem: ${JSON.stringify(st.problems)}`);
      return `unfinished after ${pairing.pending}`;
    case 'pin-change':
    case 'renewal':
      check(pairing !== null && pairing.serial === rig.serial && pairing.certificate !== null && pairing.pending === null, `${where}: the pairing is not intact: ${JSON.stringify(pairing)}`);
      return 'paired';
    case 'de-registration':
      if (facts.pinRetriesLeft === 0) check(st.problems.some((p) => p.code === 'SMART_CARD_BLOCKED'), `${where}: PIN blocked, but wfa status lists no SMART_CARD_BLOCKED: ${JSON.stringify(st.problems)}`);
      check(pairing !== null || !facts.has9a, `${where}: the pairing record is gone but the key still holds its key pair`);
      return pairing === null ? 'record removed' : facts.pinRetriesLeft === 0 ? 'paired, PIN blocked' : 'paired';
  }
}

/** Runs the flow again (what the message tells the user), then checks the key works as the flow promised. */
async function recover(flow: PulledFlow, rig: PulledRig, facts: CardFacts, where: string): Promise<string> {
  const dataDir = ['--data-dir', rig.work.dataDir];
  switch (flow) {
    case 'pairing': {
      // `wfa pair` finishes an interrupted pairing (asking for the PIN chosen) or starts afresh: the same stdin.
      const again = await runFlow(flow, rig);
      expectOk(again, `${where}: wfa pair again`);
      expectOk(await wfa(['check', ...dataDir, '--json'], `${PIN}\n`), `${where}: wfa check after pairing again`);
      return again.stderr.includes('was interrupted') ? 'resumed' : 'paired afresh';
    }
    case 'pin-change': {
      // The user retries as told, with the PIN they know: a PIN changed behind a failure would cost them a try.
      check(facts.pin === PIN, `${where}: wfa said the change failed, but the key already has the new PIN`);
      expectOk(await runFlow(flow, rig), `${where}: wfa change-pin again`);
      expectOk(await wfa(['check', ...dataDir, '--json'], `${NEW_PIN}\n`), `${where}: wfa check with the new PIN`);
      return 'changed again';
    }
    case 'renewal': {
      expectOk(await wfa(['check', ...dataDir, '--json'], `${PIN}\n`), `${where}: wfa check before renewing again (the user can still sign in)`);
      expectOk(await runFlow(flow, rig), `${where}: wfa renew again`);
      expectOk(await wfa(['check', ...dataDir, '--json'], `${PIN}\n`), `${where}: wfa check after renewing`);
      return 'renewed again';
    }
    case 'de-registration': {
      expectOk(await runFlow(flow, rig), `${where}: wfa deregister again`);
      const after = cardFacts(rig.work.cardState);
      check(after.pin === DEFAULT_PIN && after.pinRetriesLeft === 3 && after.managementKey === 'default' && !after.has9a, `${where}: the key is not factory-fresh after de-registering again: ${JSON.stringify(after)}`);
      const st = await status(rig.work.dataDir);
      check(st.pairing === null, `${where}: the pairing is still recorded after de-registering again`);
      return 'reset again';
    }
  }
}

/** The flow's promise once it said it succeeded: the key works as it should. */
async function verifyDone(flow: PulledFlow, rig: PulledRig, where: string): Promise<void> {
  const dataDir = ['--data-dir', rig.work.dataDir];
  if (flow === 'de-registration') {
    const after = cardFacts(rig.work.cardState);
    check(after.pin === DEFAULT_PIN && after.managementKey === 'default' && !after.has9a, `${where}: de-registration succeeded but the key is not factory-fresh: ${JSON.stringify(after)}`);
    check((await status(rig.work.dataDir)).pairing === null, `${where}: de-registration succeeded but the pairing is still recorded`);
    return;
  }
  expectOk(await wfa(['check', ...dataDir, '--json'], `${flow === 'pin-change' ? NEW_PIN : PIN}\n`), `${where}: wfa check after the flow succeeded`);
}

/** One case: the key vanishes at APDU `k` of `flow`. */
export async function pullAt(flow: PulledFlow, rig: PulledRig, k: number): Promise<PullResult> {
  const where = `${flow}, key pulled at APDU ${k}`;
  restoreSnapshot(startOf(flow, rig), rig.work);
  const before = cardFacts(rig.work.cardState);
  const faulty = await plugIn(rig.work.cardState, rig.serial, k);
  let result: RunResult;
  let pulled: boolean;
  try {
    result = await runFlow(flow, rig);
    // The key's process ends at once when it vanishes; give its exit a moment to be seen.
    pulled = await Promise.race([faulty.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), result.code === 0 ? 1_000 : 5_000))]);
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
    if (flow === 'renewal') check(/can still sign in/.test(error.message), `${where}: the renewal error does not say the user can still sign in: ${error.message}`);
  }

  const key = await plugIn(rig.work.cardState, rig.serial);
  try {
    const state = checkStatus(flow, await status(rig.work.dataDir), facts, rig, where);
    const how = await recover(flow, rig, facts, where);
    const after = cardFacts(rig.work.cardState);
    check(after.managementKey !== 'unknown', `${where}: after recovery the management key is unknown`);
    if (flow !== 'de-registration') check(after.pinRetriesLeft === 3 && after.managementKey === 'protected' && after.certificate9a, `${where}: after recovery the key is not paired as promised: ${JSON.stringify(after)}`);
    return { completed: false, detail: `${error.code}, status "${state}", ${how}` };
  } finally {
    await key.stop();
  }
}
