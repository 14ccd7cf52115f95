// A test double of the whole main process: a WfaApi (built with the real
// createWfaApi, so the typed helpers are the ones the app uses) whose
// channels answer from handlers the test sets, and whose events the test
// emits. Every call is recorded; a channel without a handler fails the test.
import type { AppError, Channel, ChannelInput, ChannelResults, EventName, Events, Result } from '../../../electron/ipc/contract.ts';
import type { ErrorCode } from '../../../electron/ipc/error-codes.ts';
import { createWfaApi, type WfaApi } from '../../../electron/ipc/wfa-api.ts';

type FakeHandler<C extends Channel> = (input: ChannelInput<C>) => Result<ChannelResults[C]> | Promise<Result<ChannelResults[C]>>;

export interface FakeCall {
  readonly channel: Channel;
  readonly input: unknown;
}

export interface FakeWfa {
  readonly api: WfaApi;
  readonly calls: FakeCall[];
  handle<C extends Channel>(channel: C, handler: FakeHandler<C>): void;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  callsTo(channel: Channel): unknown[];
  listenerCount(): number;
}

export const okResult = <T>(value: T): Result<T> => ({ ok: true, value });

export const errResult = (code: ErrorCode, extra: Partial<Omit<AppError, 'code'>> = {}): Result<never> => ({
  ok: false,
  error: { code, message: `test: ${code}`, ...extra },
});

export function createFakeWfa(): FakeWfa {
  const handlers = new Map<Channel, (input: unknown) => unknown>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: FakeCall[] = [];
  const api = createWfaApi({
    async invoke(channel, input) {
      calls.push({ channel: channel as Channel, input });
      const handler = handlers.get(channel as Channel);
      if (handler === undefined) throw new Error(`fake wfa: no handler for ${channel}`);
      return (await handler(input)) as Result<unknown>;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  });
  return {
    api,
    calls,
    handle(channel, handler) {
      handlers.set(channel, handler as (input: unknown) => unknown);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    callsTo: (channel) => calls.filter((c) => c.channel === channel).map((c) => c.input),
    listenerCount: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
}

/** Puts the fake where renderer/src/api.ts looks for the bridge. */
export function installFakeWfa(fake: FakeWfa): void {
  Object.defineProperty(window, 'wfa', { value: fake.api, configurable: true, writable: false });
}

export function uninstallFakeWfa(): void {
  Reflect.deleteProperty(window, 'wfa');
}
