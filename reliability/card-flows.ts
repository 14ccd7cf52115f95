// The four flows the card-side reliability suites disturb: pairing,
// PIN change, renewal and de-registration, each run as the user runs it with
// the `wfa` CLI, from a saved key and data folder; and what must hold after a
// disturbance: the PIN tries the user's own entries explain, `wfa status`
// telling the state the key is in, and the flow's promise once it succeeded.
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
  saveSnapshot,
  type Snapshot,
  status,
  type StatusView,
  USER,
  wfa,
  writePolicy,
} from './card-support.ts';

export const CARD_FLOWS = ['pairing', 'pin-change', 'renewal', 'de-registration'] as const;
export type CardFlow = (typeof CARD_FLOWS)[number];

/** The key and folders one sweep works with. */
export interface FlowRig {
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

export const DEFAULT_PIN = '123456';

/** Pairs a fresh key once (making the local CA), resets it, and saves both states to start cases from. */
export async function prepareFlowRig(folder: string, serial: number): Promise<FlowRig> {
  const work = { cardState: join(folder, 'work', 'card-state.json'), dataDir: join(folder, 'work', 'data') };
  const shortPolicy = writePolicy(folder, 'short.json', 5);
  const renewPolicy = writePolicy(folder, 'renew.json', 20);
  mkdirSync(work.dataDir, { recursive: true });
  saveStateFile(work.cardState, factoryState(PROFILE, serial));
  const key = await plugIn(work.cardState, serial);
  try {
    expectOk(
      await wfa(['pair', '--default-pin', '--data-dir', work.dataDir, '--config', shortPolicy, '--user', USER, '--json'], `${PIN}\n`),
      'preparing: wfa pair',
    );
    expectOk(await wfa(['deregister', '--yes', '--data-dir', work.dataDir, '--json']), 'preparing: wfa deregister');
    const unpaired = saveSnapshot(work, join(folder, 'unpaired'));
    expectOk(
      await wfa(['pair', '--default-pin', '--data-dir', work.dataDir, '--config', shortPolicy, '--user', USER, '--json'], `${PIN}\n`),
      'preparing: wfa pair',
    );
    const paired = saveSnapshot(work, join(folder, 'paired'));
    return { serial, work, unpaired, paired, shortPolicy, renewPolicy };
  } finally {
    await key.stop();
  }
}

/** The flow as the user runs it on the work folder: `wfa` arguments and what the user types. */
export function flowCommand(flow: CardFlow, rig: FlowRig): { readonly args: string[]; readonly input: string } {
  const dataDir = ['--data-dir', rig.work.dataDir];
  switch (flow) {
    case 'pairing':
      return { args: ['pair', '--default-pin', ...dataDir, '--config', rig.shortPolicy, '--user', USER, '--json'], input: `${PIN}\n` };
    case 'pin-change':
      return { args: ['change-pin', ...dataDir, '--json'], input: `${PIN}\n${NEW_PIN}\n` };
    case 'renewal':
      return { args: ['renew', ...dataDir, '--config', rig.renewPolicy, '--user', USER, '--json'], input: `${PIN}\n` };
    case 'de-registration':
      return { args: ['deregister', '--yes', ...dataDir, '--json'], input: '' };
  }
}

export function runFlow(flow: CardFlow, rig: FlowRig): Promise<RunResult> {
  const { args, input } = flowCommand(flow, rig);
  return wfa(args, input);
}

export const startOf = (flow: CardFlow, rig: FlowRig): Snapshot => (flow === 'pairing' ? rig.unpaired : rig.paired);

/**
 * What the user's own entries explain: every PIN they typed was right, so all
 * tries are left; only de-registration blocks PIN and PUK on purpose (the reset needs it).
 */
export function checkTries(flow: CardFlow, facts: CardFacts, where: string): void {
  if (flow === 'de-registration') return;
  check(facts.pinRetriesLeft === 3, `${where}: ${facts.pinRetriesLeft} PIN tries left, though every PIN entered was right`);
  check(facts.pukRetriesLeft === 3, `${where}: ${facts.pukRetriesLeft} PUK tries left, though no PUK was entered`);
}

/** `wfa status` names the key and says what state the pairing is in, as the key explains it. */
export function checkStatus(flow: CardFlow, st: StatusView, facts: CardFacts, rig: FlowRig, where: string): string {
  const key = st.keys.find((k) => k.serial === rig.serial);
  check(key !== undefined, `${where}: wfa status does not list key ${rig.serial}: ${JSON.stringify(st)}`);
  check(key.pinRetries === facts.pinRetriesLeft, `${where}: wfa status says ${key.pinRetries} PIN tries, the key has ${facts.pinRetriesLeft}`);
  const pairing = st.pairing;
  switch (flow) {
    case 'pairing': {
      const interrupted = st.problems.some((p) => p.code === 'PAIRING_INTERRUPTED');
      if (facts.pin === DEFAULT_PIN) {
        // Nothing the user chose is on the key: no pairing (one journaled while the PIN was being set is a problem to explain).
        check(pairing === null, `${where}: the key still has the factory PIN, but wfa status shows ${JSON.stringify(pairing)}`);
        return interrupted ? 'interrupted while setting the PIN' : 'none';
      }
      // The new PIN is on the key: the pairing finished (interrupted in what came after), a pairing to finish,
      // or (interrupted while the PIN was set) a problem that says so.
      if (pairing !== null && pairing.certificate !== null && pairing.pending === null) return 'paired';
      if (pairing === null) {
        check(
          interrupted,
          `${where}: the key has the new PIN but wfa status shows neither an unfinished pairing nor PAIRING_INTERRUPTED: ${JSON.stringify(st)}`,
        );
        return 'interrupted while setting the PIN';
      }
      check(
        pairing.certificate === null && pairing.pending !== null,
        `${where}: the key has the new PIN but wfa status shows no unfinished pairing: ${JSON.stringify(pairing)}`,
      );
      return `unfinished after ${pairing.pending}`;
    }
    case 'pin-change':
    case 'renewal':
      check(
        pairing !== null && pairing.serial === rig.serial && pairing.certificate !== null && pairing.pending === null,
        `${where}: the pairing is not intact: ${JSON.stringify(pairing)}`,
      );
      return 'paired';
    case 'de-registration':
      if (facts.pinRetriesLeft === 0)
        check(
          st.problems.some((p) => p.code === 'SMART_CARD_BLOCKED'),
          `${where}: PIN blocked, but wfa status lists no SMART_CARD_BLOCKED: ${JSON.stringify(st.problems)}`,
        );
      check(pairing !== null || !facts.has9a, `${where}: the pairing record is gone but the key still holds its key pair`);
      return pairing === null ? 'record removed' : facts.pinRetriesLeft === 0 ? 'paired, PIN blocked' : 'paired';
  }
}

/** After a recovery: the key's management key is known and, but after a de-registration, the key is paired with all its PIN tries. */
export function checkRecovered(flow: CardFlow, rig: FlowRig, where: string): void {
  const after = cardFacts(rig.work.cardState);
  check(after.managementKey !== 'unknown', `${where}: after recovery the management key is unknown`);
  if (flow !== 'de-registration')
    check(
      after.pinRetriesLeft === 3 && after.managementKey === 'protected' && after.certificate9a,
      `${where}: after recovery the key is not paired as promised: ${JSON.stringify(after)}`,
    );
}

/** Runs the flow again (what the message tells the user), then checks the key works as the flow promised. */
export async function recover(flow: CardFlow, rig: FlowRig, facts: CardFacts, where: string): Promise<string> {
  const dataDir = ['--data-dir', rig.work.dataDir];
  switch (flow) {
    case 'pairing': {
      if ((await status(rig.work.dataDir)).pairing?.certificate) {
        expectOk(await wfa(['check', ...dataDir, '--json'], `${PIN}\n`), `${where}: wfa check of the finished pairing`);
        return 'finished before';
      }
      // `wfa pair` finishes an interrupted pairing (asking for the PIN chosen) or starts afresh: the same stdin.
      let again = await runFlow(flow, rig);
      let how = again.stderr.includes('was interrupted') ? 'resumed' : 'paired afresh';
      if (again.code !== 0 && errorOf(again).code === 'PAIRING_INTERRUPTED') {
        // The key says its PIN is no longer the factory one: the next `wfa pair` finishes with the PIN chosen.
        again = await runFlow(flow, rig);
        how = 'told PAIRING_INTERRUPTED, then resumed';
      }
      expectOk(again, `${where}: wfa pair again`);
      expectOk(await wfa(['check', ...dataDir, '--json'], `${PIN}\n`), `${where}: wfa check after pairing again`);
      return how;
    }
    case 'pin-change': {
      if (facts.pin === PIN) expectOk(await runFlow(flow, rig), `${where}: wfa change-pin again`);
      else check(facts.pin === NEW_PIN, `${where}: the key's PIN is neither the old nor the new one`);
      expectOk(await wfa(['check', ...dataDir, '--json'], `${NEW_PIN}\n`), `${where}: wfa check with the new PIN`);
      return facts.pin === PIN ? 'changed again' : 'already changed';
    }
    case 'renewal': {
      expectOk(await wfa(['check', ...dataDir, '--json'], `${PIN}\n`), `${where}: wfa check before renewing again (the user can still sign in)`);
      expectOk(await runFlow(flow, rig), `${where}: wfa renew again`);
      expectOk(await wfa(['check', ...dataDir, '--json'], `${PIN}\n`), `${where}: wfa check after renewing`);
      return 'renewed again';
    }
    case 'de-registration': {
      if ((await status(rig.work.dataDir)).pairing === null) {
        // Interrupted after the reset and the record's removal (in the reads after them): nothing left to do.
        await verifyDone(flow, rig, where);
        return 'finished before';
      }
      expectOk(await runFlow(flow, rig), `${where}: wfa deregister again`);
      const after = cardFacts(rig.work.cardState);
      check(
        after.pin === DEFAULT_PIN && after.pinRetriesLeft === 3 && after.managementKey === 'default' && !after.has9a,
        `${where}: the key is not factory-fresh after de-registering again: ${JSON.stringify(after)}`,
      );
      const st = await status(rig.work.dataDir);
      check(st.pairing === null, `${where}: the pairing is still recorded after de-registering again`);
      return 'reset again';
    }
  }
}

/** The flow's promise once it said it succeeded: the key works as it should. */
export async function verifyDone(flow: CardFlow, rig: FlowRig, where: string): Promise<void> {
  const dataDir = ['--data-dir', rig.work.dataDir];
  if (flow === 'de-registration') {
    const after = cardFacts(rig.work.cardState);
    check(
      after.pin === DEFAULT_PIN && after.managementKey === 'default' && !after.has9a,
      `${where}: de-registration succeeded but the key is not factory-fresh: ${JSON.stringify(after)}`,
    );
    check((await status(rig.work.dataDir)).pairing === null, `${where}: de-registration succeeded but the pairing is still recorded`);
    return;
  }
  expectOk(await wfa(['check', ...dataDir, '--json'], `${flow === 'pin-change' ? NEW_PIN : PIN}\n`), `${where}: wfa check after the flow succeeded`);
}
