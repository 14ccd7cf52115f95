// Test support (not shipped code): runs Debian's `scepserver` (micromdm/scep
// 2.1.0) with a fresh CA depot in a temporary folder, on a free port. The
// server has no listen-address flag (it binds ":port"), so tests only ever
// connect to it on 127.0.0.1.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const SCEPSERVER = '/usr/bin/scepserver';

export interface RunningScepServer {
  readonly url: string;
  readonly port: number;
  readonly depot: string;
  /** The CA certificate (DER) and the policy pin of its public key. */
  readonly caDer: Uint8Array;
  readonly caPin: string;
  /** Certificates the CA has issued so far (the depot's files besides ca.pem). */
  issued(): Promise<string[]>;
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`scepserver exited with ${child.exitCode}: ${stderr()}`);
    try {
      const response = await fetch(`${url}?operation=GetCACaps`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`scepserver did not answer on ${url} within 15 s: ${stderr()}`);
}

/** Starts scepserver; fails loudly when it is not installed (Debian package `scep`). */
export async function startScepServer(options: { challenge: string }): Promise<RunningScepServer> {
  if (!existsSync(SCEPSERVER)) throw new Error(`${SCEPSERVER} is missing: install the Debian package "scep" (scripts/setup.sh)`);
  const depot = await mkdtemp(join(tmpdir(), 'wfa-scep-depot-'));
  // A 2048-bit CA key keeps the test quick; the server's default is 4096.
  await promisify(execFile)(
    SCEPSERVER,
    ['ca', '-init', '-depot', depot, '-keySize', '2048', '-organization', 'WFA Test', '-organizational_unit', 'SCEP Test CA'],
    { timeout: 60_000 },
  );
  const port = await freePort();
  const child = spawn(SCEPSERVER, ['-depot', depot, '-port', String(port), '-challenge', options.challenge], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4_000);
  });
  const url = `http://127.0.0.1:${port}/scep`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(depot, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(url, child, () => log);
  } catch (e) {
    await stop();
    throw e;
  }
  const caDer = new Uint8Array(new X509Certificate(await readFile(join(depot, 'ca.pem'))).raw);
  const spki = new X509Certificate(caDer).publicKey.export({ format: 'der', type: 'spki' });
  return {
    url,
    port,
    depot,
    caDer,
    caPin: `sha256:${createHash('sha256').update(spki).digest('hex')}`,
    issued: async () => (await readdir(depot)).filter((f) => f.endsWith('.pem') && f !== 'ca.pem'),
    stop,
  };
}
