// The messages of the web shell's bridge socket, both ways. The page's
// bridge (bridge-client.ts) sends `auth` first, then `invoke`s; the shell
// answers `ready`, `result`s, and pushes `event`s. No zod here: the page's
// bundle imports this file; the shell parses what it receives
// (bridge-server.ts), the page trusts the shell it was served by.
import type { Result } from '../ipc/contract.ts';

/** URL paths the shell reserves; the renderer's files never use this prefix. */
export const BRIDGE_SCRIPT_PATH = '/__wfa/bridge.js';
export const BRIDGE_SOCKET_PATH = '/__wfa/socket';

/** WebSocket close codes (RFC 6455, section 7.4.1). */
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_GOING_AWAY = 1001;

export type ClientMessage =
  { readonly type: 'auth'; readonly token: string } | { readonly type: 'invoke'; readonly id: number; readonly channel: string; readonly input?: unknown };

export type ServerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly result: Result<unknown> }
  | { readonly type: 'event'; readonly name: string; readonly payload: unknown };
