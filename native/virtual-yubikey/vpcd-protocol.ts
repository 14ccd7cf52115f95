// The vsmartcard vpcd wire protocol (frankmorgner/vsmartcard,
// virtualsmartcard/src/vpcd/vpcd.c sendToVICC/recvFromVICC and vpcd.h;
// virtualsmartcard/src/vpicc/virtualsmartcard/VirtualSmartcard.py run()):
// every message is a 2-byte big-endian length, then that many bytes. A 1-byte
// message from the reader is a control code; anything longer is a command APDU.
// The card answers control code ATR and every APDU; the other codes get no answer.

/** vpcd.h VPCDPORT: reader slot N listens on VPCD_BASE_PORT + N. */
export const VPCD_BASE_PORT = 35963;

/** vpcd.h VPCD_CTRL_*. */
export const VPCD_CTRL = {
  OFF: 0,
  ON: 1,
  RESET: 2,
  ATR: 4,
} as const;

/** Largest message the 2-byte length can carry (vpcd.c sendToVICC rejects more). */
const MAX_MESSAGE = 0xffff;

/** Frames one message: length (big-endian u16) then the bytes. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_MESSAGE) throw new RangeError(`vpcd message too long: ${payload.length} bytes`);
  const out = new Uint8Array(payload.length + 2);
  out[0] = payload.length >> 8;
  out[1] = payload.length & 0xff;
  out.set(payload, 2);
  return out;
}

/**
 * Reassembles messages from a TCP byte stream: a chunk may hold part of a
 * frame, several frames, or end in the middle of a length prefix.
 */
export class FrameDecoder {
  private buffer: Uint8Array = new Uint8Array(0);

  /** Adds received bytes; returns every message completed by them, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const messages: Uint8Array[] = [];
    let at = 0;
    while (joined.length - at >= 2) {
      const length = (joined[at]! << 8) | joined[at + 1]!;
      if (joined.length - at - 2 < length) break;
      messages.push(joined.slice(at + 2, at + 2 + length));
      at += 2 + length;
    }
    this.buffer = joined.slice(at);
    return messages;
  }

  /** Bytes of an unfinished frame still waiting for the rest. */
  get pending(): number {
    return this.buffer.length;
  }
}
