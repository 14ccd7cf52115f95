// pcscd for the runners and the interop tests: use the one that runs, else
// start our own in the foreground (so its pid is ours) and stop only that one.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { READER_CONF_DIR, VPCD_FRIENDLY_NAME, vpcdFriendlyName, vpcdReaderConf } from '../../native/virtual-yubikey/reader-conf.ts';
import { run, stopChild } from './exec.ts';
import { findProgram, requirePrograms } from './programs.ts';
import { RUN_DIR } from './paths.ts';
import { insideRig, isMountPoint } from './rig.ts';

/** pcsc-lite's client socket (pcsc-lite PCSCLITE_CSOCK_NAME, Debian build: /run/pcscd). */
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';

export interface PcscdHandle {
  /** False when a pcscd was already running (then stop() leaves it alone). */
  readonly startedByUs: boolean;
  /** Where our pcscd writes its log (only when startedByUs). */
  readonly logFile: string | undefined;
  stop(): Promise<void>;
}

/** True when pcscd accepts a connection on its socket. */
export function pcscdAnswers(socket = PCSCD_SOCKET): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = connect(socket);
    conn.once('connect', () => {
      conn.destroy();
      resolve(true);
    });
    conn.once('error', () => resolve(false));
  });
}

/** Pids of running pcscd processes (what `pidof pcscd` says, without needing procps). */
export function pcscdPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(join('/proc', entry, 'comm'), 'utf8').trim() === 'pcscd') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** pcscd answers and lists the vpcd readers named `friendlyName` (so a client started now finds them). */
async function readersListed(friendlyName: string): Promise<boolean> {
  if (!(await pcscdAnswers())) return false;
  const listing = await run('opensc-tool', ['--list-readers'], { timeoutMs: 10_000 });
  return listing.code === 0 && listing.stdout.includes(`${friendlyName} 00 `);
}

export interface EnsurePcscdOptions {
  /** Milliseconds to wait for pcscd to answer (default 20 s). */
  readonly timeoutMs?: number;
  /**
   * vpcd's reader name before " 00 0N" (default "Virtual PCD"). Another name
   * (a YubiKey's USB name) is pcscd's configuration: only the rig's own pcscd
   * can have it (README, "The test rig").
   */
  readonly friendlyName?: string;
}

/**
 * In the rig: makes /etc/reader.conf.d (the rig's own tmpfs, checked) name
 * vpcd's readers `friendlyName`, for the pcscd we are about to start.
 * Elsewhere: fails unless the machine's configuration already names them so.
 */
function configureReaderName(friendlyName: string): void {
  if (insideRig()) {
    if (!isMountPoint(READER_CONF_DIR)) throw new Error(`${READER_CONF_DIR} is not the rig's own mount: refusing to write the machine's pcscd configuration`);
    writeFileSync(`${READER_CONF_DIR}/vpcd`, vpcdReaderConf(friendlyName));
    return;
  }
  const configured = vpcdFriendlyName();
  if (configured !== friendlyName) throw readerNameError(configured, friendlyName);
}

function readerNameError(configured: string, wanted: string): Error {
  return new Error(
    `this test needs vpcd's readers named "${wanted} 00 0N", but pcscd names them "${configured} 00 0N": ` +
      `the name is pcscd's configuration, which only the test rig's private pcscd has (root and unshare; run it through npm test or npm run e2e)`,
  );
}

/**
 * Makes sure pcscd runs and lists the virtual readers. Starts it when none
 * runs; set WFA_PCSCD_DEBUG=1 to have our pcscd log every APDU (--debug --apdu).
 */
export async function ensurePcscd(options: EnsurePcscdOptions = {}): Promise<PcscdHandle> {
  requirePrograms(['pcscd', 'opensc-tool']);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const friendlyName = options.friendlyName ?? VPCD_FRIENDLY_NAME;

  if (pcscdPids().length > 0 || (await pcscdAnswers())) {
    // Running, or starting (socket activation, another runner): wait for it.
    const configured = vpcdFriendlyName();
    if (configured !== friendlyName) throw readerNameError(configured, friendlyName);
    await waitUntil('the running pcscd to list the virtual readers', timeoutMs, () => readersListed(friendlyName));
    return { startedByUs: false, logFile: undefined, stop: () => Promise.resolve() };
  }
  configureReaderName(friendlyName);

  mkdirSync(RUN_DIR, { recursive: true });
  const logFile = join(RUN_DIR, 'pcscd.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const args = ['--foreground', ...(process.env['WFA_PCSCD_DEBUG'] ? ['--debug', '--apdu'] : [])];
  const child = spawn(findProgram('pcscd') ?? 'pcscd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  try {
    await waitUntil('pcscd to answer on ' + PCSCD_SOCKET, timeoutMs, async () => {
      if (exited) throw new Error(`pcscd exited at start; see ${logFile}`);
      return readersListed(friendlyName);
    });
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { startedByUs: true, logFile, stop: () => stopChild(child) };
}
