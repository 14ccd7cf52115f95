// Wires the decisions of security-policy.ts to Electron's hooks: the CSP on
// every response, navigation and new windows, permissions, <webview>. Type
// imports only: the objects are handed in by app.ts.
import type { Session, WebContents } from 'electron';
import { contentSecurityPolicy } from '../shell/csp.ts';
import { navigationDecision, permissionDecision, windowOpenDecision } from './security-policy.ts';

/** The app's CSP: its own files only (the Electron page needs no extra connect source). */
export const APP_CSP = contentSecurityPolicy();

/** Session-wide: the CSP on every response (the app:// protocol sets it too) and no permission, ever. */
export function hardenSession(session: Session, log: (line: string) => void): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`security: denied the page's request for the "${permission}" permission`);
    callback(permissionDecision(permission));
  });
  session.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
  session.setDevicePermissionHandler((details) => permissionDecision(details.deviceType));
  session.setSpellCheckerEnabled(false);
}

/** Per page: navigation only within the app, no new windows, no <webview>. */
export function hardenContents(contents: WebContents, appOrigin: string, log: (line: string) => void): void {
  const guardNavigation = (event: { preventDefault(): void; url: string }): void => {
    if (navigationDecision(event.url, appOrigin) === 'deny') {
      event.preventDefault();
      log('security: blocked a navigation away from the app');
    }
  };
  contents.on('will-navigate', guardNavigation);
  contents.on('will-redirect', guardNavigation);
  contents.setWindowOpenHandler(() => {
    log('security: blocked the page from opening a window');
    return windowOpenDecision();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('security: blocked a <webview>');
  });
}
