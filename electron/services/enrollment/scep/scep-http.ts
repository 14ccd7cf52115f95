// SCEP over HTTP, RFC 8894 §4: GetCACaps, GetCACert and PKIOperation (POST,
// or GET where the service does not offer POST). Every network failure and
// every timeout becomes ENROLLMENT_UNREACHABLE, which the app words as "connect
// to the company network or VPN, then try again". https:// only, unless the
// policy allows http:// (README, "SCEP over http"); redirects are followed
// only within the same scheme, host and port.
import { EnrollmentError } from '../enrollment-error.ts';
import { MAX_RESPONSE_BYTES, MEDIA_TYPE } from './scep-constants.ts';

export interface ScepHttpOptions {
  readonly url: string;
  /** Each request (connect, headers and body) must finish within this time. */
  readonly timeoutMs: number;
  /** Plain http:// is refused unless true (policy enrollment.allowHttp). */
  readonly allowHttp: boolean;
  readonly fetch: typeof fetch;
}

/** Redirects followed for one request before giving up (each within the same origin). */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** The keywords of a GetCACaps answer, RFC 8894 §3.5.2; compared without regard to case. */
export class ScepCapabilities {
  private readonly keywords: ReadonlySet<string>;

  constructor(readonly list: readonly string[]) {
    this.keywords = new Set(list.map((k) => k.toUpperCase()));
  }

  static parse(text: string): ScepCapabilities {
    return new ScepCapabilities(
      text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0),
    );
  }

  has(keyword: string): boolean {
    return this.keywords.has(keyword.toUpperCase());
  }

  /** "SCEPStandard" implies AES, POSTPKIOperation and SHA-256, RFC 8894 §3.5.2. */
  get standard(): boolean {
    return this.has('SCEPStandard');
  }

  get post(): boolean {
    return this.standard || this.has('POSTPKIOperation');
  }

  get aes(): boolean {
    return this.standard || this.has('AES');
  }

  get tripleDes(): boolean {
    return this.has('DES3');
  }

  get sha256(): boolean {
    return this.standard || this.has('SHA-256');
  }
}

const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was closed by the other side',
  ENOTFOUND: 'the server name was not found',
  EAI_AGAIN: 'the server name could not be looked up',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the server could not be reached',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection was closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur !== null && typeof cur === 'object' && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Where the service is, for messages: the URL without its query (never a message or secret). */
