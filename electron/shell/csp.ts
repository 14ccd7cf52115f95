// The Content Security Policy of the app's page, the same in both shells:
// nothing from anywhere but the app's own files, no inline script or style,
// no plugins, no forms, no framing. `connect-src` may name the web shell's
// bridge socket, the one extra source that shell needs.

const DIRECTIVES: readonly (readonly [string, readonly string[]])[] = [
  ['default-src', ["'none'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'"]],
  ['img-src', ["'self'", 'data:']],
  ['connect-src', ["'self'"]],
  ['font-src', ["'self'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
];

/** The CSP header value; `extraConnectSources` are added to connect-src (e.g. 'ws://127.0.0.1:PORT'). */
export function contentSecurityPolicy(extraConnectSources: readonly string[] = []): string {
  for (const source of extraConnectSources) {
    // A source with a space or ';' would add directives of its own.
    if (!/^[a-z][a-z0-9+.-]*:\/\/[A-Za-z0-9.[\]:-]+$/.test(source)) throw new Error(`Not a CSP source: ${source}`);
  }
  return DIRECTIVES.map(([name, sources]) => `${name} ${(name === 'connect-src' ? [...sources, ...extraConnectSources] : sources).join(' ')}`).join('; ');
}

/** Headers sent with every page and file of the app, besides the CSP. */
export const HARDENING_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  // The web shell's URL carries its token: never send it on as a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
