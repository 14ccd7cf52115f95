// Issue 11 through pcscd: `wfa renew` puts a certificate with a new serial and
// a later expiry in slot 9a, read back by ykman; the key pulled at each APDU
// of a renewal (the virtual key's fault-after, as `--fault-after k`), or the certificate
// service out of reach, leaves the old certificate in 9a and `wfa check`
// passing.
import { cp, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOT } from '../../native/piv/constants.ts';
import { readCertificate } from '../../native/piv/objects.ts';
import { startVirtualYubiKey } from '../../scripts/lib/virtual-key.ts';
import * as x509 from '../../native/x509.ts';
import { wfa as wfaInProcess } from '../../electron/cli/cli-test-support.ts';
import { freePort, type RunningScepServer, startScepServer } from '../../electron/services/enrollment/scep/scepserver-test-support.ts';
import { describeFailure } from '../../scripts/lib/exec.ts';
import { expectSuccess, READER, READER_INDEX, useVirtualYubiKey, ykman } from './harness.ts';
import { jsonOf, onKey, pcsc, wfa } from './native-support.ts';

const PIN = '48273916';

/** The certificate in 9a as ykman exports it. */
async function exported9a(): Promise<x509.X509Certificate> {
  return new x509.X509Certificate(expectSuccess(await ykman(['piv', 'certificates', 'export', '9a', '-'])).stdout);
}

const parsed = (r: { stdout: string }): unknown => JSON.parse(r.stdout) as unknown;

/** The serial of the certificate in 9a, read through our own PC/SC stack. */
async function serialIn9a(): Promise<string | null> {
  const der = await onKey((s) => readCertificate(s, SLOT.AUTHENTICATION));
  return der === null ? null : new x509.X509Certificate(der).serialNumber.toLowerCase();
}

