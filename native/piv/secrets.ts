// PIN/PUK handling: secrets are Uint8Arrays, zeroed when done (style.md).
import { NativeError } from '../errors.ts';

/** PIN and PUK block length, SP 800-73-4 Part 2 §3.2.1: 8 bytes, padded with FF. */
const REFERENCE_LENGTH = 8;

/** The FF-padded 8-byte form the card compares; the caller zeroes the result. */
export function padReference(value: Uint8Array, what: 'PIN' | 'PUK'): Uint8Array {
  if (value.length < 1 || value.length > REFERENCE_LENGTH) {
    throw new NativeError('INVALID_INPUT', { problem: 'secret-length', secret: what, size: value.length, limit: REFERENCE_LENGTH });
  }
  const out = new Uint8Array(REFERENCE_LENGTH).fill(0xff);
  out.set(value);
  return out;
}

/** Runs `fn` and zeroes every buffer in `secrets` afterwards, whatever happens. */
export async function withZeroed<T>(secrets: readonly Uint8Array[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    for (const s of secrets) s.fill(0);
  }
}

/** Text typed by a user, as bytes; the caller owns and zeroes the result. */
export function secretFromText(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
