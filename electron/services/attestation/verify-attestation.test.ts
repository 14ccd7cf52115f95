// The attestation verifier against the in-process virtual YubiKey, driven by
// the app's own PIV code (native/piv) as pairing will drive it: generate in
// 9A, ATTEST, read the F9 certificate, verify.
import { X509Certificate as NodeCertificate } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualTransport } from '../../../native/virtual-yubikey/virtual-transport.ts';
import { SLOT } from '../../../native/piv/constants.ts';
import { attestSlot, generateKey, type PinPolicyName, type TouchPolicyName } from '../../../native/piv/keys.ts';
import { readCertificate } from '../../../native/piv/objects.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { attestationRootDer } from '../../../native/virtual-yubikey/piv/attestation.ts';
import { createVirtualYubiKey, type ProfileName } from '../../../native/virtual-yubikey/index.ts';
import { authenticateManagementKey, managementKeyAlgorithm } from '../../../native/yubikey/management-key.ts';
import { loadYubicoTrustStore, type TrustStore, TrustStoreError, withExtraRoots } from './trust-store.ts';
import { type AttestationInput, verifyAttestation } from './verify-attestation.ts';

const ASSETS = join(import.meta.dirname, '..', '..', '..', 'assets', 'attestation');
const YUBICO = loadYubicoTrustStore(ASSETS);
const DEFAULT_MANAGEMENT_KEY = Uint8Array.from(Buffer.from('010203040506070801020304050607080102030405060708', 'hex'));
const READER = 'Virtual PCD 00 00';

interface Attested {
  readonly input: Omit<AttestationInput, 'trust'>;
  /** The card's own root (PEM), as --export-attestation-root writes it. */
  readonly rootPem: string;
}

/**
 * Making a card generates two RSA 2048 keys (its root and F9): seconds on a
 * busy 2-core machine. Each (profile, serial, policies) is made once per file.
 */
const made = new Map<string, Promise<Attested>>();
function attestedKey(
  profile: ProfileName,
  serial: number,
  policies: { pinPolicy: PinPolicyName; touchPolicy: TouchPolicyName } = { pinPolicy: 'ONCE', touchPolicy: 'NEVER' },
  copy = '',
): Promise<Attested> {
  const id = `${profile}/${serial}/${policies.pinPolicy}/${policies.touchPolicy}/${copy}`;
  let key = made.get(id);
  if (key === undefined) {
    key = makeAttestedKey(profile, serial, policies);
    made.set(id, key);
  }
  return key;
}

/** A fresh card of `profile`; a key generated in 9A with the given policies, attested, and the F9 certificate read. */
async function makeAttestedKey(
  profile: ProfileName,
  serial: number,
  policies: { pinPolicy: PinPolicyName; touchPolicy: TouchPolicyName } = { pinPolicy: 'ONCE', touchPolicy: 'NEVER' },
): Promise<Attested> {
  const card = createVirtualYubiKey({ profile, serial });
  const transport = new VirtualTransport();
  transport.insert(READER, card);
  const session = await PivSession.open(await transport.connect(READER, 'exclusive'));
  await authenticateManagementKey(session, await managementKeyAlgorithm(session), DEFAULT_MANAGEMENT_KEY);
  const publicKey = await generateKey(session, { slot: SLOT.AUTHENTICATION, algorithm: 'ECCP256', ...policies });
  const slotCertificate = await attestSlot(session, SLOT.AUTHENTICATION);
  const deviceCertificate = await readCertificate(session, SLOT.ATTESTATION);
  if (deviceCertificate === null) throw new Error('the card has no F9 certificate');
  return {
    input: {
      slotCertificate,
      deviceCertificate,
      slotPublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
      serial: await session.serial(),
      expected: { pinPolicy: policies.pinPolicy === 'ONCE' ? 'once' : 'always', touchPolicy: policies.touchPolicy === 'NEVER' ? 'never' : 'cached' },
    },
    rootPem: new NodeCertificate(attestationRootDer(card.state)!).toString(),
  };
}

const trusting = (rootPem: string): TrustStore => withExtraRoots(YUBICO, [rootPem]);

