// The app killed (SIGKILL) right after each step that
// changes the key or a store. The key carries out APDU k and holds its answer
// back (VpcdLink holdAt) while the `wfa` process that sent it is killed: every
// store write before APDU k has happened, and the key has changed as far as k.
// Then, as at the next start: `wfa status` finds the unfinished operation, the
// flow run again finishes it, the PIN tries and the management key are as the
// user's own entries explain.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { bundled } from '../scripts/lib/bundle.ts';
import { REPO_ROOT } from '../scripts/lib/paths.ts';
import { cardFacts, check, errorOf, expectOk, NEW_PIN, PIN, plugInHere, readText, restoreSnapshot, status, unchangedSince, wfa } from './card-support.ts';
import { type CardFlow, checkRecovered, checkStatus, checkTries, flowCommand, type FlowRig, recover, startOf } from './card-flows.ts';

export interface KillResult {
  /** The flow needed fewer than k APDUs and succeeded: the sweep is over. */
  readonly completed: boolean;
  readonly detail: string;
}

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/**
 * What the status tells the user after an interrupted PIN change: run the
 * sign-in check with the PIN they think it is (the new one), the other if
 * that one is refused (the right one gives the try back); then change it again
 * if it is still the old one.
 */
async function afterInterruptedPinChange(rig: FlowRig, onKey: string, where: string): Promise<string> {
  const dataDir = ['--data-dir', rig.work.dataDir];
  const withNew = await wfa(['check', ...dataDir, '--json'], `${NEW_PIN}\n`);
  if (withNew.code !== 0) {
    check(errorOf(withNew).code === 'PIN_INCORRECT', `${where}: the sign-in check with the new PIN failed otherwise: ${withNew.stdout}`);
    expectOk(await wfa(['check', ...dataDir, '--json'], `${PIN}\n`), `${where}: the sign-in check with the old PIN`);
  }
  check((withNew.code === 0) === (onKey === NEW_PIN), `${where}: the sign-in check's answer does not match the PIN on the key`);
  const st = await status(rig.work.dataDir);
  check(!st.problems.some((p) => p.code === 'PIN_CHANGE_INTERRUPTED'), `${where}: PIN_CHANGE_INTERRUPTED stays after a passed sign-in check`);
  if (onKey === PIN) expectOk(await wfa(['change-pin', ...dataDir, '--json'], `${PIN}\n${NEW_PIN}\n`), `${where}: wfa change-pin again`);
  return withNew.code === 0 ? 'PIN_CHANGE_INTERRUPTED, checked with the new PIN' : 'PIN_CHANGE_INTERRUPTED, checked with the old PIN, changed again';
}

/** One case: `wfa` killed once the key has carried out APDU `k` of `flow`. */
export async function killAt(flow: CardFlow, rig: FlowRig, k: number): Promise<KillResult> {
  const where = `${flow}, app killed after APDU ${k}`;
  restoreSnapshot(startOf(flow, rig), rig.work);
  const { args, input } = flowCommand(flow, rig);
  const program = await bundled('wfa');
  let kill: () => void = () => undefined;
  let ended: Promise<Ended> = Promise.resolve({ code: null, signal: null, output: '' });
  // The answer goes out only once the process is gone: pcscd then finds its client dead.
  const key = await plugInHere(rig.work.cardState, {
    at: k,
    onHold: (_, release) => {
      kill();
      void ended.then(release);
    },
  });
  try {
    const child = spawn(process.execPath, [...program, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    ended = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })));
    kill = () => child.kill('SIGKILL');
    child.stdin.end(input);
    const end = await ended;
    if (end.signal !== 'SIGKILL') {
      check(end.code === 0, `${where}: the flow failed without being killed (exit ${end.code}):\n${end.output}`);
      return { completed: true, detail: 'ok' };
    }

    // The next start. (The key stays plugged in: only the app died.)
    const facts = cardFacts(rig.work.cardState);
    checkTries(flow, facts, where);
    check(facts.managementKey !== 'unknown', `${where}: the management key is neither the factory one nor the one kept on the key`);
    const st = await status(rig.work.dataDir);
    const state = checkStatus(flow, st, facts, rig, where);
    if (unchangedSince(startOf(flow, rig), rig.work)) return { completed: false, detail: 'nothing changed' };
    let how: string;
    if (flow === 'pin-change' && st.problems.some((p) => p.code === 'PIN_CHANGE_INTERRUPTED')) how = await afterInterruptedPinChange(rig, facts.pin, where);
    else if (flow === 'pin-change' && facts.pin === NEW_PIN) {
      // Killed after the app had the answer: it finished the change and logged it before it died.
      const logged = readText(join(rig.work.dataDir, 'audit.log'))
        .split('\n')
        .filter((l) => l.includes('"SECURITY_KEY_PIN_CHANGED","outcome":"success"'));
      const before = readText(join(startOf(flow, rig).dataDir, 'audit.log'))
        .split('\n')
        .filter((l) => l.includes('"SECURITY_KEY_PIN_CHANGED","outcome":"success"'));
      check(logged.length > before.length, `${where}: the PIN was changed before the app was killed, and nothing at the next start tells the user or logs it`);
      expectOk(await wfa(['check', '--data-dir', rig.work.dataDir, '--json'], `${NEW_PIN}\n`), `${where}: wfa check with the new PIN`);
      how = 'changed and logged before the kill';
    } else how = await recover(flow, rig, facts, where);
    checkRecovered(flow, rig, where);
    return { completed: false, detail: `status "${state}", ${how}` };
  } finally {
    await key.unplug();
  }
}
