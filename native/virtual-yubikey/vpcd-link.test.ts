// The reader link against a fake vpcd: a TCP server on an ephemeral port that
// speaks vpcd.c's framing (2-byte big-endian length + bytes) the way pcscd's
// driver does: it polls the ATR, powers the card up, sends APDUs.
import { afterEach, describe, expect, it } from 'vitest';
import type { VirtualCard } from './card-interface.ts';
import { FakeVpcd } from './fake-vpcd.test-support.ts';
import { VpcdLink, type VpcdLinkOptions } from './vpcd-link.ts';
import { encodeFrame, FrameDecoder, VPCD_CTRL } from './vpcd-protocol.ts';

const ATR = Uint8Array.from([0x3b, 0xfd, 0x13, 0x00]);

/** A card that records what the link asks of it and echoes each APDU's INS back with 9000. */
class RecordingCard implements VirtualCard {
  readonly atr = ATR;
  readonly calls: string[] = [];
  powerOn(): void {
    this.calls.push('on');
  }
  powerOff(): void {
    this.calls.push('off');
  }
  reset(): void {
    this.calls.push('reset');
  }
  transmit(apdu: Uint8Array): Uint8Array {
    this.calls.push(`apdu ${Buffer.from(apdu).toString('hex')}`);
    return Uint8Array.from([apdu[1] ?? 0, 0x90, 0x00]);
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const ctrl = (code: number): Uint8Array => Uint8Array.from([code]);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: Partial<VpcdLinkOptions> = {}) {
  const vpcd = await FakeVpcd.start();
  const card = new RecordingCard();
  const events: string[] = [];
  const link = new VpcdLink({
    card,
    port: vpcd.port,
    retryInitialMs: 20,
    retryMaxMs: 50,
    onConnected: () => events.push('connected'),
    onDisconnected: () => events.push('disconnected'),
    onPoweredUp: () => events.push('powered-up'),
    onFault: (n) => events.push(`fault ${n}`),
    ...options,
  });
  cleanups.push(
    () => vpcd.stop(),
    () => link.close(),
  );
  link.start();
  await vpcd.connected();
  return { vpcd, card, link, events };
}

describe('FrameDecoder', () => {
  it('joins a frame split anywhere, also inside the length prefix', () => {
    const d = new FrameDecoder();
    expect(d.push(Uint8Array.from([0x00]))).toEqual([]);
    expect(d.push(Uint8Array.from([0x03, 0xaa]))).toEqual([]);
    expect(d.pending).toBe(3); // length prefix + first data byte
    expect(d.push(Uint8Array.from([0xbb, 0xcc, 0x00]))).toEqual([Uint8Array.from([0xaa, 0xbb, 0xcc])]);
    expect(d.pending).toBe(1);
  });

  it('splits several frames that arrive in one chunk, in order', () => {
    const d = new FrameDecoder();
    const chunk = Uint8Array.from([...encodeFrame(ctrl(1)), ...encodeFrame(ctrl(4)), ...encodeFrame(Uint8Array.from([0, 0xa4, 4, 0]))]);
    expect(d.push(chunk).map(hex)).toEqual(['01', '04', '00a40400']);
  });

  it('handles an empty message and a 300-byte one (two-byte length)', () => {
    const d = new FrameDecoder();
    const big = new Uint8Array(300).fill(7);
    const out = d.push(Uint8Array.from([...encodeFrame(new Uint8Array(0)), ...encodeFrame(big)]));
    expect(out.map((m) => m.length)).toEqual([0, 300]);
    expect(hex(encodeFrame(big).slice(0, 2))).toBe('012c');
  });

  it('refuses to frame more than 65535 bytes', () => {
    expect(() => encodeFrame(new Uint8Array(0x10000))).toThrow(RangeError);
  });
});

describe('VpcdLink', () => {
  it('answers the ATR control code with the ATR, and control codes power the card', async () => {
    const { vpcd, card, events } = await setup();
    expect(hex(await vpcd.exchange(ctrl(VPCD_CTRL.ATR)))).toBe(hex(ATR));
    expect(events).toEqual(['connected']); // an ATR poll alone is not a power-up
    vpcd.socket.write(encodeFrame(ctrl(VPCD_CTRL.ON)));
    expect(hex(await vpcd.exchange(ctrl(VPCD_CTRL.ATR)))).toBe(hex(ATR));
    expect(events).toEqual(['connected', 'powered-up']);
    vpcd.socket.write(encodeFrame(ctrl(VPCD_CTRL.RESET)));
    vpcd.socket.write(encodeFrame(ctrl(VPCD_CTRL.OFF)));
    await vpcd.until(() => card.calls.length >= 3);
    expect(card.calls).toEqual(['on', 'reset', 'off']);
    expect(vpcd.received.length).toBe(2); // power on/off/reset get no answer
  });

  it("answers each APDU with the card's response, framed", async () => {
    const { vpcd, card } = await setup();
    expect(hex(await vpcd.exchange(Uint8Array.from([0x00, 0xa4, 0x04, 0x00])))).toBe('a49000');
    expect(hex(await vpcd.exchange(Uint8Array.from([0x00, 0xcb, 0x3f, 0xff, 0x00])))).toBe('cb9000');
    expect(card.calls).toEqual(['apdu 00a40400', 'apdu 00cb3fff00']);
  });

  it('reassembles APDUs that arrive byte by byte, and answers back-to-back frames in order', async () => {
    const { vpcd, link } = await setup();
    const frame = encodeFrame(Uint8Array.from([0x00, 0xfd, 0x00, 0x00]));
    for (const b of frame) {
      vpcd.socket.write(Uint8Array.from([b]));
      await sleep(5);
    }
    await vpcd.until(() => vpcd.received.length === 1);
    expect(hex(vpcd.received[0]!)).toBe('fd9000');
    vpcd.socket.write(
      Uint8Array.from([...encodeFrame(Uint8Array.from([0, 0x20, 0, 0x80])), ...encodeFrame(ctrl(4)), ...encodeFrame(Uint8Array.from([0, 0x47, 0, 0x9a]))]),
    );
    await vpcd.until(() => vpcd.received.length === 4);
    expect(vpcd.received.slice(1).map(hex)).toEqual(['209000', hex(ATR), '479000']);
    expect(link.apdusReceived).toBe(3);
  });

  it('--fault-after K: answers K-1 APDUs, then drops the connection without answering and stays out', async () => {
    const { vpcd, events, link } = await setup({ faultAfter: 2 });
    await vpcd.exchange(ctrl(VPCD_CTRL.ATR)); // control codes do not count
    expect(hex(await vpcd.exchange(Uint8Array.from([0x00, 0xa4, 0x04, 0x00])))).toBe('a49000');
    const socket = vpcd.socket;
    socket.write(encodeFrame(Uint8Array.from([0x00, 0xcb, 0x3f, 0xff])));
    await vpcd.until(() => socket.destroyed || socket.readableEnded);
    expect(vpcd.received.length).toBe(2); // ATR + first APDU, nothing for the second
    expect(events).toContain('fault 2');
    await sleep(200);
    expect(vpcd.connections.length).toBe(1); // no reconnect: the card was pulled out
    expect(link.connected).toBe(false);
  });

  it('holdAt K: carries out the K-th APDU, holds its answer until released, then answers the rest as usual', async () => {
    let release: (() => void) | undefined;
    const { vpcd, card, events } = await setup({
      holdAt: 2,
      onHold: (n, r) => {
        events.push(`hold ${n}`);
        release = r;
      },
    });
    expect(hex(await vpcd.exchange(Uint8Array.from([0x00, 0xa4, 0x04, 0x00])))).toBe('a49000');
    vpcd.socket.write(encodeFrame(Uint8Array.from([0x00, 0x24, 0x00, 0x80])));
    await vpcd.until(() => release !== undefined);
    expect(card.calls).toContain('apdu 00240080'); // carried out
    await sleep(100);
    expect(vpcd.received.length).toBe(1); // but not answered
    release!();
    await vpcd.until(() => vpcd.received.length === 2);
    expect(hex(vpcd.received[1]!)).toBe('249000');
    expect(hex(await vpcd.exchange(Uint8Array.from([0x00, 0x20, 0x00, 0x80])))).toBe('209000');
    expect(events).toEqual(['connected', 'hold 2']);
  });

  it('reconnects when vpcd drops the connection (pcscd restarted), and reports it', async () => {
    const { vpcd, events } = await setup();
    vpcd.socket.destroy();
    await vpcd.connected(2);
    expect(hex(await vpcd.exchange(ctrl(VPCD_CTRL.ATR)))).toBe(hex(ATR));
    expect(events).toEqual(['connected', 'disconnected', 'connected']);
  });

  it('keeps trying until pcscd listens, then connects', async () => {
    // Take a free port, close it, start the link against it, then listen there.
    const probe = await FakeVpcd.start();
    const port = probe.port;
    await probe.stop();
    const logs: string[] = [];
    const link = new VpcdLink({ card: new RecordingCard(), port, retryInitialMs: 20, retryMaxMs: 40, log: (m) => logs.push(m) });
    cleanups.push(() => link.close());
    link.start();
    await sleep(150);
    expect(link.connected).toBe(false);
    expect(logs.filter((l) => l.startsWith('waiting for pcscd')).length).toBe(1); // said once, not per retry
    const vpcd = await FakeVpcd.start(port);
    cleanups.push(() => vpcd.stop());
    await vpcd.connected();
    expect(hex(await vpcd.exchange(ctrl(VPCD_CTRL.ATR)))).toBe(hex(ATR));
  });

  it('close() pulls the card out: vpcd sees the connection end and no reconnect follows', async () => {
    const { vpcd, link } = await setup();
    const socket = vpcd.socket;
    await link.close();
    await vpcd.until(() => socket.destroyed || socket.readableEnded);
    await sleep(100);
    expect(vpcd.connections.length).toBe(1);
  });
});
