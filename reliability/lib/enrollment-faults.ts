// Enrollment faults: pairing against a SCEP service that
// is down, very slow, answers 500, answers garbage, is another CA, or brings
// a forged RA. The key is the in-process virtual YubiKey behind the app's own
// services; the service is the scripted SCEP CA behind a small faulty proxy on
// loopback. Each fault must give its documented error (a code from the table,
// with a message that says what to do), and nothing may be written to the key:
// no certificate in slot 9a, no pairing record, no PIN try spent, and for a
// fault found before the key is touched, the key exactly as it was.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { rm } from 'node:fs/promises';
import type { ErrorCode } from '../../electron/ipc/error-codes.ts';
import { type Authority, type FakeCaOptions, makeAuthority, pinOf, startFakeCa } from '../../electron/services/enrollment/scep/fake-scep-ca-test-support.ts';
import { appFixture, READER_0 } from '../../electron/app/test-support/app-fixture.ts';
import { SLOT } from '../../native/piv/constants.ts';
import { readCertificate } from '../../native/piv/objects.ts';
import { PivSession } from '../../native/piv/session.ts';
import { secretFromText } from '../../native/piv/secrets.ts';

type Operation = 'GetCACaps' | 'GetCACert' | 'PKIOperation';

/** What the faulty proxy does instead of passing an operation on. */
interface Override {
  readonly delayMs?: number;
  readonly status?: number;
  readonly body?: Uint8Array;
  readonly contentType?: string;
}

interface Authorities {
  readonly ca: Authority;
  readonly ra: Authority;
  readonly impostor: Authority;
  readonly forgedRa: Authority;
}

export interface FaultScenario {
  readonly name: string;
  readonly expected: ErrorCode;
  /** Found before the key is touched: the key must be exactly as it was. */
  readonly beforeTheKey: boolean;
  readonly ca?: (a: Authorities) => Partial<FakeCaOptions>;
  readonly overrides?: Partial<Record<Operation, Override>>;
  /** The policy pins this CA instead of the service's. */
  readonly pinned?: (a: Authorities) => Authority;
  /** No service at all: a port nothing listens on. */
  readonly down?: boolean;
}

const garbage = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17 + 7) & 0xff);
const NEVER = 60_000;

export const SCENARIOS: readonly FaultScenario[] = [
  { name: 'SCEP server down (nothing listens)', expected: 'ENROLLMENT_UNREACHABLE', beforeTheKey: true, down: true },
  { name: 'very slow: GetCACaps never answered', expected: 'ENROLLMENT_UNREACHABLE', beforeTheKey: true, overrides: { GetCACaps: { delayMs: NEVER } } },
  { name: 'very slow: PKIOperation never answered', expected: 'ENROLLMENT_UNREACHABLE', beforeTheKey: false, overrides: { PKIOperation: { delayMs: NEVER } } },
  {
    name: 'HTTP 500 to GetCACert',
    expected: 'ENROLLMENT_UNREACHABLE',
    beforeTheKey: true,
    overrides: { GetCACert: { status: 500, body: new TextEncoder().encode('Internal Server Error') } },
  },
  {
    name: 'HTTP 500 to PKIOperation',
    expected: 'ENROLLMENT_REJECTED',
    beforeTheKey: false,
    ca: () => ({ steps: [{ status: 'HTTP', code: 500, body: 'Internal Server Error' }] }),
  },
  {
    name: 'garbage GetCACert',
    expected: 'ENROLLMENT_UNREACHABLE',
    beforeTheKey: true,
    overrides: { GetCACert: { body: garbage(700, 1), contentType: 'application/x-x509-ca-ra-cert' } },
  },
  {
    name: 'garbage PKIOperation answer',
    expected: 'CERTIFICATE_INVALID',
    beforeTheKey: false,
    overrides: { PKIOperation: { body: garbage(900, 2), contentType: 'application/x-pki-message' } },
  },
  {
    name: 'garbage GetCACaps (no capability offered)',
    expected: 'ENROLLMENT_REJECTED',
    beforeTheKey: false,
    overrides: { GetCACaps: { body: garbage(300, 3), contentType: 'text/plain' } },
  },
  { name: 'another CA than the policy pins', expected: 'CA_PIN_MISMATCH', beforeTheKey: true, pinned: (a) => a.impostor },
  { name: 'certificate issued by another CA', expected: 'CERTIFICATE_INVALID', beforeTheKey: false, ca: (a) => ({ issueWith: a.impostor }) },
  {
    name: 'forged RA in GetCACert (issued by another CA)',
    expected: 'CA_PIN_MISMATCH',
    beforeTheKey: false,
    ca: (a) => ({ ra: a.forgedRa, caCerts: [a.ca.certificate, a.forgedRa.certificate] }),
  },
  { name: 'answer signed by a forged RA', expected: 'CA_PIN_MISMATCH', beforeTheKey: false, ca: (a) => ({ signWith: a.forgedRa }) },
  { name: 'answer with a broken signature', expected: 'CERTIFICATE_INVALID', beforeTheKey: false, ca: () => ({ tamper: 'signature' }) },
];

