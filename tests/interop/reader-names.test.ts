// The app finds a key by its serial, never by the reader's name (which
// differs between machines and drivers): a key paired behind one reader name is found again by `wfa
// check` and `wfa status` when pcscd names its reader another way — vpcd's
// "Virtual PCD 00 00" or a YubiKey's USB name. pcscd's reader names are its
// configuration, so each phase starts the rig's pcscd anew with its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailure, run } from '../../scripts/lib/exec.ts';
import { ensurePcscd, type PcscdHandle } from '../../scripts/lib/pcscd.ts';
import { requirePrograms } from '../../scripts/lib/programs.ts';
import { readerName, startVirtualYubiKey, type RunningVirtualYubiKey } from '../../scripts/lib/virtual-key.ts';
import { expectSuccess, friendlyNameFor, type InteropProfile, type ReaderNaming } from './harness.ts';
import { jsonOf, wfa } from './native-support.ts';

const NEW_PIN = '48273916';

let pcscd: PcscdHandle | undefined;
let card: RunningVirtualYubiKey | undefined;
let dir: string | undefined;

async function unplug(): Promise<void> {
  await card?.stop();
  card = undefined;
  await pcscd?.stop();
  pcscd = undefined;
}

/** pcscd started with readers named the `naming` way, and the key (its state file) plugged into reader 0. */
async function plugIn(profile: InteropProfile, serial: number, naming: ReaderNaming, stateFile: string): Promise<string> {
  const friendlyName = friendlyNameFor(naming, profile);
  pcscd = await ensurePcscd({ friendlyName });
  // The CLI's own process (`npm run virtual-yubikey`, bundled): its READY line, SIGTERM pulling the key, the state file plugging it back.
  card = await startVirtualYubiKey({ reader: 0, profile, serial, state: stateFile, ownProcess: true });
  expect(card.reader).toBe(readerName(0, friendlyName));
  return card.reader;
}

afterEach(async () => {
  await unplug();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('a key is found by its serial under either reader name', () => {
  it.each([
    ['yk5.4.3', 'vpcd', 'usb'],
    ['yk4.3.7', 'usb', 'vpcd'],
  ] as const)('%s paired behind the %s name is checked and listed behind the %s name', async (profile, pairedUnder, checkedUnder) => {
    requirePrograms(['pcscd', 'opensc-tool', 'ykman']);
    dir = mkdtempSync(join(tmpdir(), 'wfa-reader-names-'));
    const serial = profile === 'yk4.3.7' ? 19_700_002 : 19_700_001;
    const stateFile = join(dir, 'card.json');
    const dataDir = join(dir, 'data');

    const firstReader = await plugIn(profile, serial, pairedUnder, stateFile);
    const pair = await wfa(['pair', '--default-pin', '--data-dir', dataDir, '--user', 'alice', '--json'], { input: `${NEW_PIN}\n` });
    expect(pair.code, describeFailure(pair)).toBe(0);
    expect(jsonOf(pair)).toMatchObject({ serial });
    await unplug();

    const secondReader = await plugIn(profile, serial, checkedUnder, stateFile);
    expect(secondReader).not.toBe(firstReader);
    const check = await wfa(['check', '--data-dir', dataDir, '--json'], { input: `${NEW_PIN}\n` });
    expect(check.code, describeFailure(check)).toBe(0);
    expect(jsonOf(check)).toMatchObject({ serial });
    const status = await wfa(['status', '--data-dir', dataDir, '--json']);
    expect(status.code, describeFailure(status)).toBe(0);
    expect(jsonOf(status)).toMatchObject({ keys: [expect.objectContaining({ reader: secondReader, serial })], pairing: expect.objectContaining({ serial }) });
    // ykman reads the paired key behind the new name too.
    const info = expectSuccess(await run('ykman', ['--reader', secondReader, 'piv', 'info']));
    expect(info.stdout).toMatch(/^\tSubject DN:\t.*CN=alice/m);
  });
});
