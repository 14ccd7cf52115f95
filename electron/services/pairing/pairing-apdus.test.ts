// How many APDUs a pairing sends, by instruction (each costs time on a real key): each thing is read
// once per operation and passed along. Counted at the transport, so chained
// blocks and GET RESPONSE would show; the card is the in-process virtual key.
import { describe, expect, it } from 'vitest';
import { CountingTransport } from '../../../native/pcsc/counting-transport.ts';
import { createVirtualYubiKey } from '../../../native/virtual-yubikey/index.ts';
import { appFixture, READER_0 } from '../../app/test-support/app-fixture.ts';

/** Attestation adds its own two reads, ATTEST 9A and GET DATA of the F9 certificate (one APDU each, extended). */
const ATTESTATION_APDUS = 2;

const PINS = { temporaryPin: '123456', newPin: '583920', confirmation: '583920' };

async function countedFixture(profile: 'yk5.4.3' | 'yk5.7.1' | 'yk4.3.7' = 'yk5.4.3') {
  let counter: CountingTransport | undefined;
  const f = await appFixture({ profile, wrapTransport: (t) => (counter = new CountingTransport(t)) });
  return { f, counter: counter! };
}

/** What `wfa pair` does: the status, the checks, then the pairing. */
async function pairLikeTheCli(f: Awaited<ReturnType<typeof countedFixture>>['f']): Promise<void> {
  await f.value('status.get', {});
  const pre = await f.value('pairing.precheck', {});
  await f.value('pairing.pair', { serial: pre.key.serial, ...PINS });
}

describe('APDUs of a pairing', { timeout: 60_000 }, () => {
  it("pairs a factory YubiKey 5.4.3 in 22 APDUs and attestation's 2: one identification, then the pairing in one session", async () => {
    const { f, counter } = await countedFixture();
    await pairLikeTheCli(f);
    expect(counter.byInstruction()).toEqual({
      // identification: management SELECT + READ CONFIG (serial, firmware, model); PIV SELECT, metadata of PIN, PUK, management key
      // pairing: PIV SELECT, PUK metadata again right before the PUK is changed (a stale "factory" would spend a PUK try)
      SELECT: 3,
      'READ CONFIG': 1,
      'GET METADATA': 4,
      // the temporary PIN is checked by CHANGE REFERENCE itself; the new PIN is verified once
      'CHANGE REFERENCE': 2,
      VERIFY: 1,
      // PIVMAN data, read once before its flag is written; the F9 attestation certificate
      'GET DATA': 2,
      // the attestation of the key made in 9A
      ATTEST: 1,
      // management key mutual authentication (2), the CSR signature (1)
      'GENERAL AUTHENTICATE': 3,
      // protected management key, PIVMAN, certificate, CHUID, CCC
      'PUT DATA': 5,
      'SET MANAGEMENT KEY': 1,
      GENERATE: 1,
    });
    expect(counter.sent).toHaveLength(22 + ATTESTATION_APDUS);
    // One exclusive hold to identify, one to pair; nothing connects in shared mode to probe.
    expect(counter.connects).toEqual({ shared: 0, exclusive: 2 });
  });

  it('leaves the key logged out after a counted pairing (the count goes through the reset on disconnect)', async () => {
    const { f } = await countedFixture();
    await pairLikeTheCli(f);
    // The next program, connecting without a reset: the PIN is not verified (63Cx), a write needing the management key is refused.
    const c = await f.transport.connect(READER_0, 'shared');
    const sw = async (h: string): Promise<string> => Buffer.from((await c.transmit(Uint8Array.from(Buffer.from(h, 'hex')))).subarray(-2)).toString('hex');
    try {
      expect(await sw('00a4040005a000000308')).toBe('9000');
      expect(await sw('00200080')).toMatch(/^63c/);
      expect(await sw('00db3fff075c035fc10d5300')).toBe('6982');
    } finally {
      await c.disconnect();
    }
  });

  it('sends no GET VERSION, GET SERIAL or GET RESPONSE, and no chained blocks, on a YubiKey 5.7.1', async () => {
    const { f, counter } = await countedFixture('yk5.7.1');
    await pairLikeTheCli(f);
    expect(counter.sent).toHaveLength(22 + ATTESTATION_APDUS);
    expect(counter.sent).not.toContain('GET VERSION');
    expect(counter.sent).not.toContain('GET SERIAL');
    expect(counter.sent).not.toContain('GET RESPONSE');
  });

  it('reads the key list from the card only when a key may have changed', async () => {
    const { f, counter } = await countedFixture();
    await f.value('status.get', {});
    expect(counter.sent).toHaveLength(6);
    counter.reset();
    await f.value('status.get', {});
    await f.value('pairing.precheck', {});
    expect(counter.sent).toEqual([]);

    // A pairing changed the key: the next look reads it once.
    const pre = await f.value('pairing.precheck', {});
    await f.value('pairing.pair', { serial: pre.key.serial, ...PINS });
    counter.reset();
    const after = await f.value('status.get', {});
    expect(after.keys[0]).toMatchObject({ paired: true, managementKey: 'protected', pinRetries: 3 });
    // The identification (6, and PIVMAN data for a protected management key), then, as a pairing now exists, the
    // certificate in 9A that the record is checked against (stale-pairing.ts): PIV SELECT and one GET DATA.
    expect(counter.sent).toEqual(['SELECT', 'READ CONFIG', 'SELECT', 'GET METADATA', 'GET METADATA', 'GET METADATA', 'GET DATA', 'SELECT', 'GET DATA']);
    counter.reset();
    await f.value('status.get', {});
    expect(counter.sent).toEqual([]);
  });

  it('a key swapped in the reader is read again, and only that one', async () => {
    const { f, counter } = await countedFixture();
    f.transport.insert('Virtual PCD 00 01', createVirtualYubiKey({ profile: 'yk5.4.3', serial: 21000002 }));
    expect((await f.value('status.get', {})).keys.map((k) => k.serial)).toEqual([21000001, 21000002]);
    counter.reset();
    f.transport.remove(READER_0);
    f.transport.insert(READER_0, createVirtualYubiKey({ profile: 'yk5.7.1', serial: 21000003 }));
    expect((await f.value('status.get', {})).keys.map((k) => k.serial)).toEqual([21000003, 21000002]);
    expect(counter.sent).toHaveLength(6);
    expect(counter.connects.exclusive).toBe(1);
  });

  it('a YubiKey 4.3.7 (no metadata) pairs too, asking what metadata would have said', async () => {
    const { f, counter } = await countedFixture('yk4.3.7');
    await pairLikeTheCli(f);
    const view = await f.value('status.get', {});
    expect(view.pairing).toMatchObject({ serial: 21000001, pending: null });
    expect(counter.sent).not.toContain('GET METADATA');
  });
});
