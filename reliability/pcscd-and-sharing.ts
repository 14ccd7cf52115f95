// The smart-card service and other programs. pcscd
// restarted while the app is idle (the app's own services, kept running) and
// in the middle of a flow (the key holds APDU k while pcscd is stopped); the
// reader held exclusively by another program (READER_IN_USE, then success
// once it lets go); two `wfa` processes at once on one key (both finish, or
// one says the key is busy; the key stays consistent).
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createPcscTransport } from '../native/pcsc/smartcard-transport.ts';
import { createAppServices } from '../electron/app/app-services.ts';
import { cardPresent } from '../scripts/lib/virtual-key.ts';
import { ensurePcscd, type PcscdHandle } from '../scripts/lib/pcscd.ts';
import { REPO_ROOT } from '../scripts/lib/paths.ts';
import { bundlesBuilt } from '../scripts/lib/bundle.ts';
import type { RunResult } from '../scripts/lib/exec.ts';
import { cardFacts, check, errorOf, expectOk, NEW_PIN, PIN, plugIn, plugInHere, READER, restoreSnapshot, status, USER, wfa } from './card-support.ts';
import { type CardFlow, checkStatus, checkTries, flowCommand, type FlowRig, recover, startOf, verifyDone } from './card-flows.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** pcscd, stopped and started again by the suite (only the one it started itself). */
export class RestartablePcscd {
  private constructor(private handle: PcscdHandle) {}

  static async start(): Promise<RestartablePcscd> {
    const handle = await ensurePcscd();
    if (!handle.startedByUs) throw new Error('a pcscd was already running: this suite restarts only its own (run it in the rig)');
    return new RestartablePcscd(handle);
  }

  async stop(): Promise<void> {
    await this.handle.stop();
  }

  async restart(): Promise<void> {
    await this.handle.stop();
    this.handle = await ensurePcscd();
  }

  async startAgain(): Promise<void> {
    this.handle = await ensurePcscd();
  }
}

async function waitForCard(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cardPresent(READER))) {
    if (Date.now() > deadline) throw new Error(`no card in "${READER}" ${timeoutMs} ms after pcscd started`);
    await sleep(100);
  }
}

/** The app's services kept running (as the tray app runs) across a pcscd restart: status and the sign-in check work after it. */
export async function restartWhileIdle(pcscd: RestartablePcscd, rig: FlowRig): Promise<string> {
  restoreSnapshot(rig.paired, rig.work);
  const key = await plugIn(rig.work.cardState, rig.serial);
  const app = await createAppServices({
    dataDir: rig.work.dataDir,
    configPath: undefined,
    env: {},
    transport: createPcscTransport(),
    statusSource: null,
    userName: USER,
    log: () => undefined,
    machinePolicy: null,
  });
  try {
    const before = await app.status();
    check(
      before.pairing?.serial === rig.serial && (await app.keys.details()).some((k) => k.serial === rig.serial),
      `before the restart the app does not see paired key ${rig.serial}`,
    );
    await pcscd.restart();
    await waitForCard();
    const after = await app.status();
    check(after.pairing?.serial === rig.serial, 'after the restart the app lost the pairing');
    check(
      (await app.keys.details()).some((k) => k.serial === rig.serial && k.pinRetries === 3),
      `after the restart the app does not see key ${rig.serial}: ${JSON.stringify(await app.keys.details())}`,
    );
    const checked = await app.handlers['signin.check']({ pin: PIN });
    check(checked.ok, `after the restart the sign-in check failed: ${JSON.stringify(checked)}`);
    return 'status and sign-in check work after the restart, in the same app';
  } finally {
    await app.close();
    await key.stop();
  }
}

/** pcscd stopped while the key holds APDU `k` of `flow`: a clear error, and with pcscd back the flow can be finished. */
export async function restartMidFlow(pcscd: RestartablePcscd, flow: CardFlow, rig: FlowRig, k: number): Promise<{ completed: boolean; detail: string }> {
  const where = `${flow}, pcscd stopped at APDU ${k}`;
  restoreSnapshot(startOf(flow, rig), rig.work);
  let stopped: Promise<void> | undefined;
  const key = await plugInHere(rig.work.cardState, {
    at: k,
    onHold: (_, release) => {
      stopped = pcscd.stop().then(release);
    },
  });
  let restarted = false;
  try {
    const { args, input } = flowCommand(flow, rig);
    const result = await wfa(args, input);
    if (stopped === undefined) {
      check(result.code === 0, `${where}: the flow failed without pcscd stopping:\n${result.stdout}${result.stderr}`);
      return { completed: true, detail: 'ok' };
    }
    await stopped;
    await pcscd.startAgain();
    restarted = true;
    await waitForCard();
    const facts = cardFacts(rig.work.cardState);
    checkTries(flow, facts, where);
    check(facts.managementKey !== 'unknown', `${where}: the management key is unknown`);
    if (result.code === 0) {
      // Stopped during a best-effort read after the flow's work was done.
      await verifyDone(flow, rig, where);
      return { completed: false, detail: 'succeeded (pcscd stopped after the change)' };
    }
    check(result.code === 3, `${where}: wfa exited ${result.code} (expected 3):\n${result.stdout}${result.stderr}`);
    const error = errorOf(result);
    check(['PCSC_UNAVAILABLE', 'CARD_REMOVED'].includes(error.code), `${where}: ${error.code} (expected PCSC_UNAVAILABLE or CARD_REMOVED): ${error.message}`);
    if (flow === 'pin-change') check(facts.pin === PIN, `${where}: wfa said the change failed, but the key has the new PIN`);
    const state = checkStatus(flow, await status(rig.work.dataDir), facts, rig, where);
    const how = await recover(flow, rig, facts, where);
    return { completed: false, detail: `${error.code}, status "${state}", ${how}` };
  } finally {
    if (stopped !== undefined) await stopped.catch(() => undefined);
    // Whatever failed, the next case needs pcscd.
    if (stopped !== undefined && !restarted) await pcscd.startAgain().catch(() => undefined);
    await key.unplug();
  }
}

