// The web shell's HTTP side: the built renderer's files, with the app's CSP
// (plus the bridge socket in connect-src) and hardening headers, and the
// bridge script. index.html gets one <script src> for the bridge as the
// first thing in its <head>, so `window.wfa` exists before the renderer's
// own scripts run; no inline script, so the CSP stays strict.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { contentSecurityPolicy, HARDENING_HEADERS } from '../shell/csp.ts';
import { PLACEHOLDER_HTML } from '../shell/placeholder.ts';
import { contentTypeFor, resolveStaticPath } from '../shell/static-files.ts';
import { BRIDGE_SCRIPT_PATH } from './bridge-protocol.ts';

export interface StaticOptions {
  /** The built renderer (renderer/dist); a placeholder page is served while it does not exist. */
  readonly rootDir: string;
  /** 127.0.0.1:PORT: the only Host we answer (a DNS-rebinding page would send its own name). */
  readonly host: string;
  readonly bridgeScript: string;
  readonly log: (line: string) => void;
}

/** Puts the bridge's script tag first in <head> (or first in the document when there is no head). */
export function injectBridgeScript(html: string): string {
  const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head === null) return tag + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + tag + html.slice(at);
}

export function createStaticHandler({ rootDir, host, bridgeScript, log }: StaticOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const root = resolve(rootDir);
  const indexFile = join(root, 'index.html');
  const csp = contentSecurityPolicy([`ws://${host}`]);
  const reply = (response: ServerResponse, status: number, type: string, body: string | Buffer): void => {
    response.writeHead(status, { ...HARDENING_HEADERS, 'Content-Security-Policy': csp, 'Content-Type': type, 'Cache-Control': 'no-store' });
    response.end(body);
  };

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.headers.host !== host) return reply(response, 421, 'text/plain; charset=utf-8', 'This server answers only to its own address.\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, 'text/plain; charset=utf-8', 'Method not allowed.\n');
    const { pathname } = new URL(request.url ?? '/', `http://${host}`);
    if (pathname === BRIDGE_SCRIPT_PATH) return reply(response, 200, 'text/javascript; charset=utf-8', bridgeScript);
    const file = resolveStaticPath(pathname, root);
    if (file === null) return reply(response, 404, 'text/plain; charset=utf-8', 'Not found.\n');
    if (file === indexFile) {
      const html = existsSync(indexFile) ? await readFile(indexFile, 'utf8') : PLACEHOLDER_HTML;
      return reply(response, 200, 'text/html; charset=utf-8', injectBridgeScript(html));
    }
    try {
      reply(response, 200, contentTypeFor(file), await readFile(file));
    } catch {
      reply(response, 404, 'text/plain; charset=utf-8', 'Not found.\n');
    }
  };

  return (request, response) => {
    serve(request, response).catch((error: unknown) => {
      log(`web shell: ${request.method ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) reply(response, 500, 'text/plain; charset=utf-8', 'Internal error.\n');
    });
  };
}
