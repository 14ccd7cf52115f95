// Secrets never leak: every flow (pair, check, change
// PIN, renew, verify-pin, change PUK, unblock, de-register, and their wrong-PIN
// failures) runs on an in-process virtual YubiKey with the APDU trace
// (WFA_APDU_TRACE=1) and every log line captured: the app's IPC handlers and
// events, then the CLI. Afterwards the logs, stderr and stdout, every file of
// the data folder (stores, audit log, the local CA), the recorded IPC events,
// every result and error message are searched for every PIN, PUK and
// management key the key held or the user typed: as text, hex (as sent, PINs
// padded), base64 at every alignment, and raw bytes.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wfa } from '../../electron/cli/cli-test-support.ts';
import type { Result } from '../../electron/ipc/contract.ts';
import { createAppServices } from '../../electron/app/app-services.ts';
import { VirtualTransport } from '../../native/virtual-yubikey/virtual-transport.ts';
import { DEFAULT_MANAGEMENT_KEY } from '../../native/piv/constants.ts';
import { createVirtualYubiKey, type ProfileName } from '../../native/virtual-yubikey/index.ts';

const READER = 'Virtual PCD 00 00';
const SERIAL = 21000001;

export interface Secret {
  readonly name: string;
  readonly bytes: Buffer;
  /** The factory PIN and PUK are printed in manuals and in our own help texts: only their encoded forms count. */
  readonly factory: boolean;
}

export interface Haystack {
  readonly where: string;
  readonly bytes: Buffer;
}

/** Every form a secret could take in a log or a file. */
export function needles(secret: Secret): { form: string; bytes: Buffer }[] {
  const out: { form: string; bytes: Buffer }[] = [];
  const add = (form: string, text: string | Buffer): void => {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    if (bytes.length >= 4) out.push({ form, bytes });
  };
  const printable = /^[\x20-\x7e]+$/.test(secret.bytes.toString('latin1'));
  if (!secret.factory || !printable) add('raw', secret.bytes);
  add('hex', secret.bytes.toString('hex'));
  add('HEX', secret.bytes.toString('hex').toUpperCase());
  if (secret.bytes.length <= 8 && printable) {
    const padded = Buffer.concat([secret.bytes, Buffer.alloc(8 - secret.bytes.length, 0xff)]);
    add('hex, padded as sent', padded.toString('hex'));
    add('HEX, padded as sent', padded.toString('hex').toUpperCase());
  }
  // base64 of the secret inside a longer value: at each of the three alignments, the characters it alone decides.
  for (let k = 0; k < 3; k++) {
    const b64 = Buffer.concat([Buffer.alloc(k), secret.bytes]).toString('base64');
    const start = Math.ceil((k * 4) / 3);
    const end = Math.floor(((k + secret.bytes.length) * 4) / 3);
    add(`base64 (alignment ${k})`, b64.slice(start, end));
    add(
      `base64url (alignment ${k})`,
      Buffer.concat([Buffer.alloc(k), secret.bytes])
        .toString('base64url')
        .slice(start, end),
    );
  }
  return out;
}

export interface LeakResult {
  readonly flows: readonly { readonly flow: string; readonly ok: boolean; readonly code?: string }[];
  readonly secrets: number;
  readonly places: number;
  readonly leaks: readonly string[];
  /** Flows that did not end as the suite expects (so the search would prove less). */
  readonly unexpected: readonly string[];
}

/** Every place where any form of any secret occurs, with a little of what surrounds it. */
export function findLeaks(secrets: readonly Secret[], haystacks: readonly Haystack[]): string[] {
  const leaks: string[] = [];
  for (const s of secrets) {
    for (const n of needles(s)) {
      for (const h of haystacks) {
        const at = h.bytes.indexOf(n.bytes);
        if (at >= 0)
          leaks.push(
            `${s.name} (${n.form}) in ${h.where} at ${at}: …${h.bytes
              .subarray(Math.max(0, at - 30), at + n.bytes.length + 10)
              .toString('latin1')
              .replace(/[^\x20-\x7e]/g, '.')}…`,
          );
      }
    }
  }
  return leaks;
}

async function filesUnder(dir: string): Promise<Haystack[]> {
  const out: Haystack[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    const bytes = await readFile(path).catch(() => null);
    if (bytes !== null) out.push({ where: `file ${name}`, bytes });
  }
  return out;
}

