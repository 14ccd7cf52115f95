import { describe, expect, it, vi } from 'vitest';
import type { KeySummary } from '../../ipc/contract.ts';
import { EventHub } from './event-hub.ts';

const progress = { step: 'setting-pin', index: 2, total: 7 } as const;

describe('EventHub', () => {
  it('gives every subscriber each event, as name and payload', () => {
    const hub = new EventHub();
    const a = vi.fn();
    const b = vi.fn();
    hub.subscribe(a);
    hub.subscribe(b);
    hub.emit('pairing.progress', progress);
    expect(a).toHaveBeenCalledWith({ name: 'pairing.progress', payload: progress });
    expect(b).toHaveBeenCalledWith({ name: 'pairing.progress', payload: progress });
  });

  it('stops delivering after unsubscribe, and unsubscribing twice is harmless', () => {
    const hub = new EventHub();
    const listener = vi.fn();
    const unsubscribe = hub.subscribe(listener);
    unsubscribe();
    unsubscribe();
    hub.emit('keys.changed', [] as readonly KeySummary[]);
    expect(listener).not.toHaveBeenCalled();
    expect(hub.listenerCount).toBe(0);
  });

  it('treats the same function subscribed twice as two subscriptions', () => {
    const hub = new EventHub();
    const listener = vi.fn();
    const first = hub.subscribe(listener);
    hub.subscribe(listener);
    first();
    hub.emit('reminder.changed', null);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('keeps delivering to the others when one listener throws, and logs it', () => {
    const log = vi.fn();
    const hub = new EventHub(log);
    const after = vi.fn();
    hub.subscribe(() => {
      throw new Error('window closed');
    });
    hub.subscribe(after);
    hub.emit('reminder.changed', null);
    expect(after).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('window closed'));
  });

  it('lets a listener unsubscribe itself while an event is delivered', () => {
    const hub = new EventHub();
    const other = vi.fn();
    const unsubscribe = hub.subscribe(() => unsubscribe());
    hub.subscribe(other);
    hub.emit('reminder.changed', null);
    hub.emit('reminder.changed', null);
    expect(other).toHaveBeenCalledTimes(2);
    expect(hub.listenerCount).toBe(1);
  });
});
