// The shell's side of the bridge: a WebSocket on BRIDGE_SOCKET_PATH that
// serves `window.wfa` to the page. A socket is refused (closed with 1008,
// policy violation, before any handler runs) unless its Origin is the
// shell's own page and it presents the token — as its first message, or in
// the socket URL's query. Any web page the user opens can try to reach
// 127.0.0.1; the Origin check stops it, and the token stops other local
// programs, which can forge an Origin but cannot read the token.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Handlers } from '../ipc/contract.ts';
import type { EventSource } from '../ipc/wfa-api.ts';
import { dispatchSafely } from '../shell/dispatch-safely.ts';
import { BRIDGE_SOCKET_PATH, CLOSE_GOING_AWAY, CLOSE_POLICY_VIOLATION, type ServerMessage } from './bridge-protocol.ts';
import { tokensEqual } from './token.ts';

const clientMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auth'), token: z.string().max(200) }),
  // `input` stays unknown here: `dispatch` validates it against the channel's schema.
  z.strictObject({
    type: z.literal('invoke'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    channel: z.string().max(100),
    input: z.unknown().optional(),
  }),
]);

export interface BridgeOptions {
  /** The page's origin, exactly: http://127.0.0.1:PORT. */
  readonly origin: string;
  readonly token: string;
  readonly handlers: Handlers;
  readonly events: EventSource;
  readonly log: (line: string) => void;
  /** How long a socket may stay unauthenticated. */
  readonly authTimeoutMs?: number;
}

export interface Bridge {
  /** Closes every socket and stops pushing events. */
  close(): void;
}

/** An Origin header for the log: attacker-chosen text, so quoted and cut short. */
const quote = (value: string | undefined): string => (value === undefined ? 'none' : JSON.stringify(value.slice(0, 80)));

function parseMessage(data: RawData, isBinary: boolean): z.output<typeof clientMessage> | null {
  if (isBinary) return null;
  try {
    const parsed = clientMessage.safeParse(JSON.parse(data.toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function attachBridge(server: Server, options: BridgeOptions): Bridge {
  const { origin, token, handlers, events, log } = options;
  // Requests are small JSON; a big frame is not one of ours.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const authenticated = new Set<WebSocket>();
  const send = (socket: WebSocket, message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const refuse = (socket: WebSocket, reason: string): void => {
    log(`web shell: refused a bridge connection: ${reason}`);
    authenticated.delete(socket);
    socket.close(CLOSE_POLICY_VIOLATION, reason.slice(0, 120));
  };

  const unsubscribe = events.subscribe((event) => {
    for (const socket of authenticated) send(socket, { type: 'event', name: event.name, payload: event.payload });
  });

  const onConnection = (socket: WebSocket, request: IncomingMessage): void => {
    // Checked first: a socket from another origin gets no chance to send anything.
    if (request.headers.origin !== origin) {
      refuse(socket, `origin ${quote(request.headers.origin)} is not the app's page`);
      return;
    }
    const queryToken = new URL(request.url ?? '/', origin).searchParams.get('token');
    const admit = (): void => {
      clearTimeout(timer);
      authenticated.add(socket);
      send(socket, { type: 'ready' });
    };
    const timer = setTimeout(() => refuse(socket, 'no token in time'), options.authTimeoutMs ?? 5_000);
    socket.once('close', () => {
      clearTimeout(timer);
      authenticated.delete(socket);
    });
    if (queryToken !== null) {
      if (!tokensEqual(queryToken, token)) return refuse(socket, 'wrong token');
      admit();
    }
    socket.on('message', (data, isBinary) => {
      // Frames that arrive while a refused socket closes are dropped unread.
      if (socket.readyState !== socket.OPEN) return;
      const message = parseMessage(data, isBinary);
      if (!authenticated.has(socket)) {
        if (message?.type !== 'auth') return refuse(socket, 'the first message was not the token');
        if (!tokensEqual(message.token, token)) return refuse(socket, 'wrong token');
        return admit();
      }
      // A page that sends what its bridge never would is not our page any more.
      if (message === null) return refuse(socket, 'a malformed message');
      if (message.type === 'auth') return;
      const { id, channel, input } = message;
      void dispatchSafely(handlers, channel, input, log).then((result) => send(socket, { type: 'result', id, result }));
    });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (new URL(request.url ?? '/', origin).pathname !== BRIDGE_SOCKET_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, request));
  };
  server.on('upgrade', onUpgrade);

  return {
    close() {
      unsubscribe();
      server.off('upgrade', onUpgrade);
      for (const socket of wss.clients) socket.close(CLOSE_GOING_AWAY, 'the web shell is stopping');
      wss.close();
    },
  };
}
