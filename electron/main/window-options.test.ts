// The window's options are built by a plain function: every security
// setting is checked here, without Electron.
import { describe, expect, it } from 'vitest';
import { buildWindowOptions } from './window-options.ts';

describe('buildWindowOptions', () => {
  const options = buildWindowOptions({ preloadPath: '/app/build/electron/preload.cjs' });
  const prefs = options.webPreferences ?? {};

  it('isolates and sandboxes the page, with no Node in it', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on and every risky feature off', () => {
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    });
  });

  it('loads the given preload', () => {
    expect(prefs.preload).toBe('/app/build/electron/preload.cjs');
  });

  it('has no DevTools unless asked for (an unpackaged development run)', () => {
    expect(prefs.devTools).toBe(false);
    expect(buildWindowOptions({ preloadPath: '/p', devTools: true }).webPreferences?.devTools).toBe(true);
  });

  it('waits for the first paint before showing the window', () => {
    expect(options.show).toBe(false);
  });

  it('sets nothing that weakens the defaults (no enableBlinkFeatures, no additional arguments)', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(prefs).not.toHaveProperty('partition');
  });
});
