// The web shell: the app's page and its `window.wfa` served to a browser on
// 127.0.0.1, for development and the e2e tests where Electron cannot run.
// Same handlers and events as the Electron app; never in a packaged app
// (electron-builder.yml leaves electron/web-shell out, and eslint keeps the
// Electron main process from importing it).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Handlers } from '../ipc/contract.ts';
import type { EventSource } from '../ipc/wfa-api.ts';
import { bundleBridgeClient } from './bridge-bundle.ts';
import { attachBridge } from './bridge-server.ts';
import { createStaticHandler } from './static-handler.ts';
import { createToken } from './token.ts';

/** Loopback only: the shell holds the key's PIN flows and must not be reachable from the network. */
export const WEB_SHELL_HOST = '127.0.0.1';

export interface WebShellOptions {
  readonly handlers: Handlers;
  readonly events: EventSource;
  readonly rootDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly log?: (line: string) => void;
  /** Injected by tests; otherwise 32 fresh random bytes. */
  readonly token?: string;
  readonly authTimeoutMs?: number;
}

export interface RunningWebShell {
  /** http://127.0.0.1:PORT/?token=T: the page to open. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export async function startWebShell(options: WebShellOptions): Promise<RunningWebShell> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = options.token ?? createToken();
  const bridgeScript = await bundleBridgeClient();
  // The handler needs the port, which is known only once listening: it is set before the first request can arrive.
  let handle: ReturnType<typeof createStaticHandler> = (_request, response) => {
    response.writeHead(503).end();
  };
  const server = createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: WEB_SHELL_HOST, port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = `${WEB_SHELL_HOST}:${port}`;
  const origin = `http://${host}`;
  handle = createStaticHandler({ rootDir: options.rootDir, host, bridgeScript, log });
  const bridge = attachBridge(server, {
    origin,
    token,
    handlers: options.handlers,
    events: options.events,
    log,
    ...(options.authTimeoutMs === undefined ? {} : { authTimeoutMs: options.authTimeoutMs }),
  });
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      bridge.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
