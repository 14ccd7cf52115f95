import { describe, expect, it } from 'vitest';
import { VirtualTransport } from '../../native/virtual-yubikey/virtual-transport.ts';
import { createVirtualYubiKey } from '../../native/virtual-yubikey/index.ts';
import { KeyLock } from './key-lock.ts';

const reader = 'Virtual PCD 00 00';

describe('KeyLock', () => {
  it('runs operations on one reader one after another', async () => {
    const t = new VirtualTransport();
    t.insert(reader, createVirtualYubiKey());
    const lock = new KeyLock(t);
    const order: string[] = [];
    const slow = lock.run(reader, async () => {
      order.push('a start');
      await new Promise((r) => setTimeout(r, 20));
      order.push('a end');
    });
    const quick = lock.run(reader, async () => {
      order.push('b');
    });
    await Promise.all([slow, quick]);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it('a nested run on the same reader fails at once instead of waiting for itself', async () => {
    const t = new VirtualTransport();
    t.insert(reader, createVirtualYubiKey());
    const lock = new KeyLock(t);
    await expect(lock.run(reader, () => lock.run(reader, async () => 1))).rejects.toThrow(/deadlock/);
    // The lock is free again afterwards.
    expect(await lock.run(reader, async () => 2)).toBe(2);
  });
});
