import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualTransport } from '../../native/virtual-yubikey/virtual-transport.ts';
import { createVirtualYubiKey } from '../../native/virtual-yubikey/index.ts';
import { wfa } from './cli-test-support.ts';

function oneKey(serial = 31234567): VirtualTransport {
  const t = new VirtualTransport();
  t.insert('Virtual PCD 00 00', createVirtualYubiKey({ profile: 'yk5.4.3', serial }));
  t.insert('Virtual PCD 00 01', null);
  return t;
}

describe('wfa key', () => {
  it('info --json gives the documented fields', async () => {
    const r = await wfa(oneKey(), ['key', 'info', '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(info).toMatchObject({
      reader: 'Virtual PCD 00 00',
      serial: 31234567,
      firmware: '5.4.3',
      pinRetries: 3,
      pukRetries: 3,
      managementKey: 'default',
      slots: {},
    });
    expect(info.model).toBe('YubiKey 5 NFC');
  });

  it('list --json prints one object whose keys are told apart by serial', async () => {
    const t = oneKey(31234567);
    t.insert('Virtual PCD 00 01', createVirtualYubiKey({ profile: 'yk4.3.7', serial: 7654321 }));
    const r = await wfa(t, ['key', 'list', '--json']);
    expect(r.code).toBe(0);
    const { keys } = JSON.parse(r.stdout) as { keys: { serial: number; reader: string; firmware: string }[] };
    expect(keys.map((k) => [k.reader, k.serial, k.firmware])).toEqual([
      ['Virtual PCD 00 00', 31234567, '5.4.3'],
      ['Virtual PCD 00 01', 7654321, '4.3.7'],
    ]);
  });

  it('with two keys and no --reader, asks which one (exit 3, naming both readers)', async () => {
    const t = oneKey();
    t.insert('Virtual PCD 00 01', createVirtualYubiKey({ profile: 'yk5.7.1' }));
    const r = await wfa(t, ['key', 'info']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/MULTIPLE_KEYS.*"Virtual PCD 00 00".*"Virtual PCD 00 01"/);
  });

  it('no key plugged in is a user-facing error', async () => {
    const t = new VirtualTransport();
    t.insert('Virtual PCD 00 00', null);
    const r = await wfa(t, ['key', 'info', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'NO_KEY', message: expect.stringMatching(/isn't plugged in/) as unknown } });
  });

  it('verify-pin reads the PIN from stdin and reports tries left when wrong', async () => {
    const t = oneKey();
    const wrong = await wfa(t, ['key', 'verify-pin', '--json'], '000000\n');
    expect(wrong.code).toBe(3);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ error: { code: 'PIN_INCORRECT', retries: 2 } });
    expect((await wfa(t, ['key', 'verify-pin'], '123456\n')).code).toBe(0);
  });

  it('change-pin, then the old PIN fails and the new one works', async () => {
    const t = oneKey();
    expect((await wfa(t, ['key', 'change-pin'], '123456\n24681357\n')).code).toBe(0);
    expect((await wfa(t, ['key', 'verify-pin'], '24681357\n')).code).toBe(0);
    expect((await wfa(t, ['key', 'verify-pin', '--json'], '123456\n')).code).toBe(3);
  });

  it('a too-short PIN is refused before the key is touched (no try spent)', async () => {
    const t = oneKey();
    const r = await wfa(t, ['key', 'change-pin', '--json'], '123456\n123\n');
    expect(JSON.parse(r.stdout)).toMatchObject({
      error: { code: 'PIN_FORMAT', message: expect.stringMatching(/New PIN: The PIN must be 6 to 8 characters long \(this one has 3\)/) as unknown },
    });
    const info = JSON.parse((await wfa(t, ['key', 'info', '--json'])).stdout) as { pinRetries: number };
    expect(info.pinRetries).toBe(3);
  });

  it("change-pin applies the app's PIN rules before the card: weak, default or unchanged PINs cost no try", async () => {
    const t = oneKey();
    for (const [input, code, rule] of [
      ['123456\n123123\n', 'PIN_TOO_WEAK', 'notCommon'],
      ['123456\n654321\n', 'PIN_TOO_WEAK', 'notSequence'],
      ['123456\n777777\n', 'PIN_TOO_WEAK', 'varied'],
      ['123456\n123456\n', 'PIN_SAME_AS_CURRENT', 'differentFromCurrent'],
    ] as const) {
      const r = await wfa(t, ['key', 'change-pin', '--json'], input);
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code, rule } });
    }
    const info = JSON.parse((await wfa(t, ['key', 'info', '--json'])).stdout) as { pinRetries: number };
    expect(info.pinRetries).toBe(3);
    expect((await wfa(t, ['key', 'verify-pin'], '123456\n')).code).toBe(0);
  });

  it("unblock-pin applies the PIN rules to the new PIN before the PUK is tried, and the policy's digitsOnly", async () => {
    const t = oneKey();
    const weak = await wfa(t, ['key', 'unblock-pin', '--json'], '12345678\n11223344\n');
    expect(JSON.parse(weak.stdout)).toMatchObject({ error: { code: 'PIN_TOO_WEAK', rule: 'notCommon' } });
    const dir = await mkdtemp(join(tmpdir(), 'wfa-key-rules-'));
    const policy = join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ pin: { digitsOnly: true } }));
    const letters = await wfa(t, ['key', 'unblock-pin', '--json', '--config', policy], '12345678\nk7Rw2pQx\n');
    expect(JSON.parse(letters.stdout)).toMatchObject({ error: { code: 'PIN_TOO_WEAK', rule: 'digits' } });
    // Neither spent a PUK try: the PUK still unblocks with a PIN that passes.
    const info = JSON.parse((await wfa(t, ['key', 'info', '--json'])).stdout) as { pukRetries: number };
    expect(info.pukRetries).toBe(3);
    expect((await wfa(t, ['key', 'unblock-pin', '--config', policy], '12345678\n58203917\n')).code).toBe(0);
  });

  it('change-puk and unblock-pin', async () => {
    const t = oneKey();
    expect((await wfa(t, ['key', 'change-puk'], '12345678\n87654321\n')).code).toBe(0);
    for (let i = 0; i < 2; i++) await wfa(t, ['key', 'verify-pin'], '999999\n');
    // The last try is not spent without --yes: a wrong one would block the key.
    const last = await wfa(t, ['key', 'verify-pin', '--json'], '999999\n');
    expect(JSON.parse(last.stdout)).toMatchObject({ error: { code: 'LAST_PIN_TRY', retries: 1 } });
    await wfa(t, ['key', 'verify-pin', '--yes'], '999999\n');
    const blocked = await wfa(t, ['key', 'verify-pin', '--json'], '123456\n');
    expect(JSON.parse(blocked.stdout)).toMatchObject({ error: { code: 'PIN_BLOCKED' } });
    expect((await wfa(t, ['key', 'unblock-pin'], '87654321\n58203917\n')).code).toBe(0);
    expect((await wfa(t, ['key', 'verify-pin'], '58203917\n')).code).toBe(0);
  });

  it('reset needs --yes (usage error, exit 2) and then restores factory state', async () => {
    const t = oneKey();
    await wfa(t, ['key', 'change-pin'], '123456\n24681357\n');
    expect((await wfa(t, ['key', 'reset'])).code).toBe(2);
    expect((await wfa(t, ['key', 'verify-pin'], '24681357\n')).code).toBe(0);
    expect((await wfa(t, ['key', 'reset', '--yes'])).code).toBe(0);
    expect((await wfa(t, ['key', 'verify-pin'], '123456\n')).code).toBe(0);
  });

  it('missing stdin and unknown options are usage errors (exit 2)', async () => {
    const t = oneKey();
    expect((await wfa(t, ['key', 'verify-pin'], '')).code).toBe(2);
    expect((await wfa(t, ['key', 'info', '--bogus'])).code).toBe(2);
    expect((await wfa(t, ['key', 'frobnicate'])).code).toBe(2);
  });
});
