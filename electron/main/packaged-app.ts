// What only a packaged app does at start: refuse remote debugging,
// and make the OS start it at login as the user's settings say. Thin Electron
// glue: the decisions are plain, tested modules (debug-switches.ts,
// services/settings/start-at-login.ts).
import { app } from 'electron';
import type { SettingsService } from '../services/settings/settings-store.ts';
import { applyStartAtLogin } from '../services/settings/start-at-login.ts';
import { AT_LOGIN_ARG } from '../services/settings/xdg-autostart.ts';
import { remoteDebuggingSwitch } from './debug-switches.ts';

/**
 * Call first, before the app is ready (Chromium opens the DevTools port only
 * later): a packaged app with a remote-debugging switch exits at once.
 * Returns true when it is exiting.
 */
export function refuseRemoteDebugging(argv: readonly string[], log: (line: string) => void): boolean {
  if (!app.isPackaged) return false;
  const found =
    remoteDebuggingSwitch(argv.slice(1), process.platform) ??
    ['remote-debugging-port', 'remote-debugging-pipe'].find((name) => app.commandLine.hasSwitch(name)) ??
    null;
  if (found === null) return false;
  log(`start: refused to start with --${found}: remote debugging would let other programs control this app`);
  app.exit(1);
  return true;
}

/** Registers (or removes) the app with the OS's login items, from the per-user settings. Never fails the start. */
export async function syncStartAtLogin(settings: SettingsService, log: (line: string) => void): Promise<void> {
  // A development run (`npm start`) would register the bare Electron binary.
  if (!app.isPackaged) return;
  try {
    const { startAtLogin } = await settings.read();
    const how = await applyStartAtLogin({
      enabled: startAtLogin,
      platform: process.platform,
      env: process.env,
      executable: process.execPath,
      setLoginItem: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, args: [AT_LOGIN_ARG] }),
    });
    log(`start at login: ${startAtLogin ? 'on' : 'off'} (${how})`);
  } catch (error) {
    log(`start at login: could not be applied: ${error instanceof Error ? error.message : String(error)}`);
  }
}
