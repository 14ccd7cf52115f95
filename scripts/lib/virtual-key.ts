// Plugging a virtual YubiKey into a vpcd reader: runs the CLI of
// native/virtual-yubikey (`npm run virtual-yubikey`) as a child process and
// waits for its one READY line; stop() is pulling the key out.
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
}

export interface ReadyLine {
  readonly reader: string;
  readonly serial: number;
  readonly firmware: string;
}

export interface RunningVirtualYubiKey extends ReadyLine {
  readonly pid: number;
  /** What the card printed on stderr so far (for failure reports). */
  stderr(): string;
  /** Settles when the process has ended, however it ended, and pcscd no longer shows the key. */
  readonly exited: Promise<void>;
  /** Pulls the key out: SIGTERM, and wait until the process ended. */
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
export async function untilPcscdSeesNoCard(reader: string, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await cardPresent(reader).catch(() => false)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

export async function startVirtualYubiKey(options: StartVirtualYubiKeyOptions): Promise<RunningVirtualYubiKey> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Without a state file the key would live in the CLI's memory only: a temporary file does the same.
  const tempDir = options.state === undefined ? mkdtempSync(join(tmpdir(), 'wfa-virtual-key-')) : undefined;
  const stateFile = options.state ?? join(tempDir ?? '', 'card.json');
  if (!existsSync(stateFile) && isProfileName(options.profile)) saveStateFile(stateFile, factoryState(options.profile, options.serial ?? randomSerial()));
  const removeTemp = (): void => {
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  };
  // The CLI bundled (bundle.ts): the same program, started in a third of the time.
  const child = spawn(process.execPath, [await bundled('virtual-yubikey'), ...cliArgs({ ...options, state: stateFile })], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const processEnded = new Promise<void>((resolve) =>
    child.once('exit', () => {
      removeTemp();
      resolve();
    }),
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-64 * 1024);
  });

  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(
        new Error(
          `virtual YubiKey not READY after ${timeoutMs} ms (${cliArgs(options).join(' ')}); ` +
            `is pcscd running, and no other virtual key in vpcd slot ${options.reader}?\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      for (const line of stdout.split('\n')) {
        const parsed = parseReadyLine(line);
        if (parsed) {
          clearTimeout(timer);
          resolve(parsed);
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`virtual YubiKey exited (${signal ?? `code ${code}`}) before READY\n${stderr}${stdout}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });

  // READY named the reader: from now on, out means pcscd has seen the key go.
  const exited = processEnded.then(async () => {
    await untilPcscdSeesNoCard(ready.reader);
  });
  const handle: RunningVirtualYubiKey = {
    ...ready,
    pid: child.pid ?? -1,
    stderr: () => stderr,
    exited,
    stop: async () => {
      await stopChild(child);
      await exited;
    },
  };

  if (options.waitForCard ?? true) {
    const deadline = Date.now() + timeoutMs;
    while (!(await cardPresent(ready.reader))) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`virtual YubiKey exited after READY\n${stderr}`);
      }
      if (Date.now() > deadline) {
        await handle.stop();
        throw new Error(`pcscd sees no card in "${ready.reader}" ${timeoutMs} ms after READY`);
      }
      await sleep(100);
    }
  }
  return handle;
}
