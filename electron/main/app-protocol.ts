// app://wfa/ serves the built renderer (renderer/dist) to the window, with
// the CSP and hardening headers on every file. A privileged standard scheme
// rather than file://: the page gets a real origin (so the sender check and
// the CSP's 'self' mean "the app's files"), and file:// would let the page
// read any file the user can.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { protocol } from 'electron';
import { HARDENING_HEADERS } from '../shell/csp.ts';
import { PLACEHOLDER_HTML } from '../shell/placeholder.ts';
import { contentTypeFor, resolveStaticPath } from '../shell/static-files.ts';
import { APP_CSP } from './security.ts';
import { APP_HOST, APP_SCHEME } from './security-policy.ts';

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': APP_CSP } });
}

/** After ready: answers app://wfa/<path> from `rootDir`; any other host, and any path outside it, is a 404. */
export function serveAppFiles(rootDir: string, log: (line: string) => void): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST && request.method === 'GET' ? resolveStaticPath(url.pathname, rootDir) : null;
    if (file === null) return notFound();
    const headers = (type: string): Record<string, string> => ({
      ...HARDENING_HEADERS,
      'Content-Type': type,
      'Content-Security-Policy': APP_CSP,
      'Cache-Control': 'no-cache',
    });
    // An unbuilt renderer shows a page that says so, rather than a blank window.
    if (file === join(resolve(rootDir), 'index.html') && !existsSync(file))
      return new Response(PLACEHOLDER_HTML, { headers: headers('text/html; charset=utf-8') });
    try {
      return new Response(await readFile(file), { headers: headers(contentTypeFor(file)) });
    } catch {
      log(`app://: no file for ${url.pathname} under ${rootDir}`);
      return notFound();
    }
  });
}
