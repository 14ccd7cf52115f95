// The e2e launcher for the web shell: `npm run web`'s program as a child
// process with its own data folder and policy, ready when it prints its one
// WEB_SHELL_URL line. (The Electron launcher plugs in here where Electron's
// binary exists; the specs only need `url` and `stop`.)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '../../scripts/lib/exec.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';

export interface RunningApp {
  /** The page to open (carries the shell's token). */
  readonly url: string;
  readonly dataDir: string;
  /** What the shell logged (for failure reports). */
  log(): string;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /** The organisation policy (design.md), written to a file given with --config. */
  readonly policy?: unknown;
  readonly timeoutMs?: number;
}

export async function launchWebShell(options: LaunchOptions = {}): Promise<RunningApp> {
  // Without a built renderer the shell serves its placeholder page, and every spec would fail on a missing heading.
  if (!existsSync(join(REPO_ROOT, 'renderer', 'dist', 'index.html'))) throw new Error('renderer/dist is not built: run `npm run build:renderer` (npm test builds it in scripts/setup.sh)');
  const dataDir = mkdtempSync(join(tmpdir(), 'wfa-e2e-data-'));
  const args = ['--import', 'tsx', 'electron/web-shell/main.ts', '--port', '0', '--data-dir', dataDir];
  if (options.policy !== undefined) {
    const policyFile = join(dataDir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(options.policy));
    args.push('--config', policyFile);
  }
  // The shell's own environment, less a policy the developer may have set for themselves.
  const env = { ...process.env };
  delete env['WFA_POLICY'];
  delete env['WFA_DATA_DIR'];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    log = (log + chunk).slice(-64 * 1024);
  });
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
  return { url, dataDir, log: () => log, stop: () => stopChild(child) };
}
