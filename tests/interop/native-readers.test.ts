// Readers and cards as users meet them, through pcscd: two keys at once told
// apart by serial, a key pulled out in the middle of an operation, and a key
// held by another program.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { messageFor } from '../../electron/ipc/error-messages.ts';
import { pcscError, SCARD } from '../../native/pcsc/pcsc-errors.ts';
import { DEFAULT_MANAGEMENT_KEY, SLOT } from '../../native/piv/constants.ts';
import { readCertificate, writeCertificate } from '../../native/piv/objects.ts';
import { authenticateManagementKey, managementKeyAlgorithm } from '../../native/yubikey/management-key.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { readerName } from '../../scripts/lib/virtual-key.ts';
import { describeFailure } from '../../scripts/lib/exec.ts';
import { certificateOfSize, hexOf, jsonOf, nativeFailure, onKey, useCards, wfa, within } from './native-support.ts';

const READER_0 = readerName(0);
const READER_1 = readerName(1);

describe('native readers and cards through pcscd', () => {
  const cards = useCards();

  it('two keys at once (readers 0 and 1) are told apart by serial; without --reader, key info asks to choose', async () => {
    await Promise.all([cards.start({ reader: 0, profile: 'yk5.4.3', serial: 19_200_001 }), cards.start({ reader: 1, profile: 'yk4.3.7', serial: 19_200_002 })]);
    const list = await wfa(['key', 'list', '--json']);
    expect(list.code, describeFailure(list)).toBe(0);
    const { keys } = jsonOf(list) as { keys: { reader: string; serial: number; firmware: string }[] };
    expect(keys.map(({ reader, serial, firmware }) => ({ reader, serial, firmware }))).toEqual([
      { reader: READER_0, serial: 19_200_001, firmware: '5.4.3' },
      { reader: READER_1, serial: 19_200_002, firmware: '4.3.7' },
    ]);

    const ambiguous = await wfa(['key', 'info', '--json']);
    expect(ambiguous.code, describeFailure(ambiguous)).toBe(3);
    const { error } = jsonOf(ambiguous) as { error: { code: string; message: string } };
    expect(error.code).toBe('MULTIPLE_KEYS');
    expect(error.message).toContain(`19200001 in "${READER_0}", 19200002 in "${READER_1}"`);
    expect(error.message).toContain('--reader NAME or --serial N');

    const chosen = await wfa(['key', 'info', '--reader', READER_1, '--json']);
    expect(chosen.code, describeFailure(chosen)).toBe(0);
    expect(jsonOf(chosen)).toMatchObject({ reader: READER_1, serial: 19_200_002, model: 'YubiKey 4' });
  });

  it('a key pulled out in the middle of writing a certificate gives CARD_REMOVED at once; plugged back in, the next operation works', async () => {
    const der = await certificateOfSize(2000);
    // APDUs: SELECT, GET VERSION, GET METADATA 9B, two of authentication, then the certificate in one extended PUT DATA: the 6th.
    const card = await cards.start({ reader: 0, profile: 'yk5.4.3', serial: 19_200_003, state: 'card.json', faultAfter: 6 });
    const started = Date.now();
    const removed = await within(
      10_000,
      'the interrupted write',
      nativeFailure(
        onKey(async (s) => {
          await authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
          await writeCertificate(s, SLOT.AUTHENTICATION, der);
        }),
      ),
    );
    expect(removed.code, removed.message).toBe('CARD_REMOVED');
    expect(Date.now() - started).toBeLessThan(5_000);
    // Out once pcscd has seen it go: plugged back in sooner, the key would take its own place unpowered.
    await card.exited;
    expect(card.stderr()).toContain('card pulled out at APDU #6');

    // Plugged back in: the same key (same state file), nothing half-written, and writing works.
    await cards.start({ reader: 0, profile: 'yk5.4.3', serial: 19_200_003, state: 'card.json' });
    const back = await onKey(async (s) => {
      const before = await readCertificate(s, SLOT.AUTHENTICATION);
      await authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
      await writeCertificate(s, SLOT.AUTHENTICATION, der);
      return { serial: await s.serial(), before, after: await readCertificate(s, SLOT.AUTHENTICATION) };
    });
    expect(back.serial).toBe(19_200_003);
    expect(back.before).toBeNull();
    expect(hexOf(back.after!)).toBe(hexOf(der));
  });

  it('a key held exclusively by another program gives READER_IN_USE promptly, and works once it lets go', async () => {
    await cards.start({ reader: 0, profile: 'yk5.4.3', serial: 19_200_004 });
    const holder = spawn(process.execPath, ['--import', 'tsx', 'tests/interop/native-hold-reader.ts', READER_0], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      holder.stdout.setEncoding('utf8');
      await within(
        20_000,
        'the other program taking the reader',
        new Promise<void>((resolve, reject) => {
          holder.stdout.on('data', (chunk: string) => {
            output += chunk;
            if (output.includes('HELD\n')) resolve();
          });
          holder.once('exit', (code) => reject(new Error(`the holder exited (${code}) before holding the reader`)));
        }),
      );

      const started = Date.now();
      const inUse = await within(10_000, 'connecting to a held reader', nativeFailure(onKey((s) => s.serial(), READER_0)));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(inUse.code).toBe('READER_IN_USE');
      expect(inUse.facts).toEqual(pcscError({ code: SCARD.E_SHARING_VIOLATION }, 'connect', READER_0).facts);
      expect(messageFor(inUse.code, inUse.facts)).toContain('gpgconf --kill scdaemon');

      // The CLI says the same, with exit status 3.
      const cli = await wfa(['key', 'info', '--json']);
      expect(cli.code, describeFailure(cli)).toBe(3);
      expect(jsonOf(cli)).toMatchObject({ error: { code: 'READER_IN_USE', message: expect.stringContaining('gpgconf --kill scdaemon') } });
    } finally {
      holder.stdin.end();
      if (holder.exitCode === null) await once(holder, 'exit');
    }
    expect(await onKey((s) => s.serial(), READER_0)).toBe(19_200_004);
  });
});
