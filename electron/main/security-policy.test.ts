// Every decision of the window's security hooks, each the accepted and the
// refused way (GitHub Desktop shipped a sender guard with its condition
// inverted: a guard tested one way only can be wrong the other).
import { describe, expect, it } from 'vitest';
import { APP_CSP } from './security.ts';
import { APP_ENTRY_URL, APP_ORIGIN, isSameOrigin, isTrustedSender, navigationDecision, permissionDecision, windowOpenDecision } from './security-policy.ts';

describe('isTrustedSender', () => {
  it.each([APP_ENTRY_URL, `${APP_ORIGIN}/`, `${APP_ORIGIN}/index.html?x=1#pair`, 'APP://WFA/index.html'])("accepts the app's own page: %s", (url) => {
    expect(isTrustedSender(url, APP_ORIGIN)).toBe(true);
  });

  it.each([
    ['another host on the app scheme', 'app://evil/index.html'],
    ['a host that starts like ours', 'app://wfa.evil/index.html'],
    ['a port on our host', 'app://wfa:8080/index.html'],
    ['credentials in the URL', 'app://user:pw@wfa/index.html'],
    ['a web page', 'https://example.com/'],
    ['a local web server', 'http://127.0.0.1:3000/'],
    ['a file', 'file:///C:/Users/x/index.html'],
    ['about:blank (an opaque origin)', 'about:blank'],
    ['a data: URL', 'data:text/html,<script>1</script>'],
    ['a blob: URL', 'blob:app://wfa/1234'],
    ['javascript:', 'javascript:alert(1)'],
    ['an empty URL', ''],
    ['garbage', 'not a url'],
  ])('refuses %s', (_what, url) => {
    expect(isTrustedSender(url, APP_ORIGIN)).toBe(false);
  });

  it('refuses a frame that no longer exists (null or undefined URL)', () => {
    expect(isTrustedSender(null, APP_ORIGIN)).toBe(false);
    expect(isTrustedSender(undefined, APP_ORIGIN)).toBe(false);
  });

  it('does not rely on URL.origin, which is "null" for every app: URL in Node', () => {
    expect(new URL('app://evil/').origin).toBe(new URL(APP_ENTRY_URL).origin);
    expect(isSameOrigin('app://evil/', APP_ORIGIN)).toBe(false);
  });
});

describe('navigationDecision (will-navigate, will-redirect)', () => {
  it('allows the app to reload its own page', () => {
    expect(navigationDecision(APP_ENTRY_URL, APP_ORIGIN)).toBe('allow');
  });

  it.each(['https://example.com/', 'http://127.0.0.1:1/', 'file:///etc/passwd', 'app://other/', 'javascript:alert(1)', 'about:blank'])('denies %s', (url) => {
    expect(navigationDecision(url, APP_ORIGIN)).toBe('deny');
  });
});

describe('windowOpenDecision and permissionDecision', () => {
  it('never opens a window', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it.each(['notifications', 'media', 'geolocation', 'clipboard-read', 'hid', 'usb', 'serial', 'openExternal', 'fullscreen', 'unknown'])(
    'denies the %s permission',
    (permission) => {
      expect(permissionDecision(permission)).toBe(false);
    },
  );
});

describe('APP_CSP', () => {
  it("is the strict policy: the app's own files only, nothing inline, no framing", () => {
    expect(APP_CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });
});
