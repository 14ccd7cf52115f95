// The key list reads a key when it arrives and again only when it may have
// changed; a reader event reads only that reader's key, in one exclusive hold.
import { describe, expect, it } from 'vitest';
import { CountingTransport } from '../../../native/pcsc/counting-transport.ts';
import type { ReaderEvent, ReaderListener } from '../../../native/pcsc/reader-monitor.ts';
import { VirtualTransport } from '../../../native/virtual-yubikey/virtual-transport.ts';
import { createVirtualYubiKey } from '../../../native/virtual-yubikey/index.ts';
import type { KeySummary } from '../../ipc/contract.ts';
import { KeyLock } from '../key-lock.ts';
import { KeyService } from './key-service.ts';

const R0 = 'Virtual PCD 00 00';
const R1 = 'Virtual PCD 00 01';

function setup() {
  const cards = new VirtualTransport();
  cards.insert(R0, createVirtualYubiKey({ profile: 'yk5.4.3', serial: 24000001 }));
  cards.insert(R1, createVirtualYubiKey({ profile: 'yk5.7.1', serial: 24000002 }));
  const counter = new CountingTransport(cards);
  const lock = new KeyLock(counter);
  const lists: (readonly KeySummary[])[] = [];
  const keys = new KeyService({ transport: counter, lock, pairedSerial: async () => null, onChange: (l) => lists.push(l) });
  let listener: ReaderListener = () => undefined;
  const monitor = {
    subscribe(l: ReaderListener) {
      listener = l;
      return () => undefined;
    },
  };
  const emit = (e: ReaderEvent) => listener(e);
  return { cards, counter, lock, lists, keys, monitor, emit };
}

const settle = async (keys: KeyService): Promise<void> => {
  // The update a reader event starts runs before the next refresh (one queue).
  await keys.refresh();
};

describe('KeyService', () => {
  it('after a card event reads only the key in that reader, in one exclusive hold', async () => {
    const { cards, counter, lists, keys, monitor, emit } = setup();
    keys.watch(monitor);
    await keys.refresh();
    expect(keys.keys.map((k) => k.serial)).toEqual([24000001, 24000002]);
    counter.reset();

    cards.remove(R1);
    cards.insert(R1, createVirtualYubiKey({ profile: 'yk5.4.3', serial: 24000003 }));
    emit({ type: 'card-removed', reader: R1 });
    emit({ type: 'card-inserted', reader: R1, atr: new Uint8Array(0) });
    await settle(keys);
    expect(keys.keys.map((k) => k.serial)).toEqual([24000001, 24000003]);
    expect(counter.connects).toEqual({ shared: 0, exclusive: 1 });
    expect(counter.sent).toHaveLength(6);
    expect(lists.at(-1)?.map((k) => k.serial)).toEqual([24000001, 24000003]);
  });

  it('a removed key leaves the list without any card being read', async () => {
    const { cards, counter, lists, keys, monitor, emit } = setup();
    keys.watch(monitor);
    await keys.refresh();
    counter.reset();
    cards.remove(R0);
    emit({ type: 'card-removed', reader: R0 });
    await settle(keys);
    expect(keys.keys.map((k) => k.serial)).toEqual([24000002]);
    expect(lists.at(-1)?.map((k) => k.serial)).toEqual([24000002]);
    expect(counter.sent).toEqual([]);
    expect(counter.connects).toEqual({ shared: 0, exclusive: 0 });
  });

  it('an operation of the app on a key makes the next refresh read that key, and only it', async () => {
    const { counter, lock, keys } = setup();
    await keys.refresh();
    counter.reset();
    await lock.run(R0, async () => undefined);
    await keys.refresh();
    expect(counter.connects.exclusive).toBe(2);
    expect(counter.sent).toHaveLength(6);
  });

  it('the certificates are read only when asked for', async () => {
    const { counter, keys } = setup();
    await keys.refresh();
    expect(counter.sent).not.toContain('GET DATA');
    const details = await keys.details();
    expect(details.map((d) => [d.serial, d.slots])).toEqual([
      [24000001, {}],
      [24000002, {}],
    ]);
    expect(counter.sent.filter((s) => s === 'GET DATA')).toHaveLength(8);
  });

  it('the 9A certificate a pairing is checked against is read once per identification, and again after the key changed', async () => {
    const { counter, lock, keys } = setup();
    await keys.refresh();
    counter.reset();
    expect(await keys.detailsOf(24000001)).toMatchObject({ serial: 24000001, reader: R0, authentication: null });
    expect(counter.sent).toEqual(['SELECT', 'GET DATA']);
    counter.reset();
    await keys.detailsOf(24000001);
    expect(counter.sent).toEqual([]);
    expect(await keys.detailsOf(99999999)).toBeUndefined();
    // An operation of the app held the key: identified again, and its certificate read again when asked.
    await lock.run(R0, async () => undefined);
    await keys.detailsOf(24000001);
    expect(counter.sent.filter((s) => s === 'GET DATA')).toHaveLength(1);
    expect(counter.sent).toHaveLength(6 + 2);
  });
});
