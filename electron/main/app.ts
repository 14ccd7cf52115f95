// The Electron app: one window showing the renderer from app://wfa/, the
// services behind the typed IPC, and every hardening hook. It only wires
// things together; each decision lives in a plain, tested module
// (window-options, security-policy, ipc-guard), the behaviour in the services.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { app, BrowserWindow, dialog, powerMonitor, session } from 'electron';
import type { TrayAction } from '../ipc/contract.ts';
import { resolveDataDir } from '../services/paths.ts';
import { SettingsService } from '../services/settings/settings-store.ts';
import { AT_LOGIN_ARG } from '../services/settings/xdg-autostart.ts';
import type { AppServices, ShellServices, ShellServicesOptions } from '../app/app-services.ts';
import { ClockWatcher } from '../shell/clock-watcher.ts';
import { registerAppScheme, serveAppFiles } from './app-protocol.ts';
import { createElectronTrayFactory } from './electron-tray-factory.ts';
import { registerIpcHandlers, sendEvent } from './ipc-main.ts';
import { refuseRemoteDebugging, syncStartAtLogin } from './packaged-app.ts';
import { hardenContents, hardenSession } from './security.ts';
import { APP_ENTRY_URL, APP_ORIGIN } from './security-policy.ts';
import { SystemTray } from './system-tray.ts';
import { runTrayAction } from './tray-actions.ts';
import { buildWindowOptions } from './window-options.ts';

export interface ElectronAppOptions {
  /** The services, and their renewal reminders: started here, evaluated again on wake and on a clock change. */
  readonly createServices: (options: ShellServicesOptions) => Promise<ShellServices & Pick<AppServices, 'reminders'>>;
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
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, config: { type: 'string' } },
  });
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const dataDir = text(values['data-dir']);
  const config = text(values.config);
  return { ...(dataDir === undefined ? {} : { dataDir }), ...(config === undefined ? {} : { config }) };
}

export async function startElectronApp({ createServices, preloadPath, argv, env }: ElectronAppOptions): Promise<void> {
  // --- packaging: a packaged app never runs with a remote-debugging port (anyone could script it). ---
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
  const services = await createServices({
    dataDir,
    env,
    attestationAssets: join(app.getAppPath(), 'assets', 'attestation'),
    ...(args.config === undefined ? {} : { configPath: args.config }),
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('Workforce Access could not start', message);
    log(`start: ${message}`);
    app.exit(1);
    return null;
  });
  if (services === null) return;
  // --- packaging: start at login as the per-user settings say (read only here). ---
  void syncStartAtLogin(new SettingsService(dataDir), log);

  hardenSession(session.defaultSession, log);
  serveAppFiles(join(app.getAppPath(), 'renderer', 'dist'), log);
  const unregisterIpc = registerIpcHandlers(services.handlers, APP_ORIGIN, log);

  const window = new BrowserWindow(buildWindowOptions({ preloadPath, devTools: !app.isPackaged }));
  // Started at login (the autostart entry or login item passes --at-login; macOS tells it apart itself): the app
  // waits in the tray and the window opens from there, a notification or a second start.
  const startedAtLogin = argv.includes(AT_LOGIN_ARG) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
  window.once('ready-to-show', () => {
    if (!startedAtLogin) window.show();
  });
  const showWindow = (): void => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  // One instance (the lock above): a second start brings this one's window back.
  app.on('second-instance', showWindow);
  // macOS: a click on the Dock icon while the window is hidden.
  app.on('activate', showWindow);

  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  // Closing the window keeps the app in the tray, where the renewal reminders live; "Quit" in the tray ends it.
  window.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    window.hide();
  });
  // Listening stops Electron's default of quitting once no window is left: the app lives on in the tray.
  app.on('window-all-closed', () => undefined);

  const onTrayAction = (action: TrayAction): void => {
    void runTrayAction(action, {
      showWindow,
      quit: () => app.quit(),
      snooze: (days) => services.handlers['renewal.snooze']({ days }),
      tellPage: (picked) => sendEvent(window.webContents, { name: 'tray.action', payload: picked }),
      log,
    });
  };
  const tray = new SystemTray({ factory: createElectronTrayFactory(join(app.getAppPath(), 'assets', 'tray'), log), onAction: onTrayAction, log });
  const unsubscribe = services.events.subscribe((event) => {
    sendEvent(window.webContents, event);
    if (event.name === 'tray.changed') tray.render(event.payload);
  });
  const initialTray = await services.handlers['tray.get']({});
  if (initialTray.ok) tray.render(initialTray.value);

  // The reminder schedule is evaluated again on wake and when the clock or time zone changes.
  const evaluate = (reason: 'resume' | 'clock-change'): void => {
    services.reminders.evaluate(reason).catch((error: unknown) => log(`reminders: ${reason}: ${error instanceof Error ? error.message : String(error)}`));
  };
  powerMonitor.on('resume', () => evaluate('resume'));
  const clock = new ClockWatcher({ onChange: () => evaluate('clock-change') });
  clock.start();
  // After the tray listens: the first evaluation's reminder (one missed while the app was closed, too) reaches it.
  await services.reminders.start().catch((error: unknown) => log(`reminders: start: ${error instanceof Error ? error.message : String(error)}`));

  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    // Stop the services (PC/SC, stores) before the process goes, then quit for real.
    event.preventDefault();
    closed = true;
    clock.stop();
    tray.destroy();
    unsubscribe();
    unregisterIpc();
    void services.close().finally(() => app.quit());
  });

  // A failed load (renderer missing, aborted) leaves the window up with Chromium's error page; the log says why.
  await window
    .loadURL(APP_ENTRY_URL)
    .catch((error: unknown) => log(`start: could not load ${APP_ENTRY_URL}: ${error instanceof Error ? error.message : String(error)}`));
}