describe('Yubico attestation roots in assets/attestation', () => {
  it('loads the shipped roots and intermediates, each matching its pinned SHA-256', () => {
    expect(YUBICO.roots.map((c) => c.subject)).toEqual([
      'CN=Yubico PIV Root CA Serial 263751',
      'CN=Yubico U2F Root CA Serial 457200631',
      'CN=Yubico Attestation Root 1',
    ]);
    expect(YUBICO.intermediates.map((c) => c.subject)).toEqual([
      'CN=Yubico Attestation Intermediate A 1',
      'CN=Yubico Attestation Intermediate B 1',
      'CN=Yubico PIV Attestation A 1',
      'CN=Yubico PIV Attestation B 1',
    ]);
  });

  it('the intermediates chain to Yubico Attestation Root 1 (checked with node:crypto, not the verifier)', () => {
    const byName = new Map([...YUBICO.roots, ...YUBICO.intermediates].map((c) => [c.subject, new NodeCertificate(Buffer.from(c.rawData))]));
    for (const [child, parent] of [
      ['CN=Yubico PIV Attestation A 1', 'CN=Yubico Attestation Intermediate A 1'],
      ['CN=Yubico PIV Attestation B 1', 'CN=Yubico Attestation Intermediate B 1'],
      ['CN=Yubico Attestation Intermediate A 1', 'CN=Yubico Attestation Root 1'],
      ['CN=Yubico Attestation Intermediate B 1', 'CN=Yubico Attestation Root 1'],
    ]) {
      expect(byName.get(child!)!.verify(byName.get(parent!)!.publicKey), `${child} by ${parent}`).toBe(true);
    }
  });
});

