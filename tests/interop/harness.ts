// Interop test harness: a fresh virtual YubiKey behind pcscd for every test,
// and Yubico's and OpenSC's tools run against it with argument arrays.
// Missing programs fail the tests loudly: a skipped test would pass for a missing tool.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, onTestFailed } from 'vitest';
import { describeFailure, run, type RunOptions, type RunResult } from '../../scripts/lib/exec.ts';
import { ensurePcscd, type PcscdHandle } from '../../scripts/lib/pcscd.ts';
import { OPENSC_PKCS11_MODULE, requirePrograms } from '../../scripts/lib/programs.ts';
import { runYkman } from '../../scripts/lib/ykman-server.ts';
import { readerName, startVirtualYubiKey, usbReaderFriendlyName, type RunningVirtualYubiKey } from '../../scripts/lib/virtual-key.ts';
import { VPCD_FRIENDLY_NAME } from '../../native/virtual-yubikey/reader-conf.ts';

/** The firmware the interop tests cover: 5.4.3 (3DES management key), 5.7.1 (AES-192 by default), 4.3.7 (a YubiKey 4). */
export const INTEROP_PROFILES = ['yk5.4.3', 'yk5.7.1', 'yk4.3.7'] as const;
export type InteropProfile = (typeof INTEROP_PROFILES)[number];

/** Reader 0 ("Virtual PCD 00 00", TCP 35963): the one the issue's commands name. */
export const READER_INDEX = 0;
export const READER = readerName(READER_INDEX);

/**
 * How pcscd names the reader: vpcd's own "Virtual PCD 00 00",
 * or the USB name of a real YubiKey of the profile's firmware, from which
 * Yubico's tools tell USB from NFC. The USB name needs the rig's own pcscd.
 */
export const READER_NAMINGS = ['vpcd', 'usb'] as const;
export type ReaderNaming = (typeof READER_NAMINGS)[number];

/** The FRIENDLYNAME pcscd's configuration gives vpcd for `naming` and a key of `profile`. */
export function friendlyNameFor(naming: ReaderNaming, profile: string): string {
  return naming === 'vpcd' ? VPCD_FRIENDLY_NAME : usbReaderFriendlyName(FIRMWARE[profile as InteropProfile] ?? profile.replace(/^yk/, ''));
}

/** Every profile under every reader naming, for describe.each. */
export const PROFILES_AND_NAMINGS: readonly (readonly [InteropProfile, ReaderNaming])[] = INTEROP_PROFILES.flatMap((p) =>
  READER_NAMINGS.map((n) => [p, n] as const),
);

/** The reader of the current test's card, as its READY line named it (ykman() and pivTool() use it). */
let currentReader = READER;

/** Factory PIN, PUK and management key (yubikit piv.py DEFAULT_MANAGEMENT_KEY; AES-192 on 5.7 with the same bytes). */
export const DEFAULT_PIN = '123456';
export const DEFAULT_PUK = '12345678';
export const DEFAULT_MANAGEMENT_KEY = '010203040506070801020304050607080102030405060708';

/** Firmware a profile reports (profiles.ts). */
export const FIRMWARE: Readonly<Record<InteropProfile, string>> = { 'yk5.4.3': '5.4.3', 'yk5.7.1': '5.7.1', 'yk4.3.7': '4.3.7' };

/** GET METADATA exists from 5.3 (yubikit piv.py require_version(5, 3, 0)); ykman's output differs without it. */
export const hasMetadata = (profile: InteropProfile): boolean => profile !== 'yk4.3.7';

/** The card's own attestation root (PEM) in the test folder, written by --export-attestation-root. */
export const ATTESTATION_ROOT_FILE = 'attestation-root.pem';

export interface VirtualKeyFixture {
  readonly profile: InteropProfile;
  readonly serial: number;
  /** The running card of the current test. */
  readonly card: RunningVirtualYubiKey;
  /** A temporary folder of the current test, for key and certificate files. */
  readonly dir: string;
  /** The reader the card is in, as pcscd names it. */
  readonly reader: string;
  /** Path of a file in `dir`. */
  file(name: string): string;
}

