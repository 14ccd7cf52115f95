// The bridge socket's gate, each way: the right Origin and token get
// results and events; a missing or wrong token, or another Origin, is closed
// with 1008 (policy violation) and no handler ever runs.
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_GOING_AWAY, CLOSE_POLICY_VIOLATION } from './bridge-protocol.ts';
import { connect, handlerCalls, startTestShell, TEST_TOKEN, type TestShell } from './test-support.ts';

let running: TestShell | undefined;
afterEach(async () => {
  await running?.shell.close();
  running = undefined;
});

async function shell(): Promise<TestShell> {
  running = await startTestShell();
  return running;
}

const statusRequest = { type: 'invoke', id: 1, channel: 'status.get', input: {} } as const;

describe('the bridge socket: accepted', () => {
  it("answers a request with its handler's Result once the token is given", async () => {
    const { shell: s, handlers } = await shell();
    const client = await connect(s);
    client.send({ type: 'auth', token: TEST_TOKEN });
    expect(await client.next('ready')).toEqual({ type: 'ready' });
    client.send({ type: 'invoke', id: 7, channel: 'signin.check', input: { pin: '482913' } });
    expect(await client.next('result')).toEqual({ type: 'result', id: 7, result: { ok: true, value: { answeredBy: 'signin.check' } } });
    expect(handlers['signin.check']).toHaveBeenCalledWith({ pin: '482913' });
  });

  it("accepts the token in the socket URL's query as well", async () => {
    const { shell: s } = await shell();
    const client = await connect(s, { query: `?token=${TEST_TOKEN}` });
    expect(await client.next('ready')).toEqual({ type: 'ready' });
    client.send(statusRequest);
    expect(await client.next('result')).toMatchObject({ id: 1, result: { ok: true } });
  });

  it('validates input with the contract: INVALID_REQUEST, no handler, no PIN in the log', async () => {
    const { shell: s, handlers, logs } = await shell();
    const client = await connect(s);
    client.send({ type: 'auth', token: TEST_TOKEN });
    await client.next('ready');
    client.send({ type: 'invoke', id: 2, channel: 'signin.check', input: { pin: '48291367', lastTryConfirmed: 'yes' } });
    expect(await client.next('result')).toMatchObject({ id: 2, result: { ok: false, error: { code: 'INVALID_REQUEST' } } });
    client.send({ type: 'invoke', id: 3, channel: 'no.such.channel' });
    expect(await client.next('result')).toMatchObject({ id: 3, result: { ok: false, error: { code: 'INVALID_REQUEST' } } });
    expect(handlerCalls(handlers)).toBe(0);
    expect(logs.join('\n')).not.toContain('48291367');
  });

  it('pushes events to every authenticated socket, and to no other', async () => {
    const { shell: s, events } = await shell();
    const a = await connect(s);
    const b = await connect(s);
    const waiting = await connect(s);
    for (const client of [a, b]) {
      client.send({ type: 'auth', token: TEST_TOKEN });
      await client.next('ready');
    }
    events.emit('pairing.progress', { step: 'creating-key', index: 5, total: 7 });
    const expected = { type: 'event', name: 'pairing.progress', payload: { step: 'creating-key', index: 5, total: 7 } };
    expect(await a.next('event')).toEqual(expected);
    expect(await b.next('event')).toEqual(expected);
    // The unauthenticated socket is closed for its silence, having received nothing.
    expect((await waiting.closed).code).toBe(CLOSE_POLICY_VIOLATION);
    expect(waiting.received).toEqual([]);
  });

  it('closes its sockets with 1001 when the shell stops, and unsubscribes from the events', async () => {
    const t = await shell();
    const client = await connect(t.shell);
    client.send({ type: 'auth', token: TEST_TOKEN });
    await client.next('ready');
    expect(t.events.listenerCount).toBe(1);
    await t.shell.close();
    running = undefined;
    expect((await client.closed).code).toBe(CLOSE_GOING_AWAY);
    expect(t.events.listenerCount).toBe(0);
  });
});

describe('the bridge socket: refused', () => {
  it.each([
    ['no token: the first message is a request', [statusRequest]],
    ['a wrong token', [{ type: 'auth', token: 'B'.repeat(43) }, statusRequest]],
    ['a token one character short', [{ type: 'auth', token: TEST_TOKEN.slice(1) }, statusRequest]],
    ['an empty token', [{ type: 'auth', token: '' }, statusRequest]],
    ['a first message that is not JSON', ['hello', statusRequest]],
  ] as const)('%s: closed with 1008, no handler called', async (_what, messages) => {
    const { shell: s, handlers, logs } = await shell();
    const client = await connect(s);
    for (const message of messages) client.send(message);
    const closed = await client.closed;
    expect(closed.code).toBe(CLOSE_POLICY_VIOLATION);
    expect(client.received).toEqual([]);
    expect(handlerCalls(handlers)).toBe(0);
    expect(logs.some((line) => line.includes('refused a bridge connection'))).toBe(true);
    expect(logs.join('\n')).not.toContain('B'.repeat(43));
  });

  it('a wrong token in the query: closed with 1008', async () => {
    const { shell: s, handlers } = await shell();
    const client = await connect(s, { query: '?token=nope' });
    client.send(statusRequest);
    expect((await client.closed).code).toBe(CLOSE_POLICY_VIOLATION);
    expect(handlerCalls(handlers)).toBe(0);
  });

  it('silence: closed with 1008 when no token comes in time', async () => {
    const { shell: s } = await shell();
    const client = await connect(s);
    expect(await client.closed).toMatchObject({ code: CLOSE_POLICY_VIOLATION, reason: 'no token in time' });
  });

  it.each([
    ['another web page', 'https://evil.example'],
    ['the right host on another port', 'http://127.0.0.1:1'],
    ['localhost instead of 127.0.0.1', 'http://localhost:PORT'],
    ['the opaque origin of a file or sandboxed frame', 'null'],
    ['no Origin at all (a non-browser client)', null],
  ])('%s as Origin, even with the right token: closed with 1008, no handler called', async (_what, originTemplate) => {
    const { shell: s, handlers, logs } = await shell();
    const origin = originTemplate === null ? null : originTemplate.replace('PORT', String(s.port));
    const client = await connect(s, { origin, query: `?token=${TEST_TOKEN}` });
    client.send({ type: 'auth', token: TEST_TOKEN });
    client.send(statusRequest);
    expect(await client.closed).toMatchObject({ code: CLOSE_POLICY_VIOLATION });
    expect(client.received).toEqual([]);
    expect(handlerCalls(handlers)).toBe(0);
    expect(logs.join('\n')).toMatch(/origin .* is not the app's page/);
  });

  it('a malformed message after authentication: closed with 1008', async () => {
    const { shell: s, handlers } = await shell();
    const client = await connect(s);
    client.send({ type: 'auth', token: TEST_TOKEN });
    await client.next('ready');
    client.send(JSON.stringify({ type: 'invoke', id: -1, channel: 'status.get', input: {} }));
    expect((await client.closed).code).toBe(CLOSE_POLICY_VIOLATION);
    expect(handlerCalls(handlers)).toBe(0);
  });
});
