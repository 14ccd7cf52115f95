import { describe, expect, it } from 'vitest';
import { NativeError } from '../errors.ts';
import { padReferences, randomDigits, type Reference } from './secrets.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('padReferences', () => {
  it('pads each PIN or PUK to 8 bytes with FF, current then new', () => {
    const block = padReferences([bytes('123456'), 'PIN'], [bytes('12345678'), 'PUK']);
    expect(Buffer.from(block).toString('hex')).toBe('313233343536ffff' + '3132333435363738');
  });

  it('refuses an empty or too long value, naming which', () => {
    const refusal = (...references: Reference[]): unknown => {
      try {
        padReferences(...references);
      } catch (e) {
        return e;
      }
      throw new Error('expected a refusal');
    };
    const tooLong = refusal([bytes('123456'), 'PIN'], [bytes('123456789'), 'PUK']);
    expect(tooLong).toBeInstanceOf(NativeError);
    expect(tooLong).toMatchObject({ code: 'INVALID_INPUT', facts: { problem: 'secret-length', secret: 'PUK', size: 9, limit: 8 } });
    expect(refusal([new Uint8Array(0), 'PIN'])).toMatchObject({ facts: { secret: 'PIN', size: 0 } });
  });
});

describe('randomDigits', () => {
  it('gives ASCII digits from the random source, as bytes', () => {
    const draws = [0, 9, 4, 7];
    const digits = randomDigits(4, () => draws.shift()!);
    expect(new TextDecoder().decode(digits)).toBe('0947');
  });

  it('draws every digit from 0 to 9 by default', () => {
    const seen = new Set(randomDigits(400));
    for (const b of seen) expect(b >= 0x30 && b <= 0x39).toBe(true);
    expect(seen.size).toBe(10);
  });
});
