// BER-TLV as the PIV card reads and writes it (ISO 7816-4 §5.2; SP 800-73-4
// Part 2 §3). The emulator's own reader: native/piv has its own (design.md).
import { CardStatus, SW } from './sw.ts';

export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
}

/** Encodes one TLV; `tag` may be one to three bytes (0x7f49, 0x5fc105). */
export function tlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes = tag > 0xffff ? [tag >> 16, (tag >> 8) & 0xff, tag & 0xff] : tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
  const n = value.length;
  const lenBytes = n < 0x80 ? [n] : n <= 0xff ? [0x81, n] : n <= 0xffff ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(tagBytes.length + lenBytes.length + n);
  out.set(tagBytes, 0);
  out.set(lenBytes, tagBytes.length);
  out.set(value, tagBytes.length + lenBytes.length);
  return out;
}

/** Concatenates byte strings (TLVs into a template). */
export function cat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Reads every TLV in `data`. A malformed encoding is the host's fault: the card
 * answers 6A80 (incorrect data), as a YubiKey does for a bad template.
 */
export function parseTlvs(data: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  const need = (n: number): void => {
    if (at + n > data.length) throw new CardStatus(SW.INCORRECT_DATA);
  };
  while (at < data.length) {
    need(1);
    let tag = data[at++]!;
    if ((tag & 0x1f) === 0x1f) {
      let more = true;
      while (more) {
        need(1);
        const b = data[at++]!;
        tag = tag * 256 + b;
        more = (b & 0x80) !== 0;
        if (tag > 0xffffff) throw new CardStatus(SW.INCORRECT_DATA);
      }
    }
    need(1);
    let len = data[at++]!;
    if (len > 0x80) {
      const count = len & 0x7f;
      if (count > 3) throw new CardStatus(SW.INCORRECT_DATA);
      need(count);
      len = 0;
      for (let i = 0; i < count; i++) len = len * 256 + data[at++]!;
    } else if (len === 0x80) {
      throw new CardStatus(SW.INCORRECT_DATA);
    }
    need(len);
    out.push({ tag, value: data.slice(at, at + len) });
    at += len;
  }
  return out;
}

/** The value of the first TLV with `tag`, or undefined. */
export function findTlv(tlvs: readonly Tlv[], tag: number): Uint8Array | undefined {
  return tlvs.find((t) => t.tag === tag)?.value;
}

/** Parses exactly one TLV with the expected tag (a template such as 7C or AC) and returns its inner TLVs. */
export function parseTemplate(data: Uint8Array, tag: number): Tlv[] {
  const outer = parseTlvs(data);
  if (outer.length !== 1 || outer[0]!.tag !== tag) throw new CardStatus(SW.INCORRECT_DATA);
  return parseTlvs(outer[0]!.value);
}

export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function bytesOf(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
