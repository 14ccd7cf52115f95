// The one window's options, built by a plain function so the security
// settings are unit-tested without Electron (type import only). Each setting
// is Electron's own recommendation (electronjs.org/docs/latest/tutorial/security):
// the page is a sandboxed web page that reaches the main process only through
// the preload's `window.wfa`.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of the built preload script (build/electron/preload.cjs). */
  readonly preloadPath: string;
  readonly title?: string;
  /** DevTools: only for an unpackaged development run (`!app.isPackaged`). */
  readonly devTools?: boolean;
}

/** The security settings of the window; `npm run package:verify` checks that the bundled app gives the same. */
export const HARDENED_WEB_PREFERENCES = {
  // The page and the preload live in separate JavaScript worlds; only what contextBridge exposes crosses.
  contextIsolation: true,
  // The renderer process runs in Chromium's OS sandbox; the preload gets Electron's reduced module set.
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  // No <webview>: it would embed content outside these settings.
  webviewTag: false,
  // Chromium's experimental features are off, as is dropping a file onto the window to open it.
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  // PINs are typed into this window: no spell-checker (it may send words to a service, and underlines PINs).
  spellcheck: false,
  // A page that opens dialogs in a loop gets a checkbox to stop it.
  safeDialogs: true,
  // No DevTools in a shipped app: they would let anyone script the page and its window.wfa.
  devTools: false,
} as const satisfies WebPreferences;

export function buildWindowOptions({ preloadPath, title = 'Workforce Access', devTools = false }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title,
    width: 960,
    height: 720,
    minWidth: 640,
    minHeight: 520,
    // Shown on 'ready-to-show', so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    // DevTools only for an unpackaged development run.
    webPreferences: { preload: preloadPath, ...HARDENED_WEB_PREFERENCES, devTools },
  };
}
