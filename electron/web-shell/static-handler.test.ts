// The web shell's HTTP side: 127.0.0.1 only, its own Host only, the strict
// CSP (plus its socket), and the bridge script injected into index.html.
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { BRIDGE_SCRIPT_PATH } from './bridge-protocol.ts';
import { injectBridgeScript } from './static-handler.ts';
import { startTestShell, type TestShell } from './test-support.ts';

let running: TestShell | undefined;
afterEach(async () => {
  await running?.shell.close();
  running = undefined;
});

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(port: number, path: string, options: { host?: string; address?: string; method?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: options.address ?? '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

const expectedCsp = (port: number): string =>
  `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:${port}; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

describe('the web shell over HTTP', () => {
  it('listens on 127.0.0.1 only and gives a URL with the token', async () => {
    running = await startTestShell();
    const { shell } = running;
    expect(shell.url).toBe(`http://127.0.0.1:${shell.port}/?token=${shell.token}`);
    // Not on the IPv6 loopback, nor another loopback address (Linux routes all of 127/8 to lo: a
    // server on 0.0.0.0 would answer there), nor any other IPv4 address of this machine.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address);
    for (const address of ['::1', ...(process.platform === 'linux' ? ['127.0.0.2'] : []), ...others]) {
      await expect(get(shell.port, '/', { address })).rejects.toThrow(/ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH|EHOSTUNREACH/);
    }
  });

  it('serves index.html with the CSP (its socket in connect-src) and the bridge script first in <head>', async () => {
    running = await startTestShell();
    const { port } = running.shell;
    const reply = await get(port, `/?token=${running.shell.token}`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-security-policy']).toBe(expectedCsp(port));
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.body).toContain(`<head><script src="${BRIDGE_SCRIPT_PATH}"></script><title>`);
  });

  it('serves the bridge script, with the same CSP', async () => {
    running = await startTestShell();
    const reply = await get(running.shell.port, BRIDGE_SCRIPT_PATH);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(reply.headers['content-security-policy']).toBe(expectedCsp(running.shell.port));
    expect(reply.body).toContain('__wfa/socket');
    expect(reply.body).not.toMatch(/\bimport\s*\(|\brequire\(/);
  });

  it('serves a placeholder that says so while the renderer is not built', async () => {
    running = await startTestShell(null);
    const reply = await get(running.shell.port, '/');
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('The renderer is not built');
    expect(reply.body).toContain(BRIDGE_SCRIPT_PATH);
  });

  it('answers 421 to another Host (a DNS-rebinding page), 404 outside the root, 405 to other methods', async () => {
    running = await startTestShell();
    const { port } = running.shell;
    expect((await get(port, '/', { host: `evil.example:${port}` })).status).toBe(421);
    expect((await get(port, '/', { host: `localhost:${port}` })).status).toBe(421);
    expect((await get(port, '/../../etc/passwd.txt')).status).toBe(404);
    expect((await get(port, '/missing.js')).status).toBe(404);
    expect((await get(port, '/', { method: 'POST' })).status).toBe(405);
  });
});

describe('injectBridgeScript', () => {
  it('puts the script tag right after <head>, attributes or not', () => {
    expect(injectBridgeScript('<html><head lang="en"><title>x</title></head></html>')).toBe(
      `<html><head lang="en"><script src="${BRIDGE_SCRIPT_PATH}"></script><title>x</title></head></html>`,
    );
  });
  it('puts it first when there is no <head>', () => {
    expect(injectBridgeScript('<p>x</p>')).toBe(`<script src="${BRIDGE_SCRIPT_PATH}"></script><p>x</p>`);
  });
  it('is not fooled by <header>', () => {
    expect(injectBridgeScript('<header></header>')).toBe(`<script src="${BRIDGE_SCRIPT_PATH}"></script><header></header>`);
  });
});
