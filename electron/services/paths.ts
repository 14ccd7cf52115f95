// Where the app keeps its data (pairing record, settings, local CA, audit
// log): the folder Electron calls userData (app.getPath('userData') = appData
// + the app's name), so the desktop app, the web shell and the CLI share one
// folder unless told otherwise. Computed here in plain Node, because the CLI
// and the services run without Electron.
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/** The app's name as Electron's userData folder uses it (electron-builder productName). */
export const APP_FOLDER_NAME = 'Workforce Access';

export interface DataDirSources {
  /** `--data-dir`, when given. */
  readonly flag?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
}

const nonEmpty = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * Electron's appData per OS (Electron docs, app.getPath('appData')): %APPDATA%
 * on Windows, ~/Library/Application Support on macOS, $XDG_CONFIG_HOME or
 * ~/.config on Linux; plus the app's folder.
 */
export function defaultDataDir(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return win32.join(nonEmpty(env['APPDATA']) ? env['APPDATA'] : win32.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  const xdg = env['XDG_CONFIG_HOME'];
  return posix.join(nonEmpty(xdg) ? xdg : posix.join(home, '.config'), APP_FOLDER_NAME);
}

/** `--data-dir`, else WFA_DATA_DIR, else the per-user application data folder. */
export function resolveDataDir({ flag, env, platform, home }: DataDirSources): string {
  if (nonEmpty(flag)) return flag;
  const fromEnv = env['WFA_DATA_DIR'];
  if (nonEmpty(fromEnv)) return fromEnv;
  return defaultDataDir(env, platform, home);
}