/** Another program (as gpg's scdaemon) holds the reader: READER_IN_USE for every flow, nothing changed; once it lets go, they work. */
export async function readerHeld(rig: FlowRig): Promise<string> {
  restoreSnapshot(rig.paired, rig.work);
  const key = await plugIn(rig.work.cardState, rig.serial);
  let holder: ChildProcess | undefined;
  try {
    holder = spawn(process.execPath, ['--import', 'tsx', 'tests/interop/native-hold-reader.ts', READER], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: holder.stdout! });
    await new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => line === 'HELD' && resolve());
      holder!.once('exit', () => reject(new Error('native-hold-reader.ts ended before it held the reader')));
    });
    const dataDir = ['--data-dir', rig.work.dataDir];
    const tries: [string, RunResult][] = [
      ['check', await wfa(['check', ...dataDir, '--json'], `${PIN}\n`)],
      ['change-pin', await wfa(['change-pin', ...dataDir, '--json'], `${PIN}\n${NEW_PIN}\n`)],
      ['renew', await wfa(['renew', ...dataDir, '--config', rig.renewPolicy, '--user', USER, '--json'], `${PIN}\n`)],
      ['deregister', await wfa(['deregister', '--yes', ...dataDir, '--json'])],
    ];
    for (const [what, result] of tries) {
      const error = errorOf(result);
      check(error.code === 'READER_IN_USE', `wfa ${what} while another program holds the reader: ${error.code} (expected READER_IN_USE): ${error.message}`);
      check(/Another program is using the security key/.test(error.message), `wfa ${what}: the READER_IN_USE message does not say so: ${error.message}`);
    }
    const facts = cardFacts(rig.work.cardState);
    check(facts.pin === PIN && facts.pinRetriesLeft === 3 && facts.certificate9a, `the key changed while another program held it: ${JSON.stringify(facts)}`);
    holder.stdin!.end();
    await new Promise((resolve) => holder!.once('exit', resolve));
    holder = undefined;
    expectOk(await wfa(['check', ...dataDir, '--json'], `${PIN}\n`), 'wfa check once the reader is released');
    expectOk(await wfa(['change-pin', ...dataDir, '--json'], `${PIN}\n${NEW_PIN}\n`), 'wfa change-pin once the reader is released');
    return `${tries.length} commands said READER_IN_USE, then check and change-pin succeeded`;
  } finally {
    holder?.kill('SIGKILL');
    await key.stop();
  }
}

/** Two `wfa` processes started together on one key. */
const PAIRS: readonly (readonly [string, string])[] = [
  ['renew', 'check'],
  ['check', 'check'],
  ['renew', 'status'],
  ['check', 'renew'],
  ['renew', 'renew'],
];

function command(name: string, rig: FlowRig): { args: string[]; input: string } {
  const dataDir = ['--data-dir', rig.work.dataDir];
  if (name === 'renew') return { args: ['renew', ...dataDir, '--config', rig.renewPolicy, '--user', USER, '--json'], input: `${PIN}\n` };
  if (name === 'check') return { args: ['check', ...dataDir, '--json'], input: `${PIN}\n` };
  return { args: ['status', ...dataDir, '--json'], input: '' };
}

/** Round `round`: two processes at once, the second `offsetMs` later; each succeeds or says the key is busy; the key stays consistent. */
export async function twoProcesses(rig: FlowRig, round: number, offsetMs: number): Promise<string> {
  const [first, second] = PAIRS[round % PAIRS.length]!;
  restoreSnapshot(rig.paired, rig.work);
  const key = await plugIn(rig.work.cardState, rig.serial);
  try {
    await bundlesBuilt();
    const a = command(first, rig);
    const b = command(second, rig);
    const [ra, rb] = await Promise.all([wfa(a.args, a.input), sleep(offsetMs).then(() => wfa(b.args, b.input))]);
    const outcomes: string[] = [];
    for (const [name, r] of [
      [first, ra],
      [second, rb],
    ] as const) {
      if (r.code === 0) {
        outcomes.push(`${name} ok`);
        continue;
      }
      const error = errorOf(r);
      check(error.code === 'READER_IN_USE', `${first} + ${second}: ${name} failed with ${error.code} (expected success or READER_IN_USE): ${error.message}`);
      outcomes.push(`${name} busy`);
    }
    check(
      outcomes.some((o) => o.endsWith('ok')),
      `${first} + ${second}: neither finished (${outcomes.join(', ')})`,
    );
    // Consistent: the record names the certificate the key holds, all PIN tries are left, and it signs in.
    const facts = cardFacts(rig.work.cardState);
    check(facts.pinRetriesLeft === 3 && facts.managementKey === 'protected', `${first} + ${second}: the key is not as it should be: ${JSON.stringify(facts)}`);
    const info = expectOk(await wfa(['key', 'info', '--json']), 'wfa key info') as { slots?: Record<string, { serial: string }> };
    const st = await status(rig.work.dataDir);
    check(
      st.pairing?.certificate?.serial === info.slots?.['9a']?.serial,
      `${first} + ${second}: the record names certificate ${st.pairing?.certificate?.serial}, the key holds ${info.slots?.['9a']?.serial}`,
    );
    expectOk(await wfa(['check', '--data-dir', rig.work.dataDir, '--json'], `${PIN}\n`), `${first} + ${second}: wfa check afterwards`);
    return outcomes.join(', ');
  } finally {
    await key.stop();
  }
}
