// The decisions of the window's security handlers, as plain functions so
// both outcomes of each are unit-tested without Electron (security.ts wires
// them to Electron's hooks). GitHub Desktop once shipped its sender guard
// inverted: every decision here has a test for the allowed and the refused case.

/** The app's page is served from app://wfa/ (see app-protocol.ts), never from file:// or http://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'wfa';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Same origin by scheme, host and port. `URL.origin` cannot be used: for a
 * scheme Node's URL does not know as special (app:) it is the string "null",
 * which would make every app: URL — and every opaque origin — look alike.
 */
export function isSameOrigin(url: string, appOrigin: string): boolean {
  const a = parse(url);
  const b = parse(appOrigin);
  if (a === null || b === null || a.host === '' || b.host === '') return false;
  if (a.username !== '' || a.password !== '') return false;
  // Host names are case-insensitive; Node leaves them as written for schemes it does not know (Chromium lowercases).
  return a.protocol === b.protocol && a.hostname.toLowerCase() === b.hostname.toLowerCase() && a.port === b.port;
}

/** An IPC message is trusted only from the app's own page (the sender frame's URL), never from anywhere else. */
export function isTrustedSender(frameUrl: string | null | undefined, appOrigin: string): boolean {
  return typeof frameUrl === 'string' && isSameOrigin(frameUrl, appOrigin);
}

/** `will-navigate`: the app is one page; it may reload itself, nothing else (a link to the web opens nothing). */
export function navigationDecision(url: string, appOrigin: string): 'allow' | 'deny' {
  return isSameOrigin(url, appOrigin) ? 'allow' : 'deny';
}

/** `setWindowOpenHandler`: the app never opens a second window, whatever the URL. */
export function windowOpenDecision(): { readonly action: 'deny' } {
  return { action: 'deny' };
}

/**
 * Permission requests and checks (camera, notifications from the page,
 * clipboard, HID, USB, serial…): all denied. The page needs none; the
 * smart card is reached by the main process over PC/SC, never by WebUSB or WebHID.
 */
export function permissionDecision(permission: string): false {
  void permission;
  return false;
}
