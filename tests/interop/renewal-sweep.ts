// The key pulled at each APDU of a renewal, through pcscd: each attempt plugs
// in a copy of the paired key that vanishes at APDU k (the virtual key's
// `--fault-after k`), runs `wfa renew`, then plugs the same key in again and
// looks. The sweep takes every other APDU, so that two test files (odd and
// even) run it side by side in two rigs: one attempt waits on pcscd's card
// polling four times, and all of them in one file made the longest file of
// the interop stage.
import { cp, rm } from 'node:fs/promises';
import { expect } from 'vitest';
import { SLOT } from '../../native/piv/constants.ts';
import { readCertificate } from '../../native/piv/objects.ts';
import * as x509 from '../../native/x509.ts';
import { wfa as wfaInProcess } from '../../electron/cli/cli-test-support.ts';
import { startVirtualYubiKey } from '../../scripts/lib/virtual-key.ts';
import { expectSuccess, READER_INDEX, type VirtualKeyFixture, ykman } from './harness.ts';
import { onKey, pcsc } from './native-support.ts';

const PIN = '48273916';

const parsed = (r: { stdout: string }): unknown => JSON.parse(r.stdout) as unknown;

/** The certificate in 9a as ykman exports it. */
export async function exported9a(): Promise<x509.X509Certificate> {
  return new x509.X509Certificate(expectSuccess(await ykman(['piv', 'certificates', 'export', '9a', '-'])).stdout);
}

/** The serial of the certificate in 9a, read through our own PC/SC stack. */
async function serialIn9a(): Promise<string | null> {
  const der = await onKey((s) => readCertificate(s, SLOT.AUTHENTICATION));
  return der === null ? null : new x509.X509Certificate(der).serialNumber.toLowerCase();
}

/**
 * Pairs the fixture's key, then pulls it at APDU `first`, `first + 2`, … of
 * `wfa renew` until a renewal gets through. After each pull: NO_KEY only
 * before the renewal began, otherwise "you can still sign in"; the old
 * certificate still in 9a (or, once the write began, the old or the new one);
 * `wfa check` passes with what is there; and where the new certificate was
 * written but the record still names the old one, the next `wfa renew`
 * finishes the job. Returns the outcomes, the last one "renewed".
 */
export async function sweepRenewalPulls(key: VirtualKeyFixture, first: 1 | 2): Promise<string[]> {
  const dataDir = key.file('data');
  // --user only where a certificate is requested (pair, renew): every command takes only its own flags.
  const base = ['--data-dir', dataDir];
  const forUser = new Set(['pair', 'renew']);
  const cli = (args: string[], stdin = '') => wfaInProcess(pcsc(), [...args, ...base, ...(forUser.has(args[0] ?? '') ? ['--user', 'alice'] : [])], stdin);
  const paired = await cli(['pair', '--default-pin', '--json'], `${PIN}\n`);
  expect(paired.code, paired.stdout + paired.stderr).toBe(0);
  const oldSerial = (await serialIn9a())!;
  // The paired key and record, restored before every attempt.
  await key.card.stop();
  await cp(dataDir, key.file('paired-data'), { recursive: true });
  const attemptCard = key.file('attempt-card.json');
  const plugIn = (faultAfter?: number) =>
    startVirtualYubiKey({
      reader: READER_INDEX,
      profile: key.profile,
      serial: key.serial,
      state: attemptCard,
      ...(faultAfter === undefined ? {} : { faultAfter }),
    });

  const outcomes: string[] = [];
  let renewalBegan = false;
  for (let k = first; k < 300; k += 2) {
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
      const newWritten = writing && inSlot !== oldSerial;
      outcomes.push(`${error.code}${writing ? (newWritten ? ' (writing, new written)' : ' (writing, old kept)') : ''}`);
      if (!writing) expect(inSlot, `pulled at APDU ${k}: ${error.code}`).toBe(oldSerial);
      const check = await cli(['check', '--json'], `${PIN}\n`);
      expect(check.code, `pulled at APDU ${k}: ${check.stdout}`).toBe(0);
      expect(parsed(check)).toMatchObject({ certificate: { serial: inSlot } });
      if (newWritten) {
        // The key holds the new certificate while the record still names the old one: the next renewal finishes the job.
        const again = await cli(['renew', '--json'], `${PIN}\n`);
        expect(again.code, `pulled at APDU ${k}, renewed again: ${again.stdout}`).toBe(0);
        expect(parsed(again)).toMatchObject({ previousSerial: inSlot });
        expect((await exported9a()).serialNumber.toLowerCase()).toBe((parsed(again) as { certificate: { serial: string } }).certificate.serial);
      }
    } finally {
      await plugged.stop();
    }
  }
  expect(outcomes.at(-1)).toMatch(/^renewed/);
  expect(outcomes.length).toBeGreaterThan(5);
  return outcomes;
}
