// BER-TLV as PIV uses it (NIST SP 800-73-4 Part 2 §3; ISO 7816-4 §5.2).
// A malformed encoding from the card is an INVALID_RESPONSE, never another exception.
import { NativeError, type ResponsePart } from '../errors.ts';

export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes: number[] = [];
  for (let t = tag; t > 0 || tagBytes.length === 0; t = Math.floor(t / 256)) tagBytes.unshift(t & 0xff);
  const n = value.length;
  const len = n < 0x80 ? [n] : n <= 0xff ? [0x81, n] : n <= 0xffff ? [0x82, n >> 8, n & 0xff] : null;
  if (len === null) throw new NativeError('INVALID_INPUT', { problem: 'object-too-long', size: n, limit: 0xffff });
  return Uint8Array.from([...tagBytes, ...len, ...value]);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function invalid(part: ResponsePart, id?: number): NativeError {
  return new NativeError('INVALID_RESPONSE', id === undefined ? { part } : { part, id });
}

export function decodeTlvs(data: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  const byte = (): number => {
    if (at >= data.length) throw invalid('tlv-truncated');
    return data[at++]!;
  };
  while (at < data.length) {
    let tag = byte();
    if ((tag & 0x1f) === 0x1f) {
      let b: number;
      do {
        b = byte();
        tag = tag * 256 + b;
        if (tag > 0xffffff) throw invalid('tlv-tag-too-long');
      } while ((b & 0x80) !== 0);
    }
    let len = byte();
    if (len === 0x80 || len > 0x83) throw invalid('tlv-bad-length');
    if (len > 0x80) {
      const count = len & 0x7f;
      len = 0;
      for (let i = 0; i < count; i++) len = len * 256 + byte();
    }
    if (at + len > data.length) throw invalid('tlv-overrun');
    out.push({ tag, value: data.subarray(at, at + len) });
    at += len;
  }
  return out;
}

export function findTlv(tlvs: readonly Tlv[], tag: number): Uint8Array | undefined {
  return tlvs.find((t) => t.tag === tag)?.value;
}

export function requireTlv(tlvs: readonly Tlv[], tag: number): Uint8Array {
  const v = findTlv(tlvs, tag);
  if (v === undefined) throw invalid('tlv-missing-tag', tag);
  return v;
}

/** The inner TLVs of a single outer template (7C, 7F49, 53, ...). */
export function decodeTemplate(data: Uint8Array, tag: number): Tlv[] {
  const outer = decodeTlvs(data);
  const first = outer[0];
  if (outer.length !== 1 || first === undefined || first.tag !== tag) throw invalid('tlv-wrong-template', tag);
  return decodeTlvs(first.value);
}
