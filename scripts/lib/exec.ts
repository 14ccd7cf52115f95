// Running an outside program: argument array, never a shell string, stdin
// closed at once (a tool that prompts gets end-of-file and fails instead of
// waiting), and the exit code returned rather than thrown.
import { execFile, type ChildProcess } from 'node:child_process';

export interface RunResult {
  readonly command: string;
  /** Exit code; null when ended by a signal (then `signal` says which). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Milliseconds before the program is killed (default 60 s). */
  readonly timeoutMs?: number;
  /** Written to the program's stdin, which is then closed. */
  readonly input?: string | Uint8Array;
}

export function run(program: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const command = [program, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code === 'string') {
          // ENOENT, EACCES: the program could not be started at all.
          reject(new Error(`${program}: ${error.message}`));
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ command, code, signal: error?.signal ?? null, stdout, stderr });
      },
    );
    // A program that exits without reading its input closes the pipe first (EPIPE): not an error of ours.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/** Like run(), but a non-zero exit is an error carrying the command and its output. */
export async function runOk(program: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(program, args, options);
  if (result.code !== 0) throw new Error(describeFailure(result));
  return result;
}

export function describeFailure(result: RunResult): string {
  const how = result.code === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with ${result.code}`;
  return `\`${result.command}\` ${how}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
