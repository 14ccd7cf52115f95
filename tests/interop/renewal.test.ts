// `wfa renew` through pcscd puts a certificate with a new serial and a later
// expiry in slot 9a, read back by ykman; the certificate service out of reach
// leaves the old certificate in 9a and `wfa check` passing. The key pulled at
// each APDU of a renewal: renewal-pulled-odd/even.test.ts.
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningScepServer, startScepServer } from '../../electron/services/enrollment/scep/scepserver-test-support.ts';
import { describeFailure } from '../../scripts/lib/exec.ts';
import { READER, useVirtualYubiKey } from './harness.ts';
import { jsonOf, wfa } from './native-support.ts';
import { exported9a } from './renewal-sweep.ts';

const PIN = '48273916';

describe('wfa renew through pcscd', { timeout: 600_000 }, () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_800_001);

  it('renews: ykman reads back a certificate with a new serial and a later expiry in 9a; wfa check passes with it', async () => {
    const dataDir = key.file('data');
    // Paired with 5-day certificates (the urgent stage); the policy now issues 20-day ones.
    await writeFile(key.file('short.json'), JSON.stringify({ certificate: { validityDays: 5 } }));
    await writeFile(key.file('policy.json'), JSON.stringify({ certificate: { validityDays: 20 } }));
    const pair = await wfa(['pair', '--default-pin', '--data-dir', dataDir, '--config', key.file('short.json'), '--user', 'alice', '--json'], {
      input: `${PIN}\n`,
    });
    expect(pair.code, describeFailure(pair)).toBe(0);
    const before = await exported9a();
    expect(jsonOf(await wfa(['status', '--data-dir', dataDir, '--config', key.file('policy.json'), '--json']))).toMatchObject({
      reminder: { stage: 'urgent', canSnooze: true },
    });

    const renew = await wfa(['renew', '--data-dir', dataDir, '--config', key.file('policy.json'), '--reader', READER, '--user', 'alice', '--json'], {
      input: `${PIN}\n`,
    });
    expect(renew.code, describeFailure(renew)).toBe(0);
    expect(renew.stdout + renew.stderr).not.toContain(PIN);
    const after = await exported9a();
    expect(after.serialNumber).not.toBe(before.serialNumber);
    expect(after.notAfter.getTime()).toBeGreaterThan(before.notAfter.getTime());
    expect(after.subject).toBe(before.subject);
    expect(jsonOf(renew)).toMatchObject({
      serial: key.serial,
      previousSerial: before.serialNumber.toLowerCase(),
      certificate: { serial: after.serialNumber.toLowerCase() },
    });
    expect(jsonOf(await wfa(['status', '--data-dir', dataDir, '--config', key.file('policy.json'), '--json']))).toMatchObject({
      pairing: { certificate: { serial: after.serialNumber.toLowerCase() } },
      reminder: { stage: 'notice', daysLeft: 20, snoozedUntil: null },
    });
    const check = await wfa(['check', '--data-dir', dataDir, '--config', key.file('policy.json'), '--json'], { input: `${PIN}\n` });
    expect(check.code, describeFailure(check)).toBe(0);
    expect(jsonOf(check)).toMatchObject({ certificate: { serial: after.serialNumber.toLowerCase() }, revocationChecked: true });
  });
});

describe('wfa renew through pcscd with the certificate service out of reach', { timeout: 300_000 }, () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_800_002);
  let server: RunningScepServer | undefined;
  beforeAll(async () => {
    server = await startScepServer({ challenge: 'renew-secret' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('ENROLLMENT_UNREACHABLE with the VPN sentence; the old certificate stays in 9a, the reminder stays, wfa check passes', async () => {
    const scep = server!;
    const policy = (url: string): string =>
      JSON.stringify({
        enrollment: { backend: 'scep', scepUrl: url, allowHttp: true, challenge: 'renew-secret', caPin: scep.caPin, timeoutSeconds: 5 },
        certificate: { requiredEku: ['clientAuth'], requireUpn: false },
        key: { algorithm: 'RSA2048' },
      });
    await writeFile(key.file('live.json'), policy(scep.url));
    // The same CA, out of reach: nothing listens on its address.
    await writeFile(key.file('down.json'), policy(`http://127.0.0.1:${await freePort()}/scep`));
    const dataDir = key.file('data');
    const pair = await wfa(['pair', '--default-pin', '--data-dir', dataDir, '--config', key.file('live.json'), '--user', 'erin', '--json'], {
      input: `${PIN}\n`,
    });
    expect(pair.code, describeFailure(pair)).toBe(0);
    const before = await exported9a();
    const statusBefore = jsonOf(await wfa(['status', '--data-dir', dataDir, '--config', key.file('down.json'), '--json'])) as { reminder: unknown };

    const renew = await wfa(['renew', '--data-dir', dataDir, '--config', key.file('down.json'), '--user', 'erin', '--json'], { input: `${PIN}\n` });
    expect(renew.code).toBe(3);
    expect(jsonOf(renew)).toMatchObject({ error: { code: 'ENROLLMENT_UNREACHABLE', message: expect.stringMatching(/VPN.*can still sign in/) as unknown } });

    expect((await exported9a()).serialNumber).toBe(before.serialNumber);
    const statusAfter = jsonOf(await wfa(['status', '--data-dir', dataDir, '--config', key.file('down.json'), '--json'])) as {
      reminder: unknown;
      keys: { pinRetries: number }[];
    };
    expect(statusAfter.reminder).toEqual(statusBefore.reminder);
    expect(statusAfter.keys[0]?.pinRetries).toBe(3);
    const check = await wfa(['check', '--data-dir', dataDir, '--config', key.file('live.json'), '--json'], { input: `${PIN}\n` });
    expect(check.code, describeFailure(check)).toBe(0);
    expect(jsonOf(check)).toMatchObject({ certificate: { serial: before.serialNumber.toLowerCase() } });
  });
});
