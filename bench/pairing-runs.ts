// One pairing of a fresh virtual YubiKey 5.4.3 through pcscd, four ways:
// the app's services in this process, Yubico's library in one Python process,
// the ykman commands a user would type, and `wfa pair` from its bundle.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CountingTransport, type TimelineEntry } from '../native/pcsc/counting-transport.ts';
import { createPcscTransport } from '../native/pcsc/smartcard-transport.ts';
import { DEFAULT_MANAGEMENT_KEY } from '../native/piv/constants.ts';
import { DEFAULT_PIV_PIN } from '../electron/ipc/pin-rules.ts';
import { createAppServices } from '../electron/app/app-services.ts';
import { run } from '../scripts/lib/exec.ts';
import { REPO_ROOT } from '../scripts/lib/paths.ts';

/** The PIN the user chooses; the temporary PIN is the factory one. */
export const NEW_PIN = '583920';

export interface PairingRun {
  readonly ms: number;
  /** Of which waiting for GENERATE (the card's key generation, random in length). */
  readonly generateMs: number;
  readonly apdus: number;
  readonly byInstruction: Record<string, number>;
  /** Connects, APDUs, disconnects and the run's own phases, in ms from the run's start (bench/timeline.ts). */
  readonly timeline: readonly TimelineEntry[];
}

