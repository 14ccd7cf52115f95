// Runs in the page served by the web shell (bundled by bridge-bundle.ts):
// gives it the same `window.wfa` (WfaApi) the Electron preload gives, over
// the shell's WebSocket. The token comes from the page's own URL (?token=…)
// and is sent as the socket's first message. Browser code without the DOM
// library (the project type-checks for Node): the few browser objects it
// uses are declared below.
import type { Result } from '../ipc/contract.ts';
import { isEventName } from '../ipc/contract-names.ts';
import { BRIDGE_UNAVAILABLE, createWfaApi, type WfaApi } from '../ipc/wfa-api.ts';
import { BRIDGE_SOCKET_PATH, type ClientMessage, type ServerMessage } from './bridge-protocol.ts';

interface PageSocket {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { readonly code: number; readonly reason: string }) => void): void;
}

interface Page {
  readonly WebSocket: new (url: string) => PageSocket;
  readonly location: { readonly host: string; readonly search: string };
}

const page = globalThis as unknown as Page;
const OPEN = 1;

let nextId = 0;
let ready = false;
let closedWith: string | null = null;
const waiting: string[] = [];
const pending = new Map<number, (result: Result<unknown>) => void>();
const listeners = new Map<string, Set<(payload: unknown) => void>>();

const socket = new page.WebSocket(`ws://${page.location.host}${BRIDGE_SOCKET_PATH}`);
const send = (message: ClientMessage): void => {
  const text = JSON.stringify(message);
  if (ready && socket.readyState === OPEN) socket.send(text);
  else waiting.push(text);
};

socket.addEventListener('open', () => {
  const token = new URLSearchParams(page.location.search).get('token') ?? '';
  socket.send(JSON.stringify({ type: 'auth', token } satisfies ClientMessage));
});

socket.addEventListener('message', ({ data }) => {
  if (typeof data !== 'string') return;
  const message = JSON.parse(data) as ServerMessage;
  if (message.type === 'ready') {
    ready = true;
    for (const text of waiting.splice(0)) socket.send(text);
  } else if (message.type === 'result') {
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  } else {
    for (const listener of listeners.get(message.name) ?? []) {
      try {
        listener(message.payload);
      } catch (error) {
        // One failing listener must not starve the others (as in the main process's event hub).
        console.error(`wfa.on(${message.name}): a listener failed`, error);
      }
    }
  }
});

socket.addEventListener('close', ({ code, reason }) => {
  // Results are data, never exceptions: every waiting and later call gets BRIDGE_UNAVAILABLE.
  closedWith = `${code} ${reason}`;
  console.error(`wfa: the connection to the web shell closed (${closedWith})`);
  for (const resolve of pending.values()) resolve({ ok: false, error: BRIDGE_UNAVAILABLE });
  pending.clear();
  waiting.length = 0;
});

const api: WfaApi = createWfaApi({
  invoke(channel, input) {
    if (closedWith !== null) return Promise.resolve({ ok: false, error: BRIDGE_UNAVAILABLE });
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      send({ type: 'invoke', id, channel, input });
    });
  },
  on(event, listener) {
    if (!isEventName(event)) {
      console.warn(`wfa.on: no event is called "${event}"`);
      return () => undefined;
    }
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    // Wrapped, so the same function subscribed twice is two subscriptions (as in the preload).
    const entry = (payload: unknown): void => listener(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  },
});

// Read-only, as contextBridge makes it in Electron: the page cannot swap the bridge.
Object.defineProperty(globalThis, 'wfa', { value: api, writable: false, configurable: false, enumerable: true });
