// `ykman` for the interop tests, run by a warm ykman (scripts/lib/ykman-server.py):
// ykman's own command, imported once per test process and forked for each run,
// with the run's arguments, folder, environment and input, so a run costs
// about a tenth of the CPU of starting ykman afresh. The result is exec.ts's
// RunResult, as run('ykman', …) gives. WFA_YKMAN_SERVER=0 runs the installed
// `ykman` program instead (as does any machine where the server cannot start).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { run, type RunOptions, type RunResult } from './exec.ts';
import { REPO_ROOT } from './paths.ts';
import { findProgram } from './programs.ts';

const SERVER_SCRIPT = join(REPO_ROOT, 'scripts', 'lib', 'ykman-server.py');

const replySchema = z.object({ code: z.number().int().nullable(), signal: z.string().nullable(), stdout: z.string(), stderr: z.string() });

interface Server {
  readonly socket: string;
  readonly child: ChildProcess;
}

let starting: Promise<Server | undefined> | undefined;

/** The interpreter the installed `ykman` script names on its #! line (the server must import the same ykman). */
function ykmanInterpreter(): string | undefined {
  const program = findProgram('ykman');
  if (program === undefined) return undefined;
  try {
    const first = readFileSync(program, 'utf8').split('\n', 1)[0] ?? '';
    const match = /^#!\s*(\S+)\s*$/.exec(first);
    return match?.[1];
  } catch {
    return undefined;
  }
}

async function startServer(): Promise<Server | undefined> {
  if (process.env['WFA_YKMAN_SERVER'] === '0') return undefined;
  const python = ykmanInterpreter();
  if (python === undefined) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'wfa-ykman-'));
  const socket = join(dir, 'ykman.sock');
  // Its stdin stays open and unwritten: the server ends when it closes (this process ended, however it ended).
  const child = spawn(python, [SERVER_SCRIPT, socket], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  child.unref();
  (child.stdin as Socket | null)?.unref();
  const ended = (): void => rmSync(dir, { recursive: true, force: true });
  child.once('exit', ended);
  process.once('exit', () => child.kill('SIGKILL'));
  const ready = await new Promise<boolean>((resolve) => {
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('READY\n')) resolve(true);
    });
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
  });
  if (!ready) return undefined;
  // Its stdout is not read again: ykman's runs write to their own.
  child.stdout?.destroy();
  return { socket, child };
}

/** The command line as exec.ts's run() reports it. */
const commandLine = (args: readonly string[]): string => ['ykman', ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');

function runOnServer(server: Server, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const command = commandLine(args);
  return new Promise((resolve, reject) => {
    const conn = connect(server.socket);
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      // As execFile's timeout: the run is ended (the server kills it when we hang up) and reported as killed.
      timedOut = true;
      conn.destroy();
      resolve({ command, code: null, signal: 'SIGTERM', stdout: '', stderr: '' });
    }, options.timeoutMs ?? 60_000);
    conn.once('error', (error) => {
      clearTimeout(timer);
      if (!timedOut) reject(new Error(`ykman server: ${error.message}`));
    });
    conn.on('data', (chunk: Buffer) => chunks.push(chunk));
    conn.once('end', () => {
      clearTimeout(timer);
      if (timedOut) return;
      try {
        const reply = replySchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        const text = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
        resolve({ command, code: reply.code, signal: reply.signal as NodeJS.Signals | null, stdout: text(reply.stdout), stderr: text(reply.stderr) });
      } catch (error) {
        reject(new Error(`ykman server: a bad reply to \`${command}\`: ${error instanceof Error ? error.message : String(error)}`));
      }
    });
    const header = Buffer.from(JSON.stringify({ argv: ['ykman', ...args], cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env }));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(header.length);
    conn.write(Buffer.concat([length, header]));
    conn.end(options.input ?? '');
  });
}

/** Runs `ykman ARGS` (warm when the server runs, else the installed program); never throws for a failing ykman. */
export async function runYkman(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  starting ??= startServer().catch(() => undefined);
  const server = await starting;
  if (server === undefined || server.child.exitCode !== null || server.child.signalCode !== null) return run('ykman', args, options);
  return runOnServer(server, args, options);
}
