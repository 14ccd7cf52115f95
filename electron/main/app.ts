// The Electron app: one window showing the renderer from app://wfa/, the
// services behind the typed IPC, and every hardening hook. It only wires
// things together; each decision lives in a plain, tested module
// (window-options, security-policy, ipc-guard), the behaviour in the services.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { app, BrowserWindow, dialog, session } from 'electron';
import { resolveDataDir } from '../services/paths.ts';
import { SettingsService } from '../services/settings/settings-store.ts';
import type { CreateAppServices } from '../shell/app-services.ts';
import { registerAppScheme, serveAppFiles } from './app-protocol.ts';
import { registerIpcHandlers, sendEvent } from './ipc-main.ts';
import { refuseRemoteDebugging, syncStartAtLogin } from './packaged-app.ts';
import { hardenContents, hardenSession } from './security.ts';
import { APP_ENTRY_URL, APP_ORIGIN } from './security-policy.ts';
import { buildWindowOptions } from './window-options.ts';

export interface ElectronAppOptions {
  readonly createServices: CreateAppServices;
  /** The built preload (build/electron/preload.cjs, next to the main bundle). */
  readonly preloadPath: string;
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

const log = (line: string): void => {
  console.error(`[wfa] ${line}`);
};

/** `--data-dir DIR` and `--config FILE`; Chromium's own switches are left alone (strict: false). */
function appArgs(argv: readonly string[]): { dataDir?: string; config?: string } {
  const { values } = parseArgs({ args: [...argv], strict: false, allowPositionals: true, options: { 'data-dir': { type: 'string' }, config: { type: 'string' } } });
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const dataDir = text(values['data-dir']);
  const config = text(values.config);
  return { ...(dataDir === undefined ? {} : { dataDir }), ...(config === undefined ? {} : { config }) };
}

export async function startElectronApp({ createServices, preloadPath, argv, env }: ElectronAppOptions): Promise<void> {
  // --- packaging (issue 16): a packaged app never runs with a remote-debugging port. ---
  if (refuseRemoteDebugging(argv, log)) return;
  // One app per user: a second start focuses the first window instead (and exits).
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  // Every renderer sandboxed, whatever options a window is created with.
  app.enableSandbox();
  const args = appArgs(argv.slice(1));
  // The CLI and the web shell compute the same folder; set it so Electron's userData agrees.
  const dataDir = resolveDataDir({ flag: args.dataDir, env });
  app.setPath('userData', dataDir);
  // Any web contents ever created (including ones we never meant to) gets the navigation and window guards.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, APP_ORIGIN, log));

  await app.whenReady();
  const services = await createServices({ dataDir, env, ...(args.config === undefined ? {} : { configPath: args.config }) }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('Workforce Access could not start', message);
    log(`start: ${message}`);
    app.exit(1);
    return null;
  });
  if (services === null) return;
  // --- packaging (issue 16): start at login as the per-user settings say (read only here). ---
  void syncStartAtLogin(new SettingsService(dataDir), log);

  hardenSession(session.defaultSession, log);
  serveAppFiles(join(app.getAppPath(), 'renderer', 'dist'), log);
  const unregisterIpc = registerIpcHandlers(services.handlers, APP_ORIGIN, log);

  const window = new BrowserWindow(buildWindowOptions({ preloadPath, devTools: !app.isPackaged }));
  window.once('ready-to-show', () => window.show());
  const unsubscribe = services.events.subscribe((event) => sendEvent(window.webContents, event));
  app.on('second-instance', () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // One window: closing it ends the app (the tray of the renewal issue will change this).
  app.on('window-all-closed', () => app.quit());

  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    // Stop the services (PC/SC, stores) before the process goes, then quit for real.
    event.preventDefault();
    closed = true;
    unsubscribe();
    unregisterIpc();
    void services.close().finally(() => app.quit());
  });

  // A failed load (renderer missing, aborted) leaves the window up with Chromium's error page; the log says why.
  await window.loadURL(APP_ENTRY_URL).catch((error: unknown) => log(`start: could not load ${APP_ENTRY_URL}: ${error instanceof Error ? error.message : String(error)}`));
}
