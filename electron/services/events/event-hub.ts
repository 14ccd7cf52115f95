// Main→renderer events: the services emit here (keys, progress, reminders,
// tray), and every shell that shows the app subscribes: the Electron window
// and each web-shell socket. Plain Node, no Electron, so both shells (and
// tests) use the same hub.
import type { EventName, Events } from '../../ipc/contract.ts';
import type { EventSource, WfaEvent, WfaEventListener } from '../../ipc/wfa-api.ts';

export class EventHub implements EventSource {
  readonly #listeners = new Set<WfaEventListener>();
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void = () => undefined) {
    this.#log = log;
  }

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    // The mapped union cannot be narrowed from a generic name; the pair is consistent by the signature.
    const event = { name, payload } as WfaEvent;
    // A copy: a listener may unsubscribe (itself or another) while we iterate.
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener (a closed window) must not keep the event from the others.
        this.#log(`events: a listener failed on ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  subscribe(listener: WfaEventListener): () => void {
    // Wrapped, so subscribing the same function twice gives two independent subscriptions.
    const entry: WfaEventListener = (event) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** How many listeners are subscribed (tests check that shells unsubscribe). */
  get listenerCount(): number {
    return this.#listeners.size;
  }
}
