// The web shell's session token: what proves a socket belongs to the page
// the shell printed the URL of (any local process can reach 127.0.0.1).
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: 256 bits, URL-safe without escaping. */
export function createToken(random: (size: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}

/** Constant-time comparison, so a wrong guess tells nothing about how close it was. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
