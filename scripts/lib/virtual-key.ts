// Plugging a virtual YubiKey into a vpcd reader: the key runs as
// `npm run virtual-yubikey` runs it (native/virtual-yubikey/plug-in.ts), in
// this process's key host (key-host.ts) or, with ownProcess, as that CLI's own
// process; either way we wait for its one READY line, and stop() is pulling the key out.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newCardState } from '../../native/virtual-yubikey/index.ts';
import { isProfileName, type ProfileName } from '../../native/virtual-yubikey/profiles.ts';
import { saveStateFile } from '../../native/virtual-yubikey/state-file.ts';
import { randomSerial, type CardState } from '../../native/virtual-yubikey/state.ts';
import { VPCD_FRIENDLY_NAME, vpcdReaderName } from '../../native/virtual-yubikey/reader-conf.ts';
import { run, stopChild } from './exec.ts';
import { hostKey, type KeyOutput, type KeyRun } from './key-host.ts';
import { REPO_ROOT } from './paths.ts';
import { bundled } from './bundle.ts';

export interface StartVirtualYubiKeyOptions {
  /** vpcd reader index N: reader readerName(N) on TCP 127.0.0.1:35963+N. */
  readonly reader: number;
  readonly profile: string;
  readonly serial?: number;
  /**
   * State file: loaded if it exists, saved after every change. When it does
   * not exist (or none is given) the key starts from a factory state written
   * by factoryState() below.
   */
  readonly state?: string;
  /** The card vanishes instead of answering the K-th APDU. */
  readonly faultAfter?: number;
  /** Where the card writes its own attestation root (PEM) before READY. */
  readonly exportAttestationRoot?: string;
  /** Milliseconds to wait for READY and for pcscd to see the card (default 30 s). */
  readonly timeoutMs?: number;
  /** Wait until pcscd reports a card in the reader (default true). */
  readonly waitForCard?: boolean;
  /**
   * Run the key as its own `npm run virtual-yubikey` process (the bundled
   * CLI), as a user does, instead of in this process's key host: for the
   * tests of that process's contract (READY, SIGTERM, plugging back in).
   */
  readonly ownProcess?: boolean;
}

export interface ReadyLine {
  readonly reader: string;
  readonly serial: number;
  readonly firmware: string;
}

export interface RunningVirtualYubiKey extends ReadyLine {
  /** Which process runs the key ("pid N", "key host pid N, key #K"), for failure reports. */
  readonly label: string;
  /** What the card printed on stderr so far (for failure reports). */
  stderr(): string;
  /** Settles when the key is out, however it went (stopped, --fault-after), and pcscd no longer shows it. */
  readonly exited: Promise<void>;
  /** Pulls the key out (its vpcd connection closed) and waits until it is out. */
  stop(): Promise<void>;
}

/** The READY line of native/virtual-yubikey/cli.ts (a contract: README, "The virtual YubiKey"). */
const READY = /^READY reader="([^"]+)" serial=(\d+) firmware=(\d+\.\d+\.\d+)$/;

export function parseReadyLine(line: string): ReadyLine | undefined {
  const m = READY.exec(line.trim());
  if (!m) return undefined;
  return { reader: m[1]!, serial: Number(m[2]), firmware: m[3]! };
}

/**
 * pcscd names vpcd slot N "Virtual PCD 00 NN", NN in two hex digits (as
 * `pcsc_scan` lists them); in the rig its configuration may give another
 * friendly name (a YubiKey's USB name).
 */
export function readerName(index: number, friendlyName = VPCD_FRIENDLY_NAME): string {
  return vpcdReaderName(index, friendlyName);
}

/**
 * The reader name a real YubiKey of `firmware` gets from pcscd's CCID driver
 * on Linux, less " 00 00": the USB product string, which lists the enabled
 * USB interfaces — "OTP+FIDO+CCID" on a YubiKey 5, "OTP+U2F+CCID" on a
 * YubiKey 4 (yubikit core/__init__.py USB_INTERFACE names; ykman's pcsc
 * backend reads the interfaces back from the name: ykman/pcsc/__init__.py).
 */
export function usbReaderFriendlyName(firmware: string): string {
  return Number(firmware.split('.')[0]) >= 5 ? 'Yubico YubiKey OTP+FIDO+CCID' : 'Yubico YubiKey OTP+U2F+CCID';
}

