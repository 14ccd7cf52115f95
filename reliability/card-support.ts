// Shared by the card-side reliability suites (card pulled, app killed, pcscd
// and concurrency): the `wfa` CLI as a process (as a user or a script runs it),
// virtual keys behind the rig's pcscd, snapshots of a key and a data folder
// that every case starts from, the key's own state file as the oracle of what
// the card holds, and the one RELIABILITY line a suite ends with.
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { decodeTlvs, findTlv } from '../native/piv/tlv.ts';
import { createVirtualYubiKey } from '../native/virtual-yubikey/index.ts';
import { loadStateFile, saveStateFile } from '../native/virtual-yubikey/state-file.ts';
import { VpcdLink } from '../native/virtual-yubikey/vpcd-link.ts';
import { VPCD_BASE_PORT } from '../native/virtual-yubikey/vpcd-protocol.ts';
import { DEFAULT_MANAGEMENT_KEY_HEX, type CardState } from '../native/virtual-yubikey/state.ts';
import { bundled } from '../scripts/lib/bundle.ts';
import { describeFailure, run, type RunResult } from '../scripts/lib/exec.ts';
import { REPO_ROOT } from '../scripts/lib/paths.ts';
import type { SuiteReport } from '../scripts/lib/reliability-protocol.ts';
import { cardPresent, readerName, startVirtualYubiKey, type RunningVirtualYubiKey, untilPcscdSeesNoCard } from '../scripts/lib/virtual-key.ts';

export const READER_INDEX = 0;
export const READER = readerName(READER_INDEX);
export const PROFILE = 'yk5.4.3';
/** The PINs the simulated user chooses (they pass the app's PIN rules). */
export const PIN = '48273916';
export const NEW_PIN = '59173046';
export const USER = 'alice';

/** One case of a suite: what was tried, and whether the promise held (else why not). */
export interface CaseOutcome {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export function summarise(suite: string, outcomes: readonly CaseOutcome[], note: string): SuiteReport {
  const passed = outcomes.filter((o) => o.ok).length;
  return { suite, tried: outcomes.length, passed, failed: outcomes.length - passed, note };
}

/** Progress on stderr; stdout carries only the RELIABILITY line. */
export const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** A failed expectation inside a case: the case fails with this sentence. */
export class CaseFailure extends Error {
  override readonly name = 'CaseFailure';
}

export function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new CaseFailure(what);
}

