// The app tells the truth about the key, in-process (virtual key, no pcscd): checks before the key changes,
// the outcome is the card's (a log or store failing after the change is a
// warning beside the success), typed environment errors, problems that stay
// until acted upon, stale pairings found from the key.
import { mkdirSync, rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VirtualTransport } from '../../native/virtual-yubikey/virtual-transport.ts';
import { SLOT } from '../../native/piv/constants.ts';
import { readCertificate } from '../../native/piv/objects.ts';
import { resetPiv } from '../../native/piv/reset.ts';
import { PivSession } from '../../native/piv/session.ts';
import { secretFromText } from '../../native/piv/secrets.ts';
import { type VirtualCard, withTransmit } from '../../native/virtual-yubikey/card-interface.ts';
import { createVirtualYubiKey } from '../../native/virtual-yubikey/index.ts';
import { managementKeyState } from '../../native/yubikey/pivman.ts';
import type { PairingStepName } from '../ipc/contract.ts';
import { PAIRING_STEPS } from '../ipc/contract-names.ts';
import { appFixture, READER_0 } from '../app/test-support/app-fixture.ts';

const PAIR = { serial: 21000001, temporaryPin: '123456', newPin: '583920', confirmation: '583920' };

async function onCard<T>(transport: VirtualTransport, fn: (s: PivSession) => Promise<T>): Promise<T> {
  const c = await transport.connect(READER_0, 'exclusive');
  try {
    return await fn(await PivSession.open(c));
  } finally {
    await c.disconnect();
  }
}

/** True when `pin` verifies on the key (one try spent if not: callers check a PIN they expect to work). */
const pinWorks = (t: VirtualTransport, pin: string): Promise<boolean> =>
  onCard(t, (s) => s.verifyPin(secretFromText(pin))).then(
    () => true,
    () => false,
  );

/** Puts a folder where the file was: reading it is EISDIR, replacing it fails, even for root. */
function folderInPlaceOf(file: string): void {
  rmSync(file, { force: true });
  mkdirSync(file, { recursive: true });
}

/** A virtual key that calls `after` once it has answered a command with instruction byte `ins`. */
function cardCalling(ins: number, after: () => void): VirtualCard {
  const card = createVirtualYubiKey({ profile: 'yk5.4.3', serial: 21000001 });
  return withTransmit(card, (apdu) => {
    const answer = card.transmit(apdu);
    if (apdu[1] === ins) after();
    return answer;
  });
}

const INS_CHANGE_REFERENCE = 0x24;
const INS_RESET = 0xfb;