/**
 * Registers hooks in the enclosing describe: pcscd for the block (stopped
 * after it if we started it), and a fresh virtual key in factory state, with
 * its own state file, for each test.
 */
export function useVirtualYubiKey(profile: InteropProfile, serial: number, naming: ReaderNaming = 'vpcd'): VirtualKeyFixture {
  const friendlyName = friendlyNameFor(naming, profile);
  const reader = readerName(READER_INDEX, friendlyName);
  let pcscd: PcscdHandle | undefined;
  let card: RunningVirtualYubiKey | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    requirePrograms(['pcscd', 'ykman', 'yubico-piv-tool', 'pkcs11-tool', 'opensc-tool', 'openssl']);
    pcscd = await ensurePcscd({ friendlyName });
  });
  afterAll(async () => {
    await pcscd?.stop();
    currentReader = READER;
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), `wfa-interop-${profile}-`));
    card = await startVirtualYubiKey({
      reader: READER_INDEX,
      profile,
      serial,
      state: join(dir, 'card-state.json'),
      exportAttestationRoot: join(dir, ATTESTATION_ROOT_FILE),
    });
    const running = card;
    // The READY line names the reader as pcscd shows it.
    expect(running.reader).toBe(reader);
    currentReader = running.reader;
    onTestFailed(() => {
      console.error(`virtual YubiKey (${profile}, ${running.label}) stderr:\n${running.stderr()}`);
    });
  });
  afterEach(async () => {
    await card?.stop();
    card = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only available inside a test`);
    return value;
  };
  return {
    profile,
    serial,
    get card() {
      return need(card, 'the card');
    },
    get dir() {
      return need(dir, 'the test folder');
    },
    reader,
    file: (name) => join(need(dir, 'the test folder'), name),
  };
}

/** ykman on the current test's reader; warm, as the installed ykman's own command (scripts/lib/ykman-server.ts). */
export const ykman = (args: readonly string[], options?: RunOptions): Promise<RunResult> => runYkman(['--reader', currentReader, ...args], options);

export const pivTool = (args: readonly string[], options?: RunOptions): Promise<RunResult> => run('yubico-piv-tool', ['-r', currentReader, ...args], options);

export const pkcs11Tool = (args: readonly string[], options?: RunOptions): Promise<RunResult> =>
  run('pkcs11-tool', ['--module', OPENSC_PKCS11_MODULE, ...args], options);

export const openssl = (args: readonly string[], options?: RunOptions): Promise<RunResult> => run('openssl', args, options);

/** Asserts exit code 0; the failure message is the whole command with its output. */
export function expectSuccess(result: RunResult): RunResult {
  expect(result.code, describeFailure(result)).toBe(0);
  return result;
}

/** Asserts a non-zero exit (a refusal, not a crash by signal). */
export function expectFailure(result: RunResult): RunResult {
  expect(result.code, `expected a failure:\n${describeFailure(result)}`).not.toBe(0);
  expect(result.code, describeFailure(result)).not.toBeNull();
  return result;
}

/** `ykman piv info`, asserted to succeed. */
export async function pivInfo(): Promise<string> {
  return expectSuccess(await ykman(['piv', 'info'])).stdout;
}

/**
 * ykman 4.0.9's PIN-tries line (ykman/piv.py get_piv_info): "remaining/total"
 * from GET METADATA on 5.3+, else the bare count from an empty VERIFY.
 */
export function pinTriesLine(profile: InteropProfile, remaining: number, total = 3): RegExp {
  return new RegExp(`^PIN tries remaining: ${hasMetadata(profile) ? `${remaining}/${total}` : remaining}$`, 'm');
}

/** Normalises PEM text for comparison (line endings, trailing space). */
export const pem = (text: string): string => text.replace(/\r\n/g, '\n').trim();
