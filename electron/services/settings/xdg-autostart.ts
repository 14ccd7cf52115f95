// Start at login on Linux: an XDG autostart entry
// (specifications.freedesktop.org/autostart-spec), a .desktop file in
// $XDG_CONFIG_HOME/autostart (default ~/.config/autostart) that the desktop
// session starts at login. Removing the file turns it off. Windows and macOS
// use Electron's login-item settings instead (electron/main/packaged-app.ts).
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';

export const AUTOSTART_FILE_NAME = 'workforce-access.desktop';
/** Passed to the app when the session starts it, so it can start in the tray, without a window. */
export const AT_LOGIN_ARG = '--at-login';

export function autostartFile(env: Readonly<Record<string, string | undefined>>, home: string = homedir()): string {
  const configHome = env['XDG_CONFIG_HOME'];
  // The spec: a relative XDG_CONFIG_HOME is invalid and is ignored.
  const base = configHome !== undefined && posix.isAbsolute(configHome) ? configHome : posix.join(home, '.config');
  return posix.join(base, 'autostart', AUTOSTART_FILE_NAME);
}

/**
 * One argument of an Exec line (Desktop Entry spec, "The Exec key"): quoted
 * when it holds a reserved character, with `"`, `` ` ``, `$` and `\` escaped
 * inside the quotes, and `%` doubled; then `\` escaped again, as every
 * string value of a desktop file is.
 */
export function execArgument(arg: string): string {
  const percent = arg.replace(/%/g, '%%');
  const quoted = /[\s"'\\><~|&;$*?#()`]/.test(percent) || percent === '' ? `"${percent.replace(/(["`$\\])/g, '\\$1')}"` : percent;
  return quoted.replace(/\\/g, '\\\\');
}

/** A string value of a desktop file: no line breaks (escaped as the spec says). */
function desktopString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

export interface AutostartEntry {
  /** The program to start: $APPIMAGE for an AppImage (its mount point changes every run), else the executable. */
  readonly executable: string;
  readonly name?: string;
}

export function autostartEntry({ executable, name = 'Workforce Access' }: AutostartEntry): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${desktopString(name)}`,
    'Comment=Reminds you to renew your security key certificate',
    `Exec=${[executable, AT_LOGIN_ARG].map(execArgument).join(' ')}`,
    'Icon=workforce-access',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes or removes the entry so that it matches `enabled`. */
export async function applyXdgAutostart(enabled: boolean, entry: AutostartEntry, file: string): Promise<void> {
  if (enabled) await writeFileAtomic(file, autostartEntry(entry), 0o644);
  else await rm(file, { force: true });
}
