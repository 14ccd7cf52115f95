// The decision behind every ipcMain.handle (ipc-main.ts): checked both ways,
// with handlers that record their calls.
import { describe, expect, it, vi } from 'vitest';
import { ok, type Handlers } from '../ipc/contract.ts';
import { CHANNEL_NAMES } from '../ipc/contract-names.ts';
import { handleIpcRequest, isTrustedRequest } from './ipc-guard.ts';
import { APP_ENTRY_URL, APP_ORIGIN } from './security-policy.ts';

function recordingHandlers(): Handlers {
  return Object.fromEntries(CHANNEL_NAMES.map((c) => [c, vi.fn(() => Promise.resolve(ok({ from: c })))])) as unknown as Handlers;
}

const appPage = { frameUrl: APP_ENTRY_URL, isTopFrame: true };

describe('handleIpcRequest', () => {
  it("dispatches a request from the app's own page to its handler and answers its Result", async () => {
    const handlers = recordingHandlers();
    const log = vi.fn();
    const result = await handleIpcRequest(handlers, { sender: appPage, channel: 'signin.check', input: { pin: '482913' } }, APP_ORIGIN, log);
    expect(result).toEqual({ ok: true, value: { from: 'signin.check' } });
    expect(handlers['signin.check']).toHaveBeenCalledWith({ pin: '482913' });
    expect(log).not.toHaveBeenCalled();
  });

  it.each([
    ['another origin', { frameUrl: 'https://example.com/', isTopFrame: true }],
    ['a file: page', { frameUrl: 'file:///tmp/index.html', isTopFrame: true }],
    ['an iframe, even on the app origin', { frameUrl: APP_ENTRY_URL, isTopFrame: false }],
    ['a destroyed frame', { frameUrl: null, isTopFrame: false }],
  ])('refuses %s with INVALID_REQUEST, calls no handler, logs without the payload', async (_what, sender) => {
    const handlers = recordingHandlers();
    const lines: string[] = [];
    const result = await handleIpcRequest(handlers, { sender, channel: 'signin.check', input: { pin: '482913' } }, APP_ORIGIN, (line) => lines.push(line));
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    for (const channel of CHANNEL_NAMES) expect(handlers[channel]).not.toHaveBeenCalled();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('refused signin.check');
    expect(lines[0]).not.toContain('482913');
  });

  it('logs only the scheme and host of a refused sender, not its path or query', async () => {
    const lines: string[] = [];
    await handleIpcRequest(
      recordingHandlers(),
      { sender: { frameUrl: 'https://evil.example/steal?pin=482913', isTopFrame: true }, channel: 'status.get', input: {} },
      APP_ORIGIN,
      (l) => lines.push(l),
    );
    expect(lines.join()).toContain('https://evil.example');
    expect(lines.join()).not.toContain('482913');
  });

  it('still validates input from the trusted page (INVALID_REQUEST, no handler)', async () => {
    const handlers = recordingHandlers();
    const result = await handleIpcRequest(
      handlers,
      { sender: appPage, channel: 'signin.check', input: { pin: '482913', extra: 'not in the contract' } },
      APP_ORIGIN,
      () => undefined,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(handlers['signin.check']).not.toHaveBeenCalled();
  });

  it('answers INTERNAL, not an exception, when a handler throws', async () => {
    const handlers = { ...recordingHandlers(), 'status.get': () => Promise.reject(new Error('reader vanished')) };
    const lines: string[] = [];
    const result = await handleIpcRequest(handlers, { sender: appPage, channel: 'status.get', input: {} }, APP_ORIGIN, (l) => lines.push(l));
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(lines.join()).toContain('reader vanished');
  });
});

describe('isTrustedRequest', () => {
  it('is true only for the top frame of the app origin', () => {
    expect(isTrustedRequest(appPage, APP_ORIGIN)).toBe(true);
    expect(isTrustedRequest({ ...appPage, isTopFrame: false }, APP_ORIGIN)).toBe(false);
    expect(isTrustedRequest({ frameUrl: 'app://other/index.html', isTopFrame: true }, APP_ORIGIN)).toBe(false);
  });
});