/** Runs one case; any exception (an expectation or the harness) makes it a failure that says why. */
export async function runCase(name: string, body: () => Promise<string>): Promise<CaseOutcome> {
  try {
    return { name, ok: true, detail: await body() };
  } catch (e) {
    return { name, ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

/** `wfa ARGS` as its own process (the bundled CLI), with `input` on stdin. */
export async function wfa(args: readonly string[], input = ''): Promise<RunResult> {
  return run(process.execPath, [...(await bundled('wfa')), ...args], { cwd: REPO_ROOT, timeoutMs: 90_000, input });
}

const errorShape = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type WfaError = z.infer<typeof errorShape>['error'];

/** The one JSON object a `--json` command printed. */
export function jsonOf(result: RunResult): unknown {
  try {
    return JSON.parse(result.stdout.trim()) as unknown;
  } catch {
    throw new CaseFailure(`not one JSON object on stdout:\n${describeFailure(result)}`);
  }
}

/** The `error` of a failed `--json` command. */
export function errorOf(result: RunResult): WfaError {
  const parsed = errorShape.safeParse(jsonOf(result));
  if (!parsed.success) throw new CaseFailure(`expected {"error":…}:\n${describeFailure(result)}`);
  return parsed.data.error;
}

export function expectOk(result: RunResult, what: string): unknown {
  check(result.code === 0, `${what} failed:\n${describeFailure(result)}`);
  return jsonOf(result);
}

const statusShape = z.object({
  keys: z.array(z.object({ serial: z.number(), pinRetries: z.number().nullable() })),
  pairing: z.object({ serial: z.number(), certificate: z.object({ serial: z.string() }).nullable(), pending: z.string().nullable() }).nullable(),
  problems: z.array(z.object({ code: z.string(), message: z.string() })),
});
export type StatusView = z.infer<typeof statusShape>;

/** `wfa status --json`, parsed. */
export async function status(dataDir: string): Promise<StatusView> {
  const result = await wfa(['status', '--data-dir', dataDir, '--json']);
  const parsed = statusShape.safeParse(expectOk(result, 'wfa status'));
  if (!parsed.success) throw new CaseFailure(`wfa status --json has an unexpected shape: ${result.stdout}`);
  return parsed.data;
}

/** A key in the reader and a data folder, saved to start cases from. */
export interface Snapshot {
  readonly cardState: string;
  readonly dataDir: string;
}

/** A scratch folder for one suite; removed by the suite at the end. */
export function scratchFolder(name: string): string {
  return mkdtempSync(join(tmpdir(), `wfa-reliability-${name}-`));
}

/** Saves `from` (a card state file and a data folder) under `to`. */
export function saveSnapshot(from: Snapshot, to: string): Snapshot {
  const saved = { cardState: join(to, 'card-state.json'), dataDir: join(to, 'data') };
  rmSync(to, { recursive: true, force: true });
  cpSync(from.dataDir, saved.dataDir, { recursive: true });
  copyFileSync(from.cardState, saved.cardState);
  return saved;
}

/** Puts `snapshot` back in place of `into` (both paths replaced). */
export function restoreSnapshot(snapshot: Snapshot, into: Snapshot): void {
  rmSync(into.dataDir, { recursive: true, force: true });
  cpSync(snapshot.dataDir, into.dataDir, { recursive: true });
  copyFileSync(snapshot.cardState, into.cardState);
}

/**
 * Plugs the key of `cardState` into reader 0 (optionally to vanish at APDU
 * `faultAfter`), once pcscd shows the reader empty: a stopped key waits only
 * 5 s for that, and on a busy machine pcscd can take longer to see it go.
 */
export async function plugIn(cardState: string, serial: number, faultAfter?: number): Promise<RunningVirtualYubiKey> {
  await waitUntilGone(READER, 30_000);
  const start = (): Promise<RunningVirtualYubiKey> =>
    startVirtualYubiKey({
      reader: READER_INDEX,
      profile: PROFILE,
      serial,
      state: cardState,
      timeoutMs: 6_000,
      ...(faultAfter === undefined ? {} : { faultAfter }),
    });
  try {
    return await start();
  } catch (e) {
    // After a key vanished while the app reset it, vpcd may not power the next key plugged in (the reader
    // never reported the old one removed; README, "Reliability suites"): unplugged and plugged in again, it is.
    progress(`plugging the key in again: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}`);
    await waitUntilGone(READER, 30_000);
    return start();
  }
}

export interface HeldKey {
  /** APDUs the key has received so far. */
  readonly apdus: () => number;
  /** Pulls the key out and waits until pcscd has seen it go. */
  unplug(): Promise<void>;
}

/**
 * Plugs the key of `cardState` into reader 0 from this process (the virtual
 * key's own VpcdLink, as `npm run virtual-yubikey` runs it, saving its state
 * after every change), optionally holding back the answer to APDU `holdAt`.
 */
export async function plugInHere(
  cardState: string,
  hold?: { readonly at: number; readonly onHold: (apdu: number, release: () => void) => void },
): Promise<HeldKey> {
  await waitUntilGone(READER, 30_000);
  const state = loadStateFile(cardState);
  if (state === null) throw new Error(`no card state in ${cardState}`);
  const card = createVirtualYubiKey({ state, onStateChange: (changed) => saveStateFile(cardState, changed) });
  let poweredUp: () => void = () => undefined;
  const up = new Promise<void>((resolve) => {
    poweredUp = resolve;
  });
  const link = new VpcdLink({
    card,
    port: VPCD_BASE_PORT + READER_INDEX,
    onPoweredUp: () => poweredUp(),
    retryMaxMs: 200,
    ...(hold === undefined ? {} : { holdAt: hold.at, onHold: hold.onHold }),
  });
  link.start();
  const unplug = async (): Promise<void> => {
    await link.close();
    await waitUntilGone();
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([up, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('pcscd did not power the key up within 30 s')), 30_000)))]);
    const deadline = Date.now() + 30_000;
    while (!(await cardPresent(READER))) {
      if (Date.now() > deadline) throw new Error(`pcscd shows no card in "${READER}"`);
      await sleep(50);
    }
  } catch (e) {
    await unplug();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return { apdus: () => link.apdusReceived, unplug };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until pcscd has seen the key in reader 0 go (untilPcscdSeesNoCard); throws when it has not within `timeoutMs`. */
export async function waitUntilGone(reader = READER, timeoutMs = 10_000): Promise<void> {
  if (!(await untilPcscdSeesNoCard(reader, timeoutMs))) throw new Error(`pcscd still shows a card in "${reader}" ${timeoutMs} ms after it was pulled`);
}

/** What the key itself holds, read from its state file (the virtual key saves it after every change). */
export interface CardFacts {
  readonly pin: string;
  readonly pinRetriesLeft: number;
  readonly pukRetriesLeft: number;
  /** The management key is the factory one, or the one kept PIN-protected on the key (so the app can use it). */
  readonly managementKey: 'default' | 'protected' | 'unknown';
  readonly has9a: boolean;
  readonly certificate9a: boolean;
}

/** PIVMAN protected data (5FC109): 88 { 89 management key } (yubikit piv.py, ykman). */
const PROTECTED_OBJECT = '5fc109';

function storedManagementKey(state: CardState): string | undefined {
  const content = state.objects[PROTECTED_OBJECT];
  if (content === undefined) return undefined;
  try {
    const outer = findTlv(decodeTlvs(Buffer.from(content, 'hex')), 0x88);
    const inner = outer === undefined ? undefined : findTlv(decodeTlvs(outer), 0x89);
    return inner === undefined ? undefined : Buffer.from(inner).toString('hex');
  } catch {
    return undefined;
  }
}

export function cardFacts(cardState: string): CardFacts {
  const state = loadStateFile(cardState);
  if (state === null) throw new Error(`no card state in ${cardState}`);
  const pinBytes = Buffer.from(state.pinHex, 'hex');
  const pin = pinBytes.subarray(0, pinBytes.indexOf(0xff) === -1 ? pinBytes.length : pinBytes.indexOf(0xff)).toString('latin1');
  const mk = state.managementKey.keyHex.toLowerCase();
  const managementKey = mk === DEFAULT_MANAGEMENT_KEY_HEX ? 'default' : mk === storedManagementKey(state) ? 'protected' : 'unknown';
  return {
    pin,
    pinRetriesLeft: state.pinRetriesLeft,
    pukRetriesLeft: state.pukRetriesLeft,
    managementKey,
    has9a: state.keys['9a'] !== undefined,
    certificate9a: state.objects['5fc105'] !== undefined,
  };
}

/**
 * A policy file in `folder`: the local CA, certificates valid `validityDays`,
 * ECC P-256 keys (the virtual key makes them in milliseconds, where RSA 2048
 * takes seconds on a busy machine; the flows' steps are the same).
 */
export function writePolicy(folder: string, name: string, validityDays: number): string {
  const file = join(folder, name);
  writeFileSync(file, JSON.stringify({ key: { algorithm: 'ECCP256' }, certificate: { validityDays } }));
  return file;
}

const sameFile = (a: string, b: string): boolean => readText(a) === readText(b);

/**
 * True when neither the key nor the pairing record changed since `start`: the
 * case is then back at its starting point, from which the flow succeeds (the
 * sweep's last case shows it), so running it again proves nothing new.
 */
export function unchangedSince(start: Snapshot, work: Snapshot): boolean {
  return sameFile(start.cardState, work.cardState) && sameFile(join(start.dataDir, 'pairing.json'), join(work.dataDir, 'pairing.json'));
}

/** Reads a file that may not exist (the audit log), as text. */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