describe("case 1: once the key changed, the outcome is the card's", { timeout: 120_000 }, () => {
  it.each(PAIRING_STEPS.flatMap((step) => [['audit log', step] as const, ['pairing record', step] as const]))(
    'pairing with the %s made unusable at "%s": a failure before the key changed, else success with a warning',
    async (target, step: PairingStepName) => {
      const f = await appFixture();
      const file = join(f.dataDir, target === 'audit log' ? 'audit.log' : 'pairing.json');
      f.app.events.subscribe((e) => {
        if (e.name === 'pairing.progress' && e.payload.step === step) folderInPlaceOf(file);
      });
      const r = await f.call('pairing.pair', PAIR);
      if (target === 'pairing record' && step === 'checking-key') {
        // The journal is written before the key changes: it failing stops the pairing with the key untouched.
        expect(r.ok ? null : r.error).toMatchObject({ code: 'STORE_UNREADABLE', detail: file, message: expect.stringContaining(file) as unknown });
        expect(await pinWorks(f.transport, '123456')).toBe(true);
        return;
      }
      if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
      expect(r.value.serial).toBe(21000001);
      expect(r.value.warnings.length).toBeGreaterThan(0);
      expect(r.value.warnings.join('\n')).toContain(file);
      // The key really is paired: the new PIN works, the management key is protected, the certificate is in 9a.
      await onCard(f.transport, async (s) => {
        await s.verifyPin(secretFromText('583920'));
        expect(await managementKeyState(s)).toBe('protected');
        expect(await readCertificate(s, SLOT.AUTHENTICATION)).not.toBeNull();
      });
    },
  );

  it('change-pin: an audit log that cannot be written is found before the key is touched; one that fails after is a warning', async () => {
    let sabotage = (): void => undefined;
    const f = await appFixture({ card: cardCalling(INS_CHANGE_REFERENCE, () => sabotage()) });
    await f.value('pairing.pair', PAIR);
    const audit = join(f.dataDir, 'audit.log');
    const saved = await readFile(audit);

    folderInPlaceOf(audit);
    const before = await f.call('pin.change', { currentPin: '583920', newPin: '40917263', confirmation: '40917263' });
    expect(before.ok ? null : before.error).toMatchObject({ code: 'STORE_UNREADABLE', detail: audit });
    expect(await pinWorks(f.transport, '583920')).toBe(true);

    rmSync(audit, { recursive: true });
    await writeFile(audit, saved);
    sabotage = () => folderInPlaceOf(audit);
    const after = await f.call('pin.change', { currentPin: '583920', newPin: '40917263', confirmation: '40917263' });
    if (!after.ok) throw new Error(`expected success, got ${after.error.code}: ${after.error.message}`);
    expect(after.value.warnings).toEqual([expect.stringMatching(/^The PIN was changed, but the audit log was not written: .*audit\.log.*folder, not a file/)]);
    expect(await pinWorks(f.transport, '40917263')).toBe(true);
  });

  it('de-registration: the record and log failing after the reset are warnings; the key is reset', async () => {
    let sabotage = (): void => undefined;
    const f = await appFixture({ card: cardCalling(INS_RESET, () => sabotage()) });
    await f.value('pairing.pair', PAIR);
    sabotage = () => {
      folderInPlaceOf(join(f.dataDir, 'audit.log'));
      folderInPlaceOf(join(f.dataDir, 'pairing.json'));
    };
    const r = await f.call('deregistration.remove', { serial: 21000001, confirmOtherKey: false });
    if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
    expect(r.value.warnings.some((w) => w.startsWith('The key was reset, but the pairing record could not be removed'))).toBe(true);
    expect(r.value.warnings.some((w) => w.startsWith('The key was reset, but the audit log was not written'))).toBe(true);
    expect(await pinWorks(f.transport, '123456')).toBe(true);
  });
});

describe('case 4: identity, data folder and key are checked before the first command that changes the key', { timeout: 60_000 }, () => {
  it.each(['x, O=Evil Corp, CN=admin', '', 'al ice', 'bob\u0000'])('the user name %j is refused with the key untouched', async (userName) => {
    const f = await appFixture({ userName });
    const r = await f.call('pairing.pair', PAIR);
    expect(r.ok ? null : r.error.code).toBe('IDENTITY_INVALID');
    expect(f.progress).toEqual([]);
    await onCard(f.transport, async (s) => {
      expect(await s.pinRetries()).toBe(3);
      expect(await managementKeyState(s)).toBe('default');
      expect((await s.referenceMetadata('puk')).isDefault).toBe(true);
    });
    const pre = await f.call('pairing.precheck', {});
    expect(pre.ok ? null : pre.error.code).toBe('IDENTITY_INVALID');
  });
});

describe("cases 2 and 8: the machine's problems are typed and named, never a hang or INTERNAL", { timeout: 60_000 }, () => {
  it.each([
    ['a folder under /proc', '/proc/wfa-data', /system area/],
    ['a path through /dev/null', '/dev/null/wfa', /\/dev\/null is a file, not a folder|system area/],
    ['/dev/null itself', '/dev/null', /file, not a folder|system area/],
  ])('%s is DATA_DIR_UNUSABLE, naming the folder and why', async (_what, dataDir, reason) => {
    const f = await appFixture({ dataDir });
    const r = await f.call('pairing.pair', PAIR);
    expect(r.ok ? null : r.error).toMatchObject({ code: 'DATA_DIR_UNUSABLE', detail: dataDir, message: expect.stringMatching(reason) as unknown });
    expect(await pinWorks(f.transport, '123456')).toBe(true);
  });

  it('a data folder that is a file: DATA_DIR_UNUSABLE for pairing, a problem in status', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'wfa-file-')), 'data');
    await writeFile(dataDir, 'not a folder');
    const f = await appFixture({ dataDir });
    const r = await f.call('pairing.pair', PAIR);
    expect(r.ok ? null : r.error).toMatchObject({ code: 'DATA_DIR_UNUSABLE', message: expect.stringMatching(/it is a file, not a folder/) as unknown });
    const status = await f.value('status.get', {});
    expect(status.problems.map((p) => p.code)).toContain('DATA_DIR_UNUSABLE');
  });

  it('pairing.json being a folder: STORE_UNREADABLE naming the file, in status and for every flow', async () => {
    const f = await appFixture();
    const file = join(f.dataDir, 'pairing.json');
    mkdirSync(file);
    const status = await f.value('status.get', {});
    expect(status.problems).toContainEqual(
      expect.objectContaining({ code: 'STORE_UNREADABLE', detail: file, message: expect.stringMatching(/folder, not a file/) as unknown }),
    );
    for (const r of [await f.call('pairing.pair', PAIR), await f.call('pin.change', { currentPin: '123456', newPin: '583920', confirmation: '583920' })]) {
      expect(r.ok ? null : r.error).toMatchObject({ code: 'STORE_UNREADABLE', detail: file });
    }
  });
});