export async function makeAuthorities(): Promise<Authorities> {
  const ca = await makeAuthority('CN=Faults Root CA');
  const impostor = await makeAuthority('CN=Faults Root CA');
  return { ca, impostor, ra: await makeAuthority('CN=Faults RA', ca, false), forgedRa: await makeAuthority('CN=Faults RA', impostor, false) };
}

/** A proxy in front of the SCEP CA that replaces the answers of the operations in `overrides`. */
async function faultyProxy(upstream: string, overrides: Partial<Record<Operation, Override>>): Promise<{ url: string; stop: () => Promise<void> }> {
  const target = new URL(upstream);
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const override = overrides[url.searchParams.get('operation') as Operation];
    if (override !== undefined) {
      req.resume();
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.writeHead(override.status ?? 200, { 'content-type': override.contentType ?? 'application/octet-stream' }).end(override.body ?? new Uint8Array(0));
      }, override.delayMs ?? 0);
      timers.add(timer);
      return;
    }
    const forward = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/scep`,
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface FaultOutcome {
  readonly scenario: string;
  readonly passed: boolean;
  /** The code and message the user got, or what went wrong. */
  readonly found: string;
}

const PAIR = { serial: 21000001, temporaryPin: '123456', newPin: '583920', confirmation: '583920' };

export async function runScenario(scenario: FaultScenario, a: Authorities): Promise<FaultOutcome> {
  const fake = await startFakeCa({ ca: a.ca, ra: a.ra, steps: [{ status: 'SUCCESS' }], ...scenario.ca?.(a) });
  const proxy = await faultyProxy(fake.url, scenario.overrides ?? {});
  const url = scenario.down === true ? `http://127.0.0.1:${await closedPort()}/scep` : proxy.url;
  const pinned = scenario.pinned?.(a) ?? a.ca;
  const policy = {
    enrollment: { backend: 'scep', scepUrl: url, caPin: pinOf(pinned.certificate), allowHttp: true, challenge: 'faults-challenge', timeoutSeconds: 2 },
    key: { algorithm: 'RSA2048' },
    certificate: { requiredEku: ['clientAuth'], requireUpn: false },
  };
  const f = await appFixture({ policy: JSON.stringify(policy) });
  try {
    const r = await f.call('pairing.pair', PAIR);
    const problems: string[] = [];
    const found = r.ok ? 'paired' : `${r.error.code}: ${r.error.message}${r.error.detail === undefined ? '' : ` [${r.error.detail}]`}`;
    if (r.ok) problems.push('the pairing succeeded');
    else if (r.error.code !== scenario.expected) problems.push(`expected ${scenario.expected}`);
    else if (r.error.message.length < 20) problems.push('the message says too little');
    // Nothing written to the key: no certificate, no record, no PIN try spent.
    const status = await f.value('status.get', {});
    if (status.pairing?.certificate != null) problems.push('a pairing record with a certificate was saved');
    if (status.keys[0]?.pinRetries !== 3) problems.push(`PIN tries left ${String(status.keys[0]?.pinRetries)}, not 3`);
    const c = await f.transport.connect(READER_0, 'exclusive');
    try {
      const session = await PivSession.open(c);
      if ((await readCertificate(session, SLOT.AUTHENTICATION)) !== null) problems.push('a certificate was written to slot 9a');
      if (scenario.beforeTheKey) {
        // Untouched: the factory PIN still works and no pairing was begun.
        if (status.pairing !== null) problems.push('a pairing was begun');
        await session.verifyPin(secretFromText('123456')).catch(() => problems.push('the factory PIN no longer works: the key was changed'));
      }
    } finally {
      await c.disconnect('unpower');
    }
    return { scenario: scenario.name, passed: problems.length === 0, found: problems.length === 0 ? found : `${problems.join('; ')} (got ${found})` };
  } finally {
    await f.app.close();
    await proxy.stop();
    await fake.stop();
    await rm(f.dataDir, { recursive: true, force: true });
  }
}
