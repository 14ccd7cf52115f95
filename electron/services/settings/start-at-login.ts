// Start at login, per OS: an XDG autostart entry on Linux (written here, in
// plain Node), Electron's login-item settings on Windows and macOS (handed in
// by the Electron shell, which alone may call Electron).
import { type AutostartEntry, applyXdgAutostart, autostartFile } from './xdg-autostart.ts';

export interface StartAtLoginOptions {
  readonly enabled: boolean;
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** process.execPath of the packaged app. */
  readonly executable: string;
  /** Electron's app.setLoginItemSettings, for Windows and macOS. */
  readonly setLoginItem: (enabled: boolean) => void;
  readonly home?: string;
}

/** Makes the OS start the app at login, or not; says which mechanism it used. */
export async function applyStartAtLogin(options: StartAtLoginOptions): Promise<'login-item' | 'xdg-autostart'> {
  if (options.platform === 'win32' || options.platform === 'darwin') {
    options.setLoginItem(options.enabled);
    return 'login-item';
  }
  // An AppImage runs from a new mount point each time: the session must start the AppImage file itself.
  const appImage = options.env['APPIMAGE'];
  const entry: AutostartEntry = { executable: appImage !== undefined && appImage !== '' ? appImage : options.executable };
  await applyXdgAutostart(options.enabled, entry, autostartFile(options.env, options.home));
  return 'xdg-autostart';
}
