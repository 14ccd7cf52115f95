import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp.ts';

describe('contentSecurityPolicy', () => {
  it('is the strict policy of the app', () => {
    expect(contentSecurityPolicy()).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it("adds the web shell's socket to connect-src only", () => {
    const csp = contentSecurityPolicy(['ws://127.0.0.1:40123']);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:40123;");
    expect(csp.match(/ws:\/\//g)).toHaveLength(1);
    expect(csp).not.toContain('unsafe');
  });

  it.each(["ws://x; script-src 'unsafe-inline'", 'ws://x *', '*', "'unsafe-eval'", 'ws://'])(
    'refuses a source that would add directives or wildcards: %s',
    (source) => {
      expect(() => contentSecurityPolicy([source])).toThrow(/Not a CSP source/);
    },
  );
});