function mustSucceed(what: string, r: Awaited<ReturnType<typeof run>>): void {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code ?? r.signal}): ${r.command}\n${r.stderr}${r.stdout}`);
}

/** A data folder with the local CA already made (as on a machine that paired before), without any pairing. */
export function freshDataDir(template: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wfa-bench-data-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** What `wfa pair --default-pin` does, in this process: status, checks, pairing. Timed from the services' start. */
export async function pairThroughServices(reader: string, dataDir: string): Promise<PairingRun> {
  const started = performance.now();
  const phases: TimelineEntry[] = [];
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      phases.push({ name: `phase:${name}`, start, end: performance.now() });
    }
  };
  const counter = new CountingTransport(createPcscTransport());
  const app = await phase('createAppServices', () =>
    createAppServices({ dataDir, env: {}, transport: counter, statusSource: null, userName: 'alice', log: () => undefined }),
  );
  try {
    await phase('status', () => app.status());
    const pre = await phase('precheck', () => app.handlers['pairing.precheck']({ reader }));
    if (!pre.ok) throw new Error(`precheck: ${pre.error.code} ${pre.error.message}`);
    const paired = await phase('pair', () =>
      app.handlers['pairing.pair']({ serial: pre.value.key.serial, temporaryPin: DEFAULT_PIV_PIN, newPin: NEW_PIN, confirmation: NEW_PIN }),
    );
    if (!paired.ok) throw new Error(`pair: ${paired.error.code} ${paired.error.message}`);
  } finally {
    await phase('close', () => app.close());
  }
  const ms = performance.now() - started;
  const timeline = [...phases, ...counter.timeline]
    .map((e) => ({ name: e.name, start: e.start - started, end: e.end - started }))
    .sort((a, b) => a.start - b.start);
  return { ms, generateMs: counter.elapsed['GENERATE'] ?? 0, apdus: counter.sent.length, byInstruction: counter.byInstruction(), timeline };
}

/** bench/services-pair.ts in a fresh process (nothing compiled or warmed before), as the yubikit script runs. */
export async function pairThroughServicesProcess(reader: string, dataDir: string): Promise<PairingRun> {
  const r = await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'services-pair.ts'), '--reader', reader, '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
  });
  mustSucceed('bench/services-pair.ts', r);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as PairingRun;
}

/** bench/yubikit_pair.py: times itself from connecting to the last write. `attest`: also attests the key, as the app does. */
export async function pairThroughYubikit(reader: string, hostKeysAhead = false, attest = false): Promise<PairingRun & { readonly processMs: number }> {
  const started = performance.now();
  const flags = [...(hostKeysAhead ? ['--host-keys-ahead'] : []), ...(attest ? ['--attest'] : [])];
  const r = await run('/usr/bin/python3', [join(REPO_ROOT, 'bench', 'yubikit_pair.py'), '--reader', reader, ...flags], {
    input: `${DEFAULT_PIV_PIN}\n${NEW_PIN}\n`,
    timeoutMs: 120_000,
  });
  const processMs = performance.now() - started;
  mustSucceed('the yubikit script', r);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as PairingRun;
  return { ms: out.ms, generateMs: out.generateMs, apdus: out.apdus, byInstruction: out.byInstruction, timeline: out.timeline, processMs };
}

/** The ykman commands a user would type for the same pairing (the CA signs with openssl). Wall time of the whole sequence. */
export async function pairThroughYkmanCommands(reader: string, ca: { cert: string; key: string }): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'wfa-bench-ykman-'));
  const ykman = (args: string[]) => run('ykman', ['--reader', reader, 'piv', ...args], { timeoutMs: 120_000 });
  const puk = Array.from({ length: 8 }, () => Math.floor(Math.random() * 10)).join('');
  const mgm = Buffer.from(DEFAULT_MANAGEMENT_KEY).toString('hex');
  const started = performance.now();
  mustSucceed('ykman change-pin', await ykman(['access', 'change-pin', '-P', DEFAULT_PIV_PIN, '-n', NEW_PIN]));
  mustSucceed(
    'ykman change-management-key',
    await ykman(['access', 'change-management-key', '-m', mgm, '-a', 'AES192', '--generate', '--protect', '-P', NEW_PIN, '-f']),
  );
  mustSucceed('ykman change-puk', await ykman(['access', 'change-puk', '-p', '12345678', '-n', puk]));
  mustSucceed('ykman keys generate', await ykman(['keys', 'generate', '-a', 'RSA2048', '-P', NEW_PIN, '9a', join(dir, 'pub.pem')]));
  mustSucceed(
    'ykman certificates request',
    await ykman(['certificates', 'request', '-P', NEW_PIN, '-s', 'CN=alice', '9a', join(dir, 'pub.pem'), join(dir, 'csr.pem')]),
  );
  mustSucceed(
    'openssl x509 -req',
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      join(dir, 'csr.pem'),
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-days',
      '365',
      '-out',
      join(dir, 'cert.pem'),
    ]),
  );
  mustSucceed('ykman certificates import', await ykman(['certificates', 'import', '-P', NEW_PIN, '9a', join(dir, 'cert.pem')]));
  mustSucceed('ykman objects generate chuid', await ykman(['objects', 'generate', '-P', NEW_PIN, 'chuid']));
  mustSucceed('ykman objects generate ccc', await ykman(['objects', 'generate', '-P', NEW_PIN, 'ccc']));
  return performance.now() - started;
}

/** A throw-away CA for the ykman sequence. */
export async function opensslCa(): Promise<{ cert: string; key: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wfa-bench-ca-'));
  const key = join(dir, 'ca.key');
  const cert = join(dir, 'ca.pem');
  mustSucceed(
    'openssl req',
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      '/CN=bench CA',
    ]),
  );
  return { cert, key };
}

/** `npm run wfa -- pair --default-pin` (the bundle, as npm runs it): wall time and peak resident memory (GNU time). */
export async function pairThroughCli(reader: string, dataDir: string): Promise<{ readonly ms: number; readonly rssKb: number }> {
  const timeFile = join(mkdtempSync(join(tmpdir(), 'wfa-bench-time-')), 'time');
  const started = performance.now();
  const r = await run(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      '-o',
      timeFile,
      process.execPath,
      'scripts/bundle.mjs',
      'run',
      'wfa',
      'pair',
      '--default-pin',
      '--reader',
      reader,
      '--data-dir',
      dataDir,
      '--user',
      'alice',
      '--json',
    ],
    { cwd: REPO_ROOT, input: `${NEW_PIN}\n`, timeoutMs: 120_000 },
  );
  const ms = performance.now() - started;
  mustSucceed('wfa pair', r);
  const { readFileSync } = await import('node:fs');
  return { ms, rssKb: Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) };
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
