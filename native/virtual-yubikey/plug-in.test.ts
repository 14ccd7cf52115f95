// The plug-in routine the CLI and the key host share, against a fake vpcd: when
// READY comes, what --fault-after and unplugging do on the wire, and a key
// that cannot save its state going out without answering.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT, type CliOptions } from './cli-args.ts';
import { FakeVpcd } from './fake-vpcd.test-support.ts';
import { plugIn, type PluggedKey, startFailure } from './plug-in.ts';
import { loadStateFile } from './state-file.ts';
import { encodeFrame, VPCD_CTRL } from './vpcd-protocol.ts';

const SELECT_PIV = Uint8Array.of(0x00, 0xa4, 0x04, 0x00, 0x05, 0xa0, 0x00, 0x00, 0x03, 0x08);
/** VERIFY with a wrong PIN: the card spends a try and saves its state. */
const WRONG_PIN = Uint8Array.of(0x00, 0x20, 0x00, 0x80, 0x08, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0xff, 0xff);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

interface Plugged {
  readonly vpcd: FakeVpcd;
  readonly key: PluggedKey;
  readonly dir: string;
  readonly events: string[];
  readonly logs: string[];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Plugs a yk5.4.3 key into a fake vpcd; its state file and an attestation root given by name live in a temporary folder. */
async function plug(options: Partial<CliOptions> = {}): Promise<Plugged> {
  const vpcd = await FakeVpcd.start();
  const dir = mkdtempSync(join(tmpdir(), 'vyk-plug-in-'));
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => vpcd.stop(),
  );
  const events: string[] = [];
  const logs: string[] = [];
  const key = plugIn(
    {
      reader: 0,
      port: vpcd.port,
      readerName: 'Virtual PCD 00 00',
      profile: 'yk5.4.3',
      serial: 12_345_678,
      stateFile: join(dir, 'card.json'),
      faultAfter: undefined,
      ...options,
      exportAttestationRoot: options.exportAttestationRoot === undefined ? undefined : join(dir, options.exportAttestationRoot),
    },
    {
      log: (message) => logs.push(message),
      onReady: (line) => events.push(line),
      onOut: (code) => events.push(`out ${code}`),
    },
  );
  cleanups.push(() => key.unplug('test over'));
  await vpcd.connected();
  return { vpcd, key, dir, events, logs };
}

/** What pcscd's vpcd driver does when it finds the card: power it on and read its ATR. */
async function powerUp(vpcd: FakeVpcd): Promise<Uint8Array> {
  vpcd.socket.write(encodeFrame(Uint8Array.of(VPCD_CTRL.ON)));
  return vpcd.exchange(Uint8Array.of(VPCD_CTRL.ATR));
}

/** Settles when the key closed its end of the connection. */
const closed = (vpcd: FakeVpcd): Promise<void> => new Promise((resolve) => vpcd.socket.once('close', () => resolve()));

describe('plugging a virtual key in (the CLI and the key host)', () => {
  it('says READY only once pcscd has powered the card, after writing its attestation root', async () => {
    const { vpcd, events, logs, dir } = await plug({ exportAttestationRoot: 'root.pem' });
    const root = join(dir, 'root.pem');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).toEqual([]);
    expect((await powerUp(vpcd)).length).toBeGreaterThan(2);
    await vpcd.until(() => events.length > 0);
    expect(events).toEqual(['READY reader="Virtual PCD 00 00" serial=12345678 firmware=5.4.3']);
    expect(readFileSync(root, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(logs.some((line) => /^powered up by pcscd \(clock [\d.]+\)$/.test(line))).toBe(true);
    expect(loadStateFile(join(dir, 'card.json'))?.serial).toBe(12_345_678);
  });

  it('plugs the same key back in from its state file, and refuses a --profile or --serial that contradicts it', async () => {
    const first = await plug();
    const stateFile = join(first.dir, 'card.json');
    await first.key.unplug('SIGTERM');
    const again = await plug({ stateFile, profile: undefined, serial: undefined });
    await powerUp(again.vpcd);
    await again.vpcd.until(() => again.events.length > 0);
    expect(again.events).toEqual(['READY reader="Virtual PCD 00 00" serial=12345678 firmware=5.4.3']);
    expect(again.logs).toContain(`plugging back in key 12345678 (yk5.4.3) from ${stateFile}`);
    const contradiction = await plug({ stateFile, profile: 'yk5.7.1' }).catch((error: unknown) => error);
    expect(startFailure(contradiction)).toEqual({ code: EXIT.USAGE, stderr: expect.stringMatching(/holds a yk5.4.3 key/) });
  });

  it('--fault-after K: answers the APDUs before, then vanishes instead of answering (or carrying out) the K-th', async () => {
    const { vpcd, events, dir } = await plug({ faultAfter: 2 });
    await powerUp(vpcd);
    expect(hex((await vpcd.exchange(SELECT_PIV)).slice(-2))).toBe('9000');
    const gone = closed(vpcd);
    const before = vpcd.received.length;
    vpcd.socket.write(encodeFrame(WRONG_PIN));
    await gone;
    expect(vpcd.received.length).toBe(before);
    expect(events.at(-1)).toBe(`out ${EXIT.FAULT}`);
    expect(loadStateFile(join(dir, 'card.json'))?.pinRetriesLeft).toBe(3);
  });

  it('unplugging closes the connection to vpcd', async () => {
    const { vpcd, key, logs } = await plug();
    await powerUp(vpcd);
    const gone = closed(vpcd);
    await key.unplug('SIGTERM');
    await gone;
    expect(logs).toContain('SIGTERM: unplugging');
    expect(logs.some((line) => line.startsWith('unplugged (clock '))).toBe(true);
  });

  it('a key that cannot save its state goes out without answering', async () => {
    const { vpcd, events, logs, dir } = await plug();
    await powerUp(vpcd);
    expect(hex((await vpcd.exchange(SELECT_PIV)).slice(-2))).toBe('9000');
    rmSync(dir, { recursive: true, force: true });
    const gone = closed(vpcd);
    const before = vpcd.received.length;
    vpcd.socket.write(encodeFrame(WRONG_PIN));
    await gone;
    expect(vpcd.received.length).toBe(before);
    expect(events.at(-1)).toBe(`out ${EXIT.ERROR}`);
    expect(logs.some((line) => line.startsWith(`cannot save ${join(dir, 'card.json')}`))).toBe(true);
  });
});
