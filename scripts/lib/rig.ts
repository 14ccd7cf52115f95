// The test rig: runs a command inside private mount, network and pid
// namespaces (unshare), each with its own /run/pcscd (so its own pcscd), its
// own /etc/reader.conf.d (so its own reader names), loopback up and delayed
// acknowledgements off on loopback — inside the namespace only; the host's
// routes and its pcscd are never touched. Every stage that needs PC/SC
// (interop, e2e, and whatever comes next) runs through runInRig().
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { run } from './exec.ts';
import { REPO_ROOT } from './paths.ts';
import { findProgram } from './programs.ts';

/** Set (to "1") in the environment of everything that runs inside the rig. */
export const RIG_ENV = 'WFA_RIG';

/** pcscd's reader configuration directory (pcsc-lite's default, as Debian builds it). */
export const READER_CONF_DIR = '/etc/reader.conf.d';

/** True in a process that runs inside the rig's namespaces. */
export function insideRig(): boolean {
  return process.env[RIG_ENV] === '1';
}

/**
 * Mount points of this process's mount namespace (/proc/self/mountinfo, the
 * fifth field). Used to make sure /etc/reader.conf.d is the rig's tmpfs before
 * anything writes to it: the host's own configuration is never written.
 */
export function isMountPoint(path: string): boolean {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .some((line) => line.split(' ')[4] === path);
  } catch {
    return false;
  }
}

/**
 * The shell that sets the namespace up and then runs "$@". Loopback's local
 * route gets `quickack 1`: without it every APDU through vpcd waits for
 * Linux's delayed ACK (about 40 ms; README, "APDU time through vpcd").
 * The command is not exec'ed: sh stays pid 1, which ignores Ctrl-C, while the
 * command (in the terminal's process group) gets it; when it ends, sh ends
 * and the kernel ends everything else in the namespace (pcscd, keys).
 */
const SETUP = [
  'set -e',
  'mkdir -p /run/pcscd',
  'mount -t tmpfs -o mode=0755 tmpfs /run/pcscd',
  `mount -t tmpfs -o mode=0755 tmpfs ${READER_CONF_DIR}`,
  'ip link set lo up',
  'ip route replace local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1',
  'set +e',
  `${RIG_ENV}=1 "$@"`,
].join('\n');

export type RigAvailability = { readonly available: true } | { readonly available: false; readonly reason: string };

let availability: Promise<RigAvailability> | undefined;

async function probe(): Promise<RigAvailability> {
  if (insideRig()) return { available: true };
  if (process.getuid?.() !== 0) return { available: false, reason: 'not root (unshare needs root to make mount and network namespaces)' };
  for (const program of ['unshare', 'ip', 'mount'] as const) {
    if (findProgram(program) === undefined) return { available: false, reason: `${program} is not installed` };
  }
  // A container may forbid new namespaces even to root: try once.
  const tried = await run(findProgram('unshare') ?? 'unshare', ['--mount', '--net', '--pid', '--fork', '--mount-proc', 'sh', '-c', SETUP, 'sh', 'true'], {
    timeoutMs: 20_000,
  });
  if (tried.code !== 0) return { available: false, reason: `unshare failed here: ${(tried.stderr.trim().split('\n')[0] ?? '') || `exit ${tried.code}`}` };
  return { available: true };
}

/** Whether the rig can run here (root, unshare, ip, and namespaces allowed); probed once per process. */
export function rigAvailability(): Promise<RigAvailability> {
  availability ??= probe();
  return availability;
}

/** The one line a runner prints when the rig cannot run, saying what happens instead and why it is slower. */
export function fallbackLine(reason: string): string {
  return (
    `rig: not available (${reason}); running against this machine's pcscd instead, one stage at a time — ` +
    "slower: loopback keeps delayed ACKs (about 40 ms more per APDU), no parallel pcscds, and the tests that need a YubiKey's own reader name fail"
  );
}

/** The unshare command line that runs `command` in a new rig. */
export function rigCommandLine(command: readonly string[]): { program: string; args: string[] } {
  if (insideRig()) return { program: command[0] ?? 'true', args: command.slice(1) };
  return {
    program: findProgram('unshare') ?? 'unshare',
    args: ['--mount', '--net', '--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL', 'sh', '-c', SETUP, 'sh', ...command],
  };
}

export interface RigOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Default: stdin closed, stdout and stderr the terminal's. */
  readonly stdio?: StdioOptions;
}

/** Starts `command` (program and arguments) in a new rig, from the repository root. */
export function spawnInRig(command: readonly string[], options: RigOptions = {}): ChildProcess {
  const { program, args } = rigCommandLine(command);
  return spawn(program, args, { cwd: REPO_ROOT, env: options.env ?? process.env, stdio: options.stdio ?? ['ignore', 'inherit', 'inherit'] });
}

/** Runs `command` in a new rig; resolves with its exit code (null when it could not start or was killed). */
export function runInRig(command: readonly string[], options: RigOptions = {}): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawnInRig(command, options);
    child.once('error', (error) => {
      console.error(`rig: ${error.message}`);
      resolve(null);
    });
    child.once('exit', (code) => resolve(code));
  });
}
