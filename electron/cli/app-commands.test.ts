import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualTransport } from '../../native/virtual-yubikey/virtual-transport.ts';
import { createVirtualYubiKey } from '../../native/virtual-yubikey/index.ts';
import { wfa } from './cli-test-support.ts';

async function setup() {
  const t = new VirtualTransport();
  t.insert('Virtual PCD 00 00', createVirtualYubiKey({ profile: 'yk5.4.3', serial: 22000001 }));
  const dir = await mkdtemp(join(tmpdir(), 'wfa-cli-'));
  const base = ['--data-dir', dir];
  return { t, dir, run: (args: string[], stdin = '') => wfa(t, [...args, ...base, ...(args[0] === 'pair' ? ['--user', 'bob'] : [])], stdin) };
}

describe('wfa app commands', { timeout: 60_000 }, () => {
  it('pair --default-pin, then status, check, change-pin, deregister', async () => {
    const { run } = await setup();
    const paired = await run(['pair', '--default-pin', '--json'], '583920\n');
    expect(paired.code).toBe(0);
    expect(JSON.parse(paired.stdout)).toMatchObject({ serial: 22000001, certificate: { subject: 'CN=bob' }, pending: null });
    expect(paired.stderr).toMatch(/\[7\/7\] saving/);

    const status = JSON.parse((await run(['status', '--json'])).stdout) as Record<string, unknown>;
    expect(status).toMatchObject({
      keys: [{ reader: 'Virtual PCD 00 00', serial: 22000001, managementKey: 'protected', pinRetries: 3, slots: { '9a': { subject: 'CN=bob' } } }],
      pairing: { serial: 22000001, certificate: { subject: 'CN=bob' }, pending: null },
      reminder: { stage: 'none', snoozedUntil: null, canSnooze: false },
    });
    expect((status.reminder as { daysLeft: number }).daysLeft).toBeGreaterThan(360);

    expect((await run(['check'], '583920\n')).code).toBe(0);
    const wrong = await run(['check', '--json'], '000000\n');
    expect(wrong.code).toBe(3);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ error: { code: 'PIN_INCORRECT', retries: 2 } });
    expect((await run(['change-pin'], '583920\n40917263\n')).code).toBe(0);
    const weak = await run(['change-pin', '--json'], '40917263\n111111\n');
    expect(JSON.parse(weak.stdout)).toMatchObject({
      error: { code: 'PIN_TOO_WEAK', message: 'Try a stronger combination: the PIN must not be one character repeated.', rule: 'varied' },
    });

    expect((await run(['deregister'])).code).toBe(2);
    const removed = await run(['deregister', '--yes', '--json']);
    expect(JSON.parse(removed.stdout)).toEqual({ revoked: true, warnings: [] });
    expect(JSON.parse((await run(['status', '--json'])).stdout)).toMatchObject({ pairing: null, reminder: null });
  });

  it("a weak new PIN is refused with the users' words and no PIN try spent", async () => {
    const { run } = await setup();
    const r = await run(['pair', '--json'], '123456\n111111\n');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        code: 'PIN_TOO_WEAK',
        message: 'Try a stronger combination: the PIN must not be one character repeated.',
        field: 'newPin',
        rule: 'varied',
        facts: { rule: 'varied', length: 6, digitsOnly: false },
      },
    });
    const status = JSON.parse((await run(['status', '--json'])).stdout) as { keys: { pinRetries: number }[] };
    expect(status.keys[0]?.pinRetries).toBe(3);
  });
});