export async function runSecretLeaks(profile: ProfileName = 'yk5.4.3'): Promise<LeakResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wfa-leaks-'));
  const policyPath = join(dataDir, 'policy.json');
  // ECC keys: fast on the virtual key; the PUK made random by pairing (the default policy).
  await writeFile(policyPath, JSON.stringify({ key: { algorithm: 'ECCP256' } }));
  const card = createVirtualYubiKey({ profile, serial: SERIAL });
  const transport = new VirtualTransport();
  transport.insert(READER, card);

  const typed: Secret[] = [];
  const heldByCard = new Map<string, Secret>();
  const noteCard = (): void => {
    const s = card.state;
    const unpad = (hex: string): Buffer => Buffer.from(hex.replace(/(ff)+$/i, ''), 'hex');
    for (const [name, bytes, factory] of [
      ['PIN held by the key', unpad(s.pinHex), s.pinHex.toLowerCase().startsWith('313233343536ff')],
      ['PUK held by the key', unpad(s.pukHex), s.pukHex.toLowerCase() === '3132333435363738'],
      ['management key held by the key', Buffer.from(s.managementKey.keyHex, 'hex'), false],
    ] as const) {
      heldByCard.set(`${name} ${bytes.toString('hex')}`, { name, bytes, factory });
    }
  };
  const secret = (name: string, text: string, factory = false): string => {
    typed.push({ name, bytes: Buffer.from(text, 'latin1'), factory });
    return text;
  };

  const captured: Haystack[] = [];
  const logLines: string[] = [];
  const stderrChunks: string[] = [];
  const stdoutChunks: string[] = [];
  const events: unknown[] = [];
  const results: unknown[] = [];
  const flows: { flow: string; ok: boolean; code?: string }[] = [];
  const unexpected: string[] = [];

  const realStderr = process.stderr.write.bind(process.stderr);
  const realStdout = process.stdout.write.bind(process.stdout);
  const previousTrace = process.env['WFA_APDU_TRACE'];
  process.env['WFA_APDU_TRACE'] = '1';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderrChunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'));
    return true;
  }) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdoutChunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'));
    return true;
  }) as typeof process.stdout.write;

  try {
    noteCard();
    // The app as the user runs it (twice: de-registration at the end runs in a new start), logging into logLines.
    const openApp = () =>
      createAppServices({
        dataDir,
        configPath: policyPath,
        env: {},
        transport,
        statusSource: null,
        userName: 'alice',
        platform: 'linux',
        log: (line) => logLines.push(line),
        machinePolicy: null,
      });
    const app = await openApp();
    app.events.subscribe((e) => events.push(e));
    const ipc = async (flow: string, channel: keyof typeof app.handlers, input: unknown, expect: 'ok' | string): Promise<void> => {
      const r = (await (app.handlers[channel] as (i: unknown) => Promise<Result<unknown>>)(input)) as Result<unknown>;
      results.push(r);
      noteCard();
      const code = r.ok ? undefined : r.error.code;
      flows.push({ flow, ok: r.ok, ...(code === undefined ? {} : { code }) });
      if ((expect === 'ok') !== r.ok || (!r.ok && expect !== code))
        unexpected.push(`${flow}: ${r.ok ? 'ok' : `${r.error.code} ${r.error.message}`}, expected ${expect}`);
    };
    const P1 = '470291';
    const P2 = '815364';
    await ipc(
      'pair with a wrong temporary PIN',
      'pairing.pair',
      { serial: SERIAL, temporaryPin: secret('wrong temporary PIN', '918273'), newPin: P1, confirmation: P1 },
      'PIN_INCORRECT',
    );
    await ipc(
      'pair',
      'pairing.pair',
      { serial: SERIAL, temporaryPin: secret('factory PIN', '123456', true), newPin: secret('new PIN', P1), confirmation: P1 },
      'ok',
    );
    await ipc('sign-in check', 'signin.check', { pin: P1 }, 'ok');
    await ipc('sign-in check with a wrong PIN', 'signin.check', { pin: secret('wrong PIN', '650193') }, 'PIN_INCORRECT');
    // A right PIN sets the tries back to three.
    await ipc('sign-in check', 'signin.check', { pin: P1 }, 'ok');
    await ipc(
      'change PIN with a wrong current PIN',
      'pin.change',
      { currentPin: secret('wrong PIN', '650194'), newPin: P2, confirmation: P2 },
      'PIN_INCORRECT',
    );
    await ipc('change PIN', 'pin.change', { currentPin: P1, newPin: secret('changed PIN', P2), confirmation: P2 }, 'ok');
    await ipc('renew', 'renewal.renew', { pin: P2 }, 'ok');
    await app.close();

    // The CLI, the same services from the command line (secrets on stdin).
    const env = { WFA_DATA_DIR: dataDir, WFA_POLICY: policyPath, WFA_APDU_TRACE: '1' };
    const cli = async (flow: string, args: string[], stdin: string, expectCode: number): Promise<void> => {
      const r = await wfa(transport, args, stdin, env);
      captured.push({ where: `CLI ${flow} stdout`, bytes: Buffer.from(r.stdout) }, { where: `CLI ${flow} stderr`, bytes: Buffer.from(r.stderr) });
      noteCard();
      flows.push({ flow: `wfa ${flow}`, ok: r.code === 0, ...(r.code === 0 ? {} : { code: String(r.code) }) });
      if (r.code !== expectCode) unexpected.push(`wfa ${flow}: exit ${r.code}, expected ${expectCode}: ${r.stdout.slice(0, 300)} ${r.stderr.slice(0, 300)}`);
    };
    const randomPuk = Buffer.from(card.state.pukHex, 'hex').toString('latin1');
    const K2 = secret('new PUK', '60419287');
    const P3 = secret('PIN set by unblocking', '294817');
    const P4 = secret('PIN changed on the command line', '508163');
    await cli('key verify-pin', ['key', 'verify-pin', '--json'], `${P2}\n`, 0);
    await cli('key change-puk', ['key', 'change-puk', '--json'], `${randomPuk}\n${K2}\n`, 0);
    await cli('key verify-pin (wrong PIN 1)', ['key', 'verify-pin', '--json'], `${secret('wrong PIN', '731902')}\n`, 3);
    await cli('key verify-pin (wrong PIN 2)', ['key', 'verify-pin', '--json'], `${secret('wrong PIN', '731903')}\n`, 3);
    await cli('key verify-pin (wrong PIN 3, last try)', ['key', 'verify-pin', '--yes', '--json'], `${secret('wrong PIN', '731904')}\n`, 3);
    await cli('key unblock-pin with a wrong PUK', ['key', 'unblock-pin', '--json'], `${secret('wrong PUK', '99118822')}\n${P3}\n`, 3);
    await cli('key unblock-pin', ['key', 'unblock-pin', '--json'], `${K2}\n${P3}\n`, 0);
    await cli('check', ['check', '--json'], `${P3}\n`, 0);
    await cli('change-pin', ['change-pin', '--json'], `${P3}\n${P4}\n${P4}\n`, 0);

    // De-registration through the app again: the key is reset.
    const again = await openApp();
    again.events.subscribe((e) => events.push(e));
    const removed = await again.handlers['deregistration.remove']({ serial: SERIAL, confirmOtherKey: false });
    results.push(removed);
    flows.push({ flow: 'de-register', ok: removed.ok, ...(removed.ok ? {} : { code: removed.error.code }) });
    if (!removed.ok) unexpected.push(`de-register: ${removed.error.code} ${removed.error.message}`);
    noteCard();
    await again.close();
  } finally {
    process.stderr.write = realStderr;
    process.stdout.write = realStdout;
    if (previousTrace === undefined) delete process.env['WFA_APDU_TRACE'];
    else process.env['WFA_APDU_TRACE'] = previousTrace;
  }

  const secrets = [...typed, ...heldByCard.values(), { name: 'factory management key', bytes: Buffer.from(DEFAULT_MANAGEMENT_KEY), factory: false }];
  const haystacks: Haystack[] = [
    ...captured,
    { where: 'stderr (APDU trace and everything else)', bytes: Buffer.from(stderrChunks.join(''), 'latin1') },
    { where: 'stdout', bytes: Buffer.from(stdoutChunks.join(''), 'latin1') },
    { where: 'app log', bytes: Buffer.from(logLines.join('\n')) },
    { where: 'IPC events', bytes: Buffer.from(JSON.stringify(events)) },
    { where: 'IPC results and error messages', bytes: Buffer.from(JSON.stringify(results)) },
    ...(await filesUnder(dataDir)).filter((h) => !h.where.endsWith('policy.json')),
  ];
  const leaks = findLeaks(secrets, haystacks);
  const traceLines = stderrChunks
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('apdu ')).length;
  if (traceLines === 0) unexpected.push('the APDU trace wrote nothing: the search proves little');
  await rm(dataDir, { recursive: true, force: true });
  return { flows, secrets: secrets.length, places: haystacks.length, leaks, unexpected };
}
