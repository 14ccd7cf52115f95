// Shared by the web-shell tests: a shell with recording fake handlers (the
// real services are tested in electron/services), and a WebSocket client
// that can present any Origin and token.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { WebSocket } from 'ws';
import { ok, type Handlers } from '../ipc/contract.ts';
import { CHANNEL_NAMES } from '../ipc/contract-names.ts';
import { EventHub } from '../services/events/event-hub.ts';
import { BRIDGE_SOCKET_PATH, type ClientMessage, type ServerMessage } from './bridge-protocol.ts';
import { startWebShell, type RunningWebShell } from './server.ts';

export const TEST_TOKEN = 'A'.repeat(43);

export function recordingHandlers(): Handlers {
  return Object.fromEntries(CHANNEL_NAMES.map((channel) => [channel, vi.fn(() => Promise.resolve(ok({ answeredBy: channel })))])) as unknown as Handlers;
}

export function handlerCalls(handlers: Handlers): number {
  return CHANNEL_NAMES.reduce((sum, channel) => sum + vi.mocked(handlers[channel]).mock.calls.length, 0);
}

export interface TestShell {
  readonly shell: RunningWebShell;
  readonly handlers: Handlers;
  readonly events: EventHub;
  readonly logs: string[];
  readonly rootDir: string;
}

/** A shell on a free port; `index` is written as renderer/dist/index.html unless null (then the placeholder is served). */
export async function startTestShell(
  index: string | null = '<!doctype html><html><head><title>t</title></head><body><script src="/app.js"></script></body></html>',
): Promise<TestShell> {
  const rootDir = mkdtempSync(join(tmpdir(), 'wfa-web-shell-'));
  if (index !== null) writeFileSync(join(rootDir, 'index.html'), index);
  const handlers = recordingHandlers();
  const events = new EventHub();
  const logs: string[] = [];
  const shell = await startWebShell({ handlers, events, rootDir, token: TEST_TOKEN, authTimeoutMs: 300, log: (line) => logs.push(line) });
  return { shell, handlers, events, logs, rootDir };
}

export interface TestClient {
  readonly socket: WebSocket;
  readonly received: ServerMessage[];
  /** Resolves with the close code and reason when the shell (or we) close the socket. */
  readonly closed: Promise<{ code: number; reason: string }>;
  send(message: ClientMessage | string): void;
  next(type: ServerMessage['type']): Promise<ServerMessage>;
}

export async function connect(shell: RunningWebShell, options: { origin?: string | null; query?: string } = {}): Promise<TestClient> {
  const origin = options.origin === undefined ? shell.origin : options.origin;
  const socket = new WebSocket(`ws://127.0.0.1:${shell.port}${BRIDGE_SOCKET_PATH}${options.query ?? ''}`, origin === null ? {} : { origin });
  const received: ServerMessage[] = [];
  const waiters: { type: string; resolve: (m: ServerMessage) => void }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    const waiter = waiters.findIndex((w) => w.type === message.type);
    if (waiter >= 0) waiters.splice(waiter, 1)[0]!.resolve(message);
    else received.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    received,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: (type) => {
      const index = received.findIndex((m) => m.type === type);
      if (index >= 0) return Promise.resolve(received.splice(index, 1)[0]!);
      return new Promise((resolve) => waiters.push({ type, resolve }));
    },
  };
}