describe('wfa renew through pcscd', { timeout: 600_000 }, () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_800_001);

  it('renews: ykman reads back a certificate with a new serial and a later expiry in 9a; wfa check passes with it', async () => {
    const dataDir = key.file('data');
    // Paired with 5-day certificates (the urgent stage); the policy now issues 20-day ones.
    await writeFile(key.file('short.json'), JSON.stringify({ certificate: { validityDays: 5 } }));
    await writeFile(key.file('policy.json'), JSON.stringify({ certificate: { validityDays: 20 } }));
    const pair = await wfa(['pair', '--default-pin', '--data-dir', dataDir, '--config', key.file('short.json'), '--user', 'alice', '--json'], { input: `${PIN}\n` });
    expect(pair.code, describeFailure(pair)).toBe(0);
    const before = await exported9a();
    expect(jsonOf(await wfa(['status', '--data-dir', dataDir, '--config', key.file('policy.json'), '--json']))).toMatchObject({ reminder: { stage: 'urgent', canSnooze: true } });

    const renew = await wfa(['renew', '--data-dir', dataDir, '--config', key.file('policy.json'), '--reader', READER, '--user', 'alice', '--json'], { input: `${PIN}\n` });
    expect(renew.code, describeFailure(renew)).toBe(0);
    expect(renew.stdout + renew.stderr).not.toContain(PIN);
    const after = await exported9a();
    expect(after.serialNumber).not.toBe(before.serialNumber);
    expect(after.notAfter.getTime()).toBeGreaterThan(before.notAfter.getTime());
    expect(after.subject).toBe(before.subject);
    expect(jsonOf(renew)).toMatchObject({ serial: key.serial, previousSerial: before.serialNumber.toLowerCase(), certificate: { serial: after.serialNumber.toLowerCase() } });
    expect(jsonOf(await wfa(['status', '--data-dir', dataDir, '--config', key.file('policy.json'), '--json']))).toMatchObject({
      pairing: { certificate: { serial: after.serialNumber.toLowerCase() } },
      reminder: { stage: 'notice', daysLeft: 20, snoozedUntil: null },
    });
    const check = await wfa(['check', '--data-dir', dataDir, '--config', key.file('policy.json'), '--json'], { input: `${PIN}\n` });
    expect(check.code, describeFailure(check)).toBe(0);
    expect(jsonOf(check)).toMatchObject({ certificate: { serial: after.serialNumber.toLowerCase() }, revocationChecked: true });
  });

  it('the key pulled at each APDU of a renewal: the old certificate stays in 9a (or, once written, the new one) and wfa check passes', async () => {
    const dataDir = key.file('data');
    // --user only where a certificate is requested (pair, renew): every command takes only its own flags.
    const base = ['--data-dir', dataDir];
    const forUser = new Set(['pair', 'renew']);
    const cli = (args: string[], stdin = '') => wfaInProcess(pcsc(), [...args, ...base, ...(forUser.has(args[0] ?? '') ? ['--user', 'alice'] : [])], stdin);
    const paired = await cli(['pair', '--default-pin', '--json'], `${PIN}\n`);
    expect(paired.code, paired.stdout + paired.stderr).toBe(0);
    const oldSerial = (await serialIn9a())!;
    // The paired key and record, restored before every attempt: each attempt plugs in a copy of the
    // paired key that vanishes at APDU k (--fault-after k), then the same key again (its state file).
    await key.card.stop();
    await cp(dataDir, key.file('paired-data'), { recursive: true });
    const attemptCard = key.file('attempt-card.json');
    const plugIn = (faultAfter?: number) =>
      startVirtualYubiKey({ reader: READER_INDEX, profile: key.profile, serial: key.serial, state: attemptCard, ...(faultAfter === undefined ? {} : { faultAfter }) });

    const outcomes: string[] = [];
    let renewalBegan = false;
    for (let k = 1; k < 300; k++) {
      await cp(key.file('card-state.json'), attemptCard);
      await rm(dataDir, { recursive: true, force: true });
      await cp(key.file('paired-data'), dataDir, { recursive: true });
      const faulty = await plugIn(k);
      const renew = await cli(['renew', '--json'], `${PIN}\n`).finally(() => faulty.stop());
      const pulled = faulty.stderr().includes(`card pulled out at APDU #${k}`);
      const plugged = await plugIn();
      try {
        if (renew.code === 0) {
          // Pulled at an APDU after the renewal's own (wfa renew reading the key once more for its answer): done.
          outcomes.push(pulled ? 'renewed (pulled after)' : 'renewed');
          expect((await exported9a()).serialNumber.toLowerCase()).toBe((parsed(renew) as { certificate: { serial: string } }).certificate.serial);
          break;
        }
        expect(pulled, `pulled at APDU ${k}: the renewal failed without the fault: ${renew.stdout}`).toBe(true);
        const error = (parsed(renew) as { error: { code: string; message: string } }).error;
        // Pulled while `wfa renew` chooses the key, before the renewal begins: the key is simply not plugged in
        // (NO_KEY), and only then. Every failure once the renewal has begun says the user can still sign in.
        if (error.code === 'NO_KEY') expect(renewalBegan, `pulled at APDU ${k}: ${error.message}`).toBe(false);
        else {
          renewalBegan = true;
          expect(error.message, `pulled at APDU ${k}`).toMatch(/can still sign in/);
        }
        const inSlot = await serialIn9a();
        const writing = error.message.includes('may not have been written');
        outcomes.push(`${error.code}${writing ? (inSlot === oldSerial ? ' (writing, old kept)' : ' (writing, new written)') : ''}`);
        if (!writing) expect(inSlot, `pulled at APDU ${k}: ${error.code}`).toBe(oldSerial);
        const check = await cli(['check', '--json'], `${PIN}\n`);
        expect(check.code, `pulled at APDU ${k}: ${check.stdout}`).toBe(0);
        expect(parsed(check)).toMatchObject({ certificate: { serial: inSlot } });
      } finally {
        await plugged.stop();
      }
    }
    console.log(`renewal through pcscd: the key pulled at each of ${outcomes.length - 1} APDUs, then renewed (${[...new Set(outcomes)].join(', ')})`);
    expect(outcomes.at(-1)).toMatch(/^renewed/);
    expect(outcomes.length).toBeGreaterThan(10);

    // The same with the virtual key's --fault-after, at the last APDU the renewal sends (reading the
    // new certificate back): the key then holds the new certificate while the record still names the
    // old one; wfa check passes, and the next `wfa renew` finishes the job.
    const last = outcomes.length - 1;
    await rm(dataDir, { recursive: true, force: true });
    await cp(key.file('paired-data'), dataDir, { recursive: true });
    const faulty = await startVirtualYubiKey({ reader: READER_INDEX, profile: key.profile, serial: key.serial, state: key.file('card-state.json'), faultAfter: last });
    const renew = await cli(['renew', '--json'], `${PIN}\n`);
    // Out once pcscd has seen it go: plugged back in sooner, the key would take its own place unpowered.
    await faulty.exited;
    expect(parsed(renew)).toMatchObject({ error: { code: 'CARD_REMOVED', message: expect.stringContaining('may not have been written') as unknown } });
    const plugged = await startVirtualYubiKey({ reader: READER_INDEX, profile: key.profile, serial: key.serial, state: key.file('card-state.json') });
    try {
      const inSlot = (await exported9a()).serialNumber.toLowerCase();
      expect(inSlot).not.toBe(oldSerial);
      expect(parsed(await cli(['check', '--json'], `${PIN}\n`))).toMatchObject({ certificate: { serial: inSlot } });
      const again = await cli(['renew', '--json'], `${PIN}\n`);
      expect(again.code, again.stdout).toBe(0);
      expect(parsed(again)).toMatchObject({ previousSerial: inSlot });
      expect((await exported9a()).serialNumber.toLowerCase()).toBe((parsed(again) as { certificate: { serial: string } }).certificate.serial);
    } finally {
      await plugged.stop();
    }
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
    const pair = await wfa(['pair', '--default-pin', '--data-dir', dataDir, '--config', key.file('live.json'), '--user', 'erin', '--json'], { input: `${PIN}\n` });
    expect(pair.code, describeFailure(pair)).toBe(0);
    const before = await exported9a();
    const statusBefore = jsonOf(await wfa(['status', '--data-dir', dataDir, '--config', key.file('down.json'), '--json'])) as { reminder: unknown };

    const renew = await wfa(['renew', '--data-dir', dataDir, '--config', key.file('down.json'), '--user', 'erin', '--json'], { input: `${PIN}\n` });
    expect(renew.code).toBe(3);
    expect(jsonOf(renew)).toMatchObject({ error: { code: 'ENROLLMENT_UNREACHABLE', message: expect.stringMatching(/VPN.*can still sign in/) as unknown } });

    expect((await exported9a()).serialNumber).toBe(before.serialNumber);
    const statusAfter = jsonOf(await wfa(['status', '--data-dir', dataDir, '--config', key.file('down.json'), '--json'])) as { reminder: unknown; keys: { pinRetries: number }[] };
    expect(statusAfter.reminder).toEqual(statusBefore.reminder);
    expect(statusAfter.keys[0]?.pinRetries).toBe(3);
    const check = await wfa(['check', '--data-dir', dataDir, '--config', key.file('live.json'), '--json'], { input: `${PIN}\n` });
    expect(check.code, describeFailure(check)).toBe(0);
    expect(jsonOf(check)).toMatchObject({ certificate: { serial: before.serialNumber.toLowerCase() } });
  });
});