export function cliArgs(options: StartVirtualYubiKeyOptions): string[] {
  const args = ['--reader', String(options.reader), '--profile', options.profile];
  if (options.serial !== undefined) args.push('--serial', String(options.serial));
  if (options.state !== undefined) args.push('--state', options.state);
  if (options.faultAfter !== undefined) args.push('--fault-after', String(options.faultAfter));
  if (options.exportAttestationRoot !== undefined) args.push('--export-attestation-root', options.exportAttestationRoot);
  return args;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Factory cards made so far in this process, by profile and serial. */
const factoryCards = new Map<string, CardState>();

/**
 * A factory-fresh card of `profile` with `serial`. A new card makes its
 * attestation root and its F9 key, RSA 2048 each, which takes 1 to 4 s; the
 * tests start a fresh key for nearly every test, and the tests of a describe
 * block use one serial. So a process makes the card of each profile and
 * serial once and hands out copies: each test still gets a factory-fresh
 * card; cards of one serial in one process share their attestation keys, as
 * the same physical key plugged in again would.
 */
export function factoryState(profile: ProfileName, serial: number): CardState {
  const id = `${profile}:${serial}`;
  let card = factoryCards.get(id);
  if (card === undefined) {
    card = newCardState(profile, serial);
    factoryCards.set(id, card);
  }
  return structuredClone(card);
}

/** True when `opensc-tool --list-readers` shows a card ("Yes") in `reader`. */
export async function cardPresent(reader: string): Promise<boolean> {
  const listing = await run('opensc-tool', ['--list-readers'], { timeoutMs: 10_000 });
  return listing.stdout.split('\n').some((line) => line.endsWith(reader) && /^\d+\s+Yes\s/.test(line));
}

/**
 * Waits until pcscd no longer shows a card in `reader`; false when it still
 * does after `timeoutMs`. A key is only out once pcscd has seen it go, however
 * it went (stopped, or pulled itself out at --fault-after): a key plugged into
 * the same reader before pcscd's next poll (vpcd is polled every 400 ms) would
 * take the old card's place unpowered, and never be READY. A listing that
 * fails to run shows no card.
 */
export function untilPcscdSeesNoCard(reader: string, timeoutMs = 5_000): Promise<boolean> {
  return untilListed(reader, false, timeoutMs);
}

/**
 * Waits until pcscd shows a card in `reader` again after a program holding it
 * died; false when it does not within `timeoutMs`. pcscd resets the card of a
 * client that died holding it, and vpcd's presence poll can race that reset
 * for the card's ATR (pcscd's log: "Card Removed", then "Error resetting
 * card"): pcscd then reports the key gone until its next poll, 400 ms on, and
 * inserted again. A real reader does not do this; so wait one poll, then
 * until the card is listed.
 */
export async function untilPcscdSeesCardAgain(reader: string, timeoutMs = 5_000): Promise<boolean> {
  await sleep(450);
  return untilListed(reader, true, timeoutMs);
}

/** Polls the listing until it shows a card in `reader` or not (`present`); false when it still does not after `timeoutMs`. A listing that fails to run shows no card. */
async function untilListed(reader: string, present: boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await cardPresent(reader).catch(() => false)) !== present) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** The key as the bundled CLI's own process (bundle.ts: the same program, started in a third of the time). */
async function cliKey(args: readonly string[], output: KeyOutput): Promise<KeyRun> {
  const child = spawn(process.execPath, [...(await bundled('virtual-yubikey')), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const ended = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    child.once('error', (error) => resolve(`not started: ${error.message}`));
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', output.stdout);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', output.stderr);
  return {
    label: `pid ${child.pid ?? '?'}`,
    ended,
    hasEnded: () => child.exitCode !== null || child.signalCode !== null,
    stop: async () => {
      await stopChild(child);
      await ended;
    },
  };
}

export async function startVirtualYubiKey(options: StartVirtualYubiKeyOptions): Promise<RunningVirtualYubiKey> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Without a state file the key would live in the CLI's memory only: a temporary file does the same.
  const tempDir = options.state === undefined ? mkdtempSync(join(tmpdir(), 'wfa-virtual-key-')) : undefined;
  const stateFile = options.state ?? join(tempDir ?? '', 'card.json');
  if (!existsSync(stateFile) && isProfileName(options.profile)) saveStateFile(stateFile, factoryState(options.profile, options.serial ?? randomSerial()));

  let stderr = '';
  let stdout = '';
  let onReady: (ready: ReadyLine) => void = () => undefined;
  const readyLine = new Promise<ReadyLine>((resolve) => (onReady = resolve));
  const output: KeyOutput = {
    stdout: (text) => {
      stdout += text;
      for (const line of stdout.split('\n')) {
        const parsed = parseReadyLine(line);
        if (parsed) onReady(parsed);
      }
    },
    stderr: (text) => {
      stderr = (stderr + text).slice(-64 * 1024);
    },
  };
  const args = cliArgs({ ...options, state: stateFile });
  const key = await (options.ownProcess === true ? cliKey(args, output) : hostKey(args, output));
  const ended = key.ended.then((how) => {
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
    return how;
  });

  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    readyLine,
    ended.then((how) => Promise.reject(new Error(`virtual YubiKey (${key.label}) out (${how}) before READY\n${stderr}${stdout}`))),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void key.stop();
        reject(
          new Error(
            `virtual YubiKey (${key.label}) not READY after ${timeoutMs} ms (${cliArgs(options).join(' ')}); ` +
              `is pcscd running, and no other virtual key in vpcd slot ${options.reader}?\n${stderr}`,
          ),
        );
      }, timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));

  // READY named the reader: from now on, out means pcscd has seen the key go.
  const exited = ended.then(async () => {
    await untilPcscdSeesNoCard(ready.reader);
  });
  const handle: RunningVirtualYubiKey = {
    ...ready,
    label: key.label,
    stderr: () => stderr,
    exited,
    stop: async () => {
      await key.stop();
      await exited;
    },
  };

  if (options.waitForCard ?? true) {
    const deadline = Date.now() + timeoutMs;
    while (!(await cardPresent(ready.reader))) {
      if (key.hasEnded()) throw new Error(`virtual YubiKey (${key.label}) out after READY\n${stderr}`);
      if (Date.now() > deadline) {
        await handle.stop();
        throw new Error(`pcscd sees no card in "${ready.reader}" ${timeoutMs} ms after READY`);
      }
      await sleep(100);
    }
  }
  return handle;
}
