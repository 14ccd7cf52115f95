// Starts the web shell (`npm run web`'s program) as a child process and waits
// for its one WEB_SHELL_URL line. Used by the demo and the e2e launcher.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from './exec.ts';
import { REPO_ROOT } from './paths.ts';

export interface RunningWebShell {
  /** The page to open (carries the shell's token). */
  readonly url: string;
  /** What the shell logged on stderr (for failure reports). */
  log(): string;
  /** Resolves when the shell exits, with its exit code (null after a signal). */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface WebShellOptions {
  readonly dataDir: string;
  /** The organisation policy file (--config). */
  readonly configPath?: string;
  readonly timeoutMs?: number;
}

export async function startWebShell(options: WebShellOptions): Promise<RunningWebShell> {
  // Without a built renderer the shell serves its placeholder page.
  if (!existsSync(join(REPO_ROOT, 'renderer', 'dist', 'index.html')))
    throw new Error('renderer/dist is not built: run `npm run build:renderer` (scripts/setup.sh builds it)');
  // The shell as `npm run web` starts it: from its bundle (rebuilt when a source changed).
  const args = ['scripts/bundle.mjs', 'run', 'web', '--port', '0', '--data-dir', options.dataDir];
  if (options.configPath !== undefined) args.push('--config', options.configPath);
  // The shell's own environment, less a policy or data folder the developer may have set for themselves.
  const env = { ...process.env };
  delete env['WFA_POLICY'];
  delete env['WFA_DATA_DIR'];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    log = (log + chunk).slice(-64 * 1024);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error(`the web shell printed no WEB_SHELL_URL within ${timeoutMs} ms\n${log}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^WEB_SHELL_URL=(\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the web shell exited (${signal ?? `code ${code}`}) before it was ready\n${log}`));
    });
  });
  return { url, log: () => log, exited, stop: () => stopChild(child) };
}
