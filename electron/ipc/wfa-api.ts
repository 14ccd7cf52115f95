// The shape of `window.wfa`, the one bridge from the page to the main process.
// The Electron preload and the web shell's bridge both build it, so the
// renderer codes against one type whichever shell runs it. No Node, no DOM,
// and only types from the contract (the names from contract-names.ts): the
// sandboxed preload and the web shell's bridge bundle this file, and need
// neither zod nor the schemas (validation happens on the other side, in
// `dispatch`).
import { CHANNEL_NAMES } from './contract-names.ts';
import type { AppError, Channel, ChannelInput, ChannelResults, EventName, Events, Result } from './contract.ts';

/** 'pairing.precheck' -> 'pairingPrecheck': the typed helper for a channel. */
export type ChannelMethodName<C extends Channel> = C extends `${infer Domain}.${infer Action}` ? `${Domain}${Capitalize<Action>}` : never;

export type ChannelMethods = {
  readonly [C in Channel as ChannelMethodName<C>]: (input: ChannelInput<C>) => Promise<Result<ChannelResults[C]>>;
};

/** One main→renderer event, as it travels: its name and its payload. */
export type WfaEvent = { readonly [E in EventName]: { readonly name: E; readonly payload: Events[E] } }[EventName];
export type WfaEventListener = (event: WfaEvent) => void;

/** What a shell needs from the services to push events: `subscribe` returns the unsubscribe function. */
export interface EventSource {
  subscribe(listener: WfaEventListener): () => void;
}

export interface WfaApi extends ChannelMethods {
  /** Every channel through one door; the typed helpers call this. */
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelResults[C]>>;
  /** Listens to one event; returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** The two primitives a shell supplies; `createWfaApi` derives the rest. Loosely typed: what crosses is checked on the other side. */
export interface WfaTransport {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export function channelMethodName<C extends Channel>(channel: C): ChannelMethodName<C> {
  const dot = channel.indexOf('.');
  return `${channel.slice(0, dot)}${channel.charAt(dot + 1).toUpperCase()}${channel.slice(dot + 2)}` as ChannelMethodName<C>;
}

/** Electron only: the IPC channel an event travels on, its name under a prefix no invoke channel has. */
export const eventChannel = (name: string): string => `wfa:event:${name}`;

/** The error a bridge gives when its connection to the app is gone (never thrown: results are data). */
export const BRIDGE_UNAVAILABLE: AppError = { code: 'INTERNAL', message: 'The connection to the app was lost. Reload the page.' };

/**
 * Builds the `window.wfa` object from the two primitives. A plain object of
 * plain functions, so Electron's contextBridge can copy it into the page.
 */
export function createWfaApi(transport: WfaTransport): WfaApi {
  const api: Record<string, unknown> = {
    invoke: (channel: string, input: unknown) => transport.invoke(channel, input),
    on: (event: string, listener: (payload: unknown) => void) => transport.on(event, listener),
  };
  for (const channel of CHANNEL_NAMES) {
    api[channelMethodName(channel)] = (input: unknown) => transport.invoke(channel, input);
  }
  // The loose record has exactly the typed shape: one helper per channel name, plus invoke and on.
  return Object.freeze(api) as unknown as WfaApi;
}
