// PIN/PUK handling: secrets are Uint8Arrays, zeroed when done (style.md).
import { randomInt } from 'node:crypto';
import { NativeError } from '../errors.ts';

/** PIN and PUK block length, SP 800-73-4 Part 2 §3.2.1: 8 bytes, padded with FF. */
const REFERENCE_LENGTH = 8;

/** A PIN or PUK and which it is (for the message when its length is wrong). */
export type Reference = readonly [value: Uint8Array, what: 'PIN' | 'PUK'];

/**
 * The FF-padded 8-byte blocks the card compares, one after another: one for
 * VERIFY, current then new for CHANGE REFERENCE DATA and RESET RETRY COUNTER.
 * Every value is checked before any is copied; the caller zeroes the result.
 */
export function padReferences(...references: readonly Reference[]): Uint8Array {
  for (const [value, what] of references) {
    if (value.length < 1 || value.length > REFERENCE_LENGTH) {
      throw new NativeError('INVALID_INPUT', { problem: 'secret-length', secret: what, size: value.length, limit: REFERENCE_LENGTH });
    }
  }
  const out = new Uint8Array(REFERENCE_LENGTH * references.length).fill(0xff);
  references.forEach(([value], i) => out.set(value, i * REFERENCE_LENGTH));
  return out;
}

/** `length` random decimal digits as ASCII bytes (a PUK nobody knows), never a string; the caller zeroes the result. */
export function randomDigits(length: number, digit: (max: number) => number = randomInt): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = 0x30 + digit(10);
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
