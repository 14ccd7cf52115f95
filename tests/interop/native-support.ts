// Support for the native-* interop tests: our own client code (native/) over
// the real PC/SC stack — createPcscTransport, never the in-process card — and
// the `wfa` CLI run as a child process, as a user or a script runs it.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, onTestFailed } from 'vitest';
import * as x509 from '../../native/x509.ts';
import { NativeError } from '../../native/errors.ts';
import { createPcscTransport } from '../../native/pcsc/smartcard-transport.ts';
import type { Transport } from '../../native/pcsc/transport.ts';
import { PivSession } from '../../native/piv/session.ts';
import { withKey } from '../../native/yubikey/key-access.ts';
import { run, type RunOptions, type RunResult } from '../../scripts/lib/exec.ts';
import { bundled } from '../../scripts/lib/bundle.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { ensurePcscd, type PcscdHandle } from '../../scripts/lib/pcscd.ts';
import { requirePrograms } from '../../scripts/lib/programs.ts';
import { type RunningVirtualYubiKey, startVirtualYubiKey, type StartVirtualYubiKeyOptions } from '../../scripts/lib/virtual-key.ts';
import { READER } from './harness.ts';

let transport: Transport | undefined;

/** The one PC/SC transport of the test process (the `smartcard` binding through pcscd). */
export function pcsc(): Transport {
  transport ??= createPcscTransport();
  return transport;
}

/** Runs `operation` on a PIV session over an exclusive PC/SC connection to `reader`, released after. */
export function onKey<T>(operation: (session: PivSession) => Promise<T>, reader = READER): Promise<T> {
  return withKey(pcsc(), reader, async (connection) => operation(await PivSession.open(connection)));
}

/** The NativeError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function nativeFailure(promise: Promise<unknown>): Promise<NativeError> {
  try {
    await promise;
  } catch (e) {
    expect(e, `expected a NativeError, got ${String(e)}`).toBeInstanceOf(NativeError);
    return e as NativeError;
  }
  throw new Error('expected a NativeError, but the operation succeeded');
}

/**
 * The `wfa` CLI as a process, from the repository: the program `npm run wfa`
 * runs (electron/cli/main.ts), bundled (scripts/lib/bundle.ts) so that each
 * of the many runs costs a quarter of the CPU.
 */
export async function wfa(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(process.execPath, [...(await bundled('wfa')), ...args], { cwd: REPO_ROOT, timeoutMs: 90_000, ...options });
}

/** The one JSON value a `--json` command printed. */
export function jsonOf(result: RunResult): unknown {
  return JSON.parse(result.stdout.trim()) as unknown;
}

/** DER of the first PEM certificate in `text` (what ykman and yubico-piv-tool print). */
export function derFromPem(text: string): Uint8Array {
  return new Uint8Array(new X509Certificate(text).raw);
}

/** Hex of bytes, for comparisons whose failure shows something readable. */
export const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A self-signed certificate of exactly `size` DER bytes (an opaque padding extension makes up the length). */
export async function certificateOfSize(size: number, subject = 'CN=native interop'): Promise<Uint8Array> {
  // RSA: its signature has a fixed length (an ECDSA one varies by a byte or two).
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' };
  const keys = await crypto.subtle.generateKey(algorithm, false, ['sign', 'verify']);
  let padding = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: subject,
      keys,
      signingAlgorithm: algorithm,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      serialNumber: '01',
      extensions: [new x509.Extension(PADDING_OID, false, new Uint8Array(padding))],
    });
    const der = new Uint8Array(cert.rawData);
    if (der.length === size) return der;
    padding = Math.max(0, padding + size - der.length);
  }
  throw new Error(`could not make a certificate of exactly ${size} bytes`);
}

/** An OID under the "example" arc of RFC 7229 (1.3.6.1.4.1.32473): test data, no meaning. */
const PADDING_OID = '1.3.6.1.4.1.32473.1.1';

export interface CardsFixture {
  /** Plugs in a virtual key (stopped after the test); `state` names a file in the test's folder. */
  start(options: Omit<StartVirtualYubiKeyOptions, 'state'> & { readonly state?: string }): Promise<RunningVirtualYubiKey>;
  /** Path of a file in the test's temporary folder. */
  file(name: string): string;
}

/**
 * Hooks for tests that plug in their own keys (other readers, other profiles,
 * fault injection): pcscd for the block, every key started in a test pulled
 * out after it, and a temporary folder per test.
 */
export function useCards(): CardsFixture {
  let pcscd: PcscdHandle | undefined;
  let cards: RunningVirtualYubiKey[] = [];
  let dir: string | undefined;
  beforeAll(async () => {
    requirePrograms(['pcscd', 'opensc-tool']);
    pcscd = await ensurePcscd();
  });
  afterAll(async () => {
    await pcscd?.stop();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wfa-native-'));
  });
  afterEach(async () => {
    await Promise.all(cards.map((c) => c.stop()));
    cards = [];
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const file = (name: string): string => {
    if (dir === undefined) throw new Error('the test folder exists only inside a test');
    return join(dir, name);
  };
  return {
    file,
    async start(options) {
      const card = await startVirtualYubiKey({ ...options, state: options.state === undefined ? undefined : file(options.state) });
      cards.push(card);
      onTestFailed(() => console.error(`virtual YubiKey in ${card.reader} (${card.label}) stderr:\n${card.stderr()}`));
      return card;
    },
  };
}

/** Rejects when `promise` takes longer than `ms`: an operation that must fail promptly, not hang. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
