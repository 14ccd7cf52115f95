// The demo's desktop window: Debian's Chromium in app mode (`--app=URL`: a
// window with no tabs, address bar or browser menus), with its own profile
// folder under .wfa-run/, so it neither touches nor depends on the user's
// browser. Opened only when there is a display to show it on.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { stopChild } from './exec.ts';
import { RUN_DIR } from './paths.ts';

export const APP_WINDOW_PROFILE = join(RUN_DIR, 'demo-chromium-profile');
export const CHROMIUM = process.env['WFA_CHROMIUM'] ?? '/usr/bin/chromium';

/** The display to open the window on (X11 or Wayland), or null when there is none. */
export function displayOf(env: Readonly<Record<string, string | undefined>>): string | null {
  for (const name of ['WAYLAND_DISPLAY', 'DISPLAY']) {
    const value = env[name];
    if (value !== undefined && value !== '') return `${name}=${value}`;
  }
  return null;
}

export interface AppWindowOptions {
  readonly url: string;
  readonly profileDir?: string;
  /** Chromium refuses to start as root without --no-sandbox (the demo runs as root on the build machines). */
  readonly runningAsRoot?: boolean;
}

export function appWindowArgs({ url, profileDir = APP_WINDOW_PROFILE, runningAsRoot = false }: AppWindowOptions): string[] {
  return [
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    '--window-size=960,720',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--class=WorkforceAccess',
    ...(runningAsRoot ? ['--no-sandbox'] : []),
  ];
}

export interface AppWindow {
  readonly pid: number | undefined;
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function openAppWindow(options: AppWindowOptions, chromium = CHROMIUM): AppWindow {
  const child: ChildProcess = spawn(chromium, appWindowArgs(options), { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return { pid: child.pid, exited, stop: () => stopChild(child) };
}