describe('verifyAttestation', { timeout: 60_000 }, () => {
  it.each([
    ['yk5.4.3', '5.4.3', 'USB-A keychain'],
    ['yk5.7.1', '5.7.1', 'USB-A keychain'],
    ['yk4.3.7', '4.3.7', undefined],
  ] as [ProfileName, string, string | undefined][])('verifies a good chain from %s when its root is trusted', async (profile, firmware, formFactor) => {
    const key = await attestedKey(profile, 21_000_001);
    const result = await verifyAttestation({ ...key.input, trust: trusting(key.rootPem) });
    expect(result).toEqual({
      ok: true,
      attestation: {
        firmware,
        serial: 21_000_001,
        pinPolicy: 'once',
        touchPolicy: 'never',
        formFactor,
        root: `CN=Virtual YubiKey PIV Root CA Serial 21000001 (TEST ONLY)`,
      },
    });
  });

  it('reads PIN policy always and touch cached from the attestation', async () => {
    const key = await attestedKey('yk5.4.3', 21_000_002, { pinPolicy: 'ALWAYS', touchPolicy: 'CACHED' });
    const result = await verifyAttestation({ ...key.input, trust: trusting(key.rootPem) });
    expect(result).toMatchObject({ ok: true, attestation: { pinPolicy: 'always', touchPolicy: 'cached' } });
  });

  it("refuses a virtual key against Yubico's roots alone (wrong root)", async () => {
    const key = await attestedKey('yk5.4.3', 21_000_001);
    const result = await verifyAttestation({ ...key.input, trust: YUBICO });
    expect(result).toMatchObject({ ok: false, reason: 'untrusted-root', attestation: { serial: 21_000_001 } });
  });

  it("refuses a chain whose root is another card's", async () => {
    const key = await attestedKey('yk5.4.3', 21_000_001);
    const other = await attestedKey('yk5.4.3', 21_000_005);
    expect(other.rootPem).not.toBe(key.rootPem);
    const result = await verifyAttestation({ ...key.input, trust: trusting(other.rootPem) });
    expect(result).toMatchObject({ ok: false, reason: 'untrusted-root' });
  });

  it('refuses when the slot key is not the attested one', async () => {
    const key = await attestedKey('yk5.7.1', 21_000_001);
    const other = await attestedKey('yk5.7.1', 21_000_001, undefined, 'another card, same serial');
    const result = await verifyAttestation({ ...key.input, slotPublicKey: other.input.slotPublicKey, trust: trusting(key.rootPem) });
    expect(result).toMatchObject({ ok: false, reason: 'public-key-mismatch' });
  });

  it('refuses an attestation with another serial', async () => {
    const key = await attestedKey('yk4.3.7', 21_000_001);
    const result = await verifyAttestation({ ...key.input, serial: 21_000_008, trust: trusting(key.rootPem) });
    expect(result).toMatchObject({ ok: false, reason: 'serial-mismatch', detail: 'the attestation is for YubiKey 21000001, not 21000008' });
  });

  it('refuses a key whose PIN or touch policy is not the one asked for', async () => {
    const key = await attestedKey('yk5.4.3', 21_000_001);
    const trust = trusting(key.rootPem);
    expect(await verifyAttestation({ ...key.input, expected: { pinPolicy: 'always', touchPolicy: 'never' }, trust })).toMatchObject({
      ok: false,
      reason: 'policy-mismatch',
    });
    expect(await verifyAttestation({ ...key.input, expected: { pinPolicy: 'once', touchPolicy: 'always' }, trust })).toMatchObject({
      ok: false,
      reason: 'policy-mismatch',
    });
  });

  it('refuses a tampered slot certificate (signature or signed content) and a tampered device certificate', async () => {
    const key = await attestedKey('yk5.4.3', 21_000_010);
    // Its serial is 21000010 = 0x01406F4A.
    const trust = trusting(key.rootPem);
    const flipLast = (der: Uint8Array): Uint8Array => {
      const copy = Uint8Array.from(der);
      copy[copy.length - 1]! ^= 0x01; // the last byte of the signature
      return copy;
    };
    expect(await verifyAttestation({ ...key.input, slotCertificate: flipLast(key.input.slotCertificate), trust })).toMatchObject({
      ok: false,
      reason: 'slot-signature-invalid',
    });
    // Change the signed part: the serial extension says another YubiKey.
    // 21000010 = 0x01406F4A, as a DER INTEGER 02 04 01 40 6F 4A; 21000011 ends in 4B.
    const slotHex = Buffer.from(key.input.slotCertificate).toString('hex');
    expect(slotHex).toContain('020401406f4a');
    const forged = Uint8Array.from(Buffer.from(slotHex.replace('020401406f4a', '020401406f4b'), 'hex'));
    expect(forged).not.toEqual(key.input.slotCertificate);
    expect(await verifyAttestation({ ...key.input, slotCertificate: forged, serial: 21_000_011, trust })).toMatchObject({
      ok: false,
      reason: 'slot-signature-invalid',
    });
    expect(await verifyAttestation({ ...key.input, deviceCertificate: flipLast(key.input.deviceCertificate), trust })).toMatchObject({
      ok: false,
      reason: 'untrusted-root',
    });
  });

  it('refuses a certificate that cannot be read, and one without Yubico extensions', async () => {
    const key = await attestedKey('yk5.4.3', 21_000_001);
    const trust = trusting(key.rootPem);
    expect(await verifyAttestation({ ...key.input, slotCertificate: Uint8Array.of(0x30, 0x00), trust })).toMatchObject({
      ok: false,
      reason: 'malformed-certificate',
    });
    // The F9 certificate as the slot certificate: it has no firmware extension.
    expect(await verifyAttestation({ ...key.input, slotCertificate: key.input.deviceCertificate, trust })).toMatchObject({
      ok: false,
      reason: 'extension-invalid',
    });
  });

  it('refuses outside the validity period', async () => {
    const key = await attestedKey('yk5.4.3', 21_000_001);
    const result = await verifyAttestation({ ...key.input, trust: trusting(key.rootPem), now: new Date(Date.UTC(2060, 0, 1)) });
    expect(result).toMatchObject({ ok: false, reason: 'not-valid-now' });
  });
});

describe('withExtraRoots', () => {
  it('refuses a policy root that is not a PEM certificate, naming it', () => {
    expect(() => withExtraRoots(YUBICO, ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'])).toThrow(/attestation.extraRoots\[0\]/);
  });

  it("refuses a shipped file whose fingerprint is not Yubico's (a swapped root)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfa-roots-'));
    try {
      cpSync(ASSETS, dir, { recursive: true });
      // Another (valid) certificate under the name of Yubico's PIV root.
      writeFileSync(join(dir, 'yubico-piv-root-ca-serial-263751.pem'), readFileSync(join(ASSETS, 'yubico-attestation-root-1.pem')));
      expect(() => loadYubicoTrustStore(dir)).toThrow(TrustStoreError);
      expect(() => loadYubicoTrustStore(dir)).toThrow(/yubico-piv-root-ca-serial-263751.pem has SHA-256 62760c6a.*not Yubico's 63ece914/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