describe('case 3: a corrupt record is kept aside and reported until the user acts', { timeout: 60_000 }, () => {
  it('whichever process moved it, status reports it (problems), and pairing again clears it', async () => {
    const f = await appFixture();
    await f.value('pairing.pair', PAIR);
    await writeFile(join(f.dataDir, 'pairing.json'), '{"schemaVersion":1,"data":{"pairing":');
    // The first reader is a PIN change: it moves the file aside and says why it cannot go on.
    const first = await f.call('pin.change', { currentPin: '583920', newPin: '40917263', confirmation: '40917263' });
    expect(first.ok ? null : first.error).toMatchObject({
      code: 'NOT_PAIRED',
      message: expect.stringMatching(/could not be read; it was kept as .*pairing\.json\..*\.bak/) as unknown,
    });
    const kept = (await readdir(f.dataDir)).filter((n) => n.startsWith('pairing.json.') && n.endsWith('.bak'));
    expect(kept).toHaveLength(1);
    // Another process (the CLI, the app after a restart) still sees it.
    const next = await appFixture({ dataDir: f.dataDir, card: f.card });
    for (let i = 0; i < 2; i++) {
      const status = await next.value('status.get', {});
      expect(status.pairing).toBeNull();
      expect(status.problems).toEqual([
        expect.objectContaining({
          code: 'STORE_UNREADABLE',
          detail: join(f.dataDir, kept[0]!),
          message: expect.stringMatching(/could not be read.*kept as.*Pair your security key again/) as unknown,
        }),
      ]);
    }
    // Acting on it: pair again (the key is reset first, as an administrator would).
    await onCard(next.transport, resetPiv);
    await next.value('pairing.pair', PAIR);
    expect((await next.value('status.get', {})).problems).toEqual([]);
  });
});

describe('case 5: a pairing the key no longer matches is found from the key', { timeout: 60_000 }, () => {
  it('after a reset outside the app: status says so, change-pin and check refuse, pairing again is the remedy', async () => {
    const f = await appFixture();
    await f.value('pairing.pair', PAIR);
    await onCard(f.transport, resetPiv);
    const status = await f.value('status.get', {});
    expect(status.problems).toEqual([
      expect.objectContaining({ code: 'PAIRING_STALE', message: expect.stringMatching(/no certificate any more.*Pair the key again/) as unknown }),
    ]);
    const change = await f.call('pin.change', { currentPin: '123456', newPin: '40917263', confirmation: '40917263' });
    expect(change.ok ? null : change.error.code).toBe('PAIRING_STALE');
    expect(await pinWorks(f.transport, '123456')).toBe(true);
    const check = await f.call('signin.check', { pin: '123456' });
    expect(check.ok ? null : check.error.code).toBe('PAIRING_STALE');
    const again = await f.value('pairing.pair', PAIR);
    expect(again.certificate).not.toBeNull();
    expect((await f.value('status.get', {})).problems).toEqual([]);
  });
});

describe('case 8: the sign-in check only reads', { timeout: 60_000 }, () => {
  it('leaves every file of the data folder as it was', async () => {
    const f = await appFixture();
    await f.value('pairing.pair', PAIR);
    const snapshot = async (dir: string): Promise<string[]> => {
      const out: string[] = [];
      for (const name of (await readdir(dir, { recursive: true })).sort()) {
        const s = await stat(join(dir, name));
        out.push(`${name} ${s.size} ${s.mtimeMs}`);
      }
      return out;
    };
    const before = await snapshot(f.dataDir);
    const next = await appFixture({ dataDir: f.dataDir, card: f.card });
    expect(await next.value('signin.check', { pin: '583920' })).toMatchObject({ serial: 21000001, revocationChecked: true });
    expect(await snapshot(f.dataDir)).toEqual(before);
  });
});
