// The e2e launcher for the web shell: its own data folder and policy for each
// app. (An Electron launcher plugs in here where Electron's binary exists; the
// specs only need `url` and `stop`.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebShell } from '../../scripts/lib/web-shell.ts';

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
  /** A data folder prepared beforehand (a pairing made with the wfa CLI); a fresh one by default. */
  readonly dataDir?: string;
}

export async function launchWebShell(options: LaunchOptions = {}): Promise<RunningApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wfa-e2e-data-'));
  let configPath: string | undefined;
  if (options.policy !== undefined) {
    configPath = join(dataDir, 'policy.json');
    writeFileSync(configPath, JSON.stringify(options.policy));
  }
  const shell = await startWebShell({
    dataDir,
    ...(configPath === undefined ? {} : { configPath }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return { url: shell.url, dataDir, log: shell.log, stop: shell.stop };
}
