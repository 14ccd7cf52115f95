// The bridge in a real browser (Debian's Chromium, driven by playwright-core):
// the page served by the shell gets a working `window.wfa` under the strict
// CSP; a page without the token, and a page of another origin that knows the
// token, get nothing through.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, HEADLESS_CHROMIUM_ARGS } from '../../e2e/support/browser.ts';
import type { WfaApi } from '../ipc/wfa-api.ts';
import { CHANNEL_NAMES } from '../ipc/contract-names.ts';
import { channelMethodName } from '../ipc/wfa-api.ts';
import { BRIDGE_SOCKET_PATH } from './bridge-protocol.ts';
import { handlerCalls, startTestShell, TEST_TOKEN, type TestShell } from './test-support.ts';

/** What the page sees; the project type-checks without the DOM library. */
type PageGlobals = { wfa: WfaApi; received?: unknown[]; closeCode?: number };

let context: BrowserContext;
let t: TestShell;
let page: Page;
const cspViolations: string[] = [];

beforeAll(async () => {
  t = await startTestShell();
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'wfa-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: HEADLESS_CHROMIUM_ARGS,
  });
  page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await t?.shell.close();
});

describe('window.wfa in Chromium, from the web shell', () => {
  it('exists with invoke, on and one helper per channel, and cannot be replaced', async () => {
    await page.goto(t.shell.url);
    const shape = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      const api = g['wfa'] as Record<string, unknown>;
      g['wfa'] = 'replaced';
      return { keys: Object.keys(api).sort(), stillThere: typeof g['wfa'] === 'object' };
    });
    expect(shape.keys).toEqual(['invoke', 'on', ...CHANNEL_NAMES.map((c) => channelMethodName(c))].sort());
    expect(shape.stillThere).toBe(true);
  });

  it("answers a request with the handler's Result, under the strict CSP", async () => {
    await page.goto(t.shell.url);
    const result = await page.evaluate(() => (globalThis as unknown as { wfa: WfaApi }).wfa.signinCheck({ pin: '482913' }));
    expect(result).toEqual({ ok: true, value: { answeredBy: 'signin.check' } });
    expect(t.handlers['signin.check']).toHaveBeenCalledWith({ pin: '482913' });
    expect(cspViolations).toEqual([]);
  });

  it('delivers events to wfa.on listeners until they unsubscribe', async () => {
    await page.goto(t.shell.url);
    await page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals;
      g.received = [];
      const stop = g.wfa.on('pairing.progress', (p) => {
        g.received!.push(p);
        stop();
      });
      // Ready once a round trip has gone through: the socket is authenticated.
      await g.wfa.statusGet({});
    });
    t.events.emit('pairing.progress', { step: 'saving', index: 7, total: 7 });
    t.events.emit('pairing.progress', { step: 'saving', index: 7, total: 7 });
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).received)).toEqual([{ step: 'saving', index: 7, total: 7 }]);
  });
});

describe('refused in Chromium', () => {
  it('a page opened without the token: every call fails, no handler runs', async () => {
    const before = handlerCalls(t.handlers);
    await page.goto(`${t.shell.origin}/`);
    const result = await page.evaluate(() => (globalThis as unknown as { wfa: WfaApi }).wfa.statusGet({}));
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(handlerCalls(t.handlers)).toBe(before);
  });

  it('a page of another origin, even one that knows the token: closed with 1008, no handler runs', async () => {
    const other: Server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><script>
        const s = new WebSocket('ws://127.0.0.1:${t.shell.port}${BRIDGE_SOCKET_PATH}');
        s.onopen = () => { s.send(JSON.stringify({ type: 'auth', token: '${TEST_TOKEN}' })); s.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'status.get', input: {} })); };
        s.onclose = (e) => { window.closeCode = e.code; };
      </script>`);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const before = handlerCalls(t.handlers);
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).closeCode)).toBe(1008);
      expect(handlerCalls(t.handlers)).toBe(before);
    } finally {
      other.close();
    }
  });
});
