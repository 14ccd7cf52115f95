import { describe, expect, it } from 'vitest';
import { createToken, tokensEqual } from './token.ts';

describe('createToken', () => {
  it('is 32 random bytes in base64url (43 characters, URL-safe)', () => {
    const token = createToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(createToken()).not.toBe(token);
  });

  it('takes its bytes from the given source', () => {
    expect(createToken((size) => Buffer.alloc(size, 0xff))).toBe('_'.repeat(42) + '8');
  });
});

describe('tokensEqual', () => {
  const token = createToken();
  it('accepts the same token', () => {
    expect(tokensEqual(token, token)).toBe(true);
  });
  it.each([
    ['empty', ''],
    ['shorter', token.slice(1)],
    ['longer', `${token}A`],
    ['one character changed', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`],
  ])('refuses a %s token', (_what, given) => {
    expect(tokensEqual(given, token)).toBe(false);
  });
});