function serviceName(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export function unreachable(url: URL, why: string, cause?: unknown): EnrollmentError {
  return new EnrollmentError('ENROLLMENT_UNREACHABLE', { reason: 'network' }, { cause, detail: `${serviceName(url)}: ${why}` });
}

async function readLimited(response: Response, url: URL): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_RESPONSE_BYTES) throw unreachable(url, `the answer is too large (${declared} bytes)`);
  if (response.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw unreachable(url, `the answer is too large (over ${MAX_RESPONSE_BYTES} bytes)`);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export class ScepHttp {
  readonly url: URL;

  constructor(private readonly options: ScepHttpOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new EnrollmentError('ENROLLMENT_UNREACHABLE', { reason: 'url-scheme' }, { detail: options.url });
    }
    if (this.url.protocol === 'http:' && !options.allowHttp) {
      throw new EnrollmentError(
        'ENROLLMENT_UNREACHABLE',
        { reason: 'http-not-allowed' },
        {
          detail: `${serviceName(this.url)}: http:// refused (enrollment.allowHttp is not true)`,
        },
      );
    }
  }

  get serviceName(): string {
    return serviceName(this.url);
  }

  private async request(operation: string, init: { method: 'GET' | 'POST'; message?: string; body?: Uint8Array; contentType?: string }): Promise<HttpAnswer> {
    const url = new URL(this.url);
    url.searchParams.set('operation', operation);
    if (init.message !== undefined) url.searchParams.set('message', init.message);
    const headers: Record<string, string> = {};
    if (init.contentType !== undefined) headers['content-type'] = init.contentType;
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.fetchWithinOrigin(url, { method: init.method, headers, body: init.body, signal });
      const body = await readLimited(response, this.url);
      return { status: response.status, contentType: (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(), body };
    } catch (e) {
      if (e instanceof EnrollmentError) throw e;
      if (signal.aborted) throw unreachable(this.url, `no answer within ${Math.round(this.options.timeoutMs / 100) / 10} s`, e);
      const code = errorCode(e);
      throw unreachable(
        this.url,
        (code !== undefined ? NETWORK_ERRORS[code] : undefined) ?? `the request failed (${code ?? (e instanceof Error ? e.message : 'unknown error')})`,
        e,
      );
    }
  }

  /**
   * Follows redirects by hand, and only to the same scheme, host and port: a
   * redirect must not take the request (or the answer we trust) elsewhere.
   * 303, and 301/302 after a POST, continue as GET without a body, as fetch does.
   */
  private async fetchWithinOrigin(
    start: URL,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body: Uint8Array | undefined; signal: AbortSignal },
  ): Promise<Response> {
    let url = start;
    let { method, body } = init;
    for (let hops = 0; ; hops++) {
      const response = await this.options.fetch(url, { method, headers: init.headers, body, signal: init.signal, redirect: 'manual' });
      if (!REDIRECT_STATUSES.has(response.status)) return response;
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (location === null) throw unreachable(this.url, `HTTP ${response.status} without a Location`);
      const next = new URL(location, url);
      if (next.origin !== this.url.origin) {
        throw unreachable(
          this.url,
          `redirected to ${next.origin}, another ${next.protocol !== this.url.protocol ? 'scheme' : 'host'}: not followed; set the policy's scepUrl to the service's own address`,
        );
      }
      if (hops + 1 >= MAX_REDIRECTS) throw unreachable(this.url, `more than ${MAX_REDIRECTS} redirects`);
      if (response.status === 303 || (method === 'POST' && (response.status === 301 || response.status === 302))) {
        method = 'GET';
        body = undefined;
      }
      url = next;
    }
  }

  /**
   * GetCACaps, RFC 8894 §3.5.1. An HTTP error or an empty answer means that
   * none of the capabilities is offered (RFC 8894 §3.5.2); enroll() then
   * refuses what it cannot do safely.
   */
  async getCaCaps(): Promise<ScepCapabilities> {
    const answer = await this.request('GetCACaps', { method: 'GET' });
    if (answer.status < 200 || answer.status >= 300) return new ScepCapabilities([]);
    return ScepCapabilities.parse(new TextDecoder().decode(answer.body));
  }

  /** GetCACert, RFC 8894 §4.2: one DER certificate, or a degenerate SignedData with CA and RA certificates. */
  async getCaCert(): Promise<HttpAnswer> {
    const answer = await this.request('GetCACert', { method: 'GET' });
    if (answer.status < 200 || answer.status >= 300)
      throw unreachable(this.url, `GetCACert was answered with HTTP ${answer.status}; check the policy's scepUrl`);
    if (answer.body.length === 0) throw unreachable(this.url, "GetCACert was answered with an empty body; check the policy's scepUrl");
    return answer;
  }

  /**
   * PKIOperation, RFC 8894 §4.1 and §4.3: the DER pkiMessage as a POST body,
   * or (where POST is not offered) base64 in the "message" query parameter,
   * which URLSearchParams then percent-encodes.
   */
  async pkiOperation(pkiMessage: Uint8Array, usePost: boolean): Promise<HttpAnswer> {
    return usePost
      ? this.request('PKIOperation', { method: 'POST', body: pkiMessage, contentType: MEDIA_TYPE.pkiMessage })
      : this.request('PKIOperation', { method: 'GET', message: Buffer.from(pkiMessage).toString('base64') });
  }
}
