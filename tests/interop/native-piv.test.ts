// Every PIV operation of native/ through the real PC/SC stack (pcscd + vpcd,
// the `smartcard` binding, an exclusive connection per operation) on each
// firmware profile, with ykman and yubico-piv-tool judging what we wrote.
// Each APDU costs tens of milliseconds through vpcd: a few compact sequences per profile.
import { describe, expect, it } from 'vitest';
import { toAppError } from '../../electron/services/app-error.ts';
import { cardKeyPair } from '../../native/piv/card-signer.ts';
import { DEFAULT_MANAGEMENT_KEY, OBJECT_ID, SLOT } from '../../native/piv/constants.ts';
import { attestSlot, generateKey, slotMetadata } from '../../native/piv/keys.ts';
import { chuidGuid, deleteCertificate, getObject, newCcc, newChuid, putObject, readCertificate, writeCertificate } from '../../native/piv/objects.ts';
import { secretFromText } from '../../native/piv/secrets.ts';
import type { PivSession } from '../../native/piv/session.ts';
import { authenticateManagementKey, managementKeyAlgorithm, managementKeyMetadata } from '../../native/yubikey/management-key.ts';
import { withKey } from '../../native/yubikey/key-access.ts';
import { readKeyInfo } from '../../native/yubikey/key-info.ts';
import * as x509 from '../../native/x509.ts';
import {
  DEFAULT_PIN,
  FIRMWARE,
  INTEROP_PROFILES,
  READER,
  expectSuccess,
  hasMetadata,
  pinTriesLine,
  pivInfo,
  pivTool,
  useVirtualYubiKey,
  ykman,
} from './harness.ts';
import { certificateOfSize, derFromPem, hexOf, nativeFailure, onKey, pcsc, useCards } from './native-support.ts';

const pin = (text: string): Uint8Array => secretFromText(text);
const NEW_PIN = '24681357';
const NEW_PUK = '86427531';

/** Authenticates with the factory management key (3DES, AES-192 on 5.7: the algorithm from the card). */
async function authenticateDefault(session: PivSession): Promise<void> {
  await authenticateManagementKey(session, await managementKeyAlgorithm(session), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
}

/** A certificate verified against another's public key. */
async function signedBy(cert: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  return cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
}

describe.each(INTEROP_PROFILES)('native PIV operations through pcscd on %s', (profile) => {
  const key = useVirtualYubiKey(profile, 19_100_001);
  const metadata = hasMetadata(profile);

  it('identifies the key and reads tries left without spending one', async () => {
    const info = await withKey(pcsc(), READER, readKeyInfo);
    expect(info).toEqual({
      reader: READER,
      serial: key.serial,
      firmware: FIRMWARE[profile],
      model: profile === 'yk4.3.7' ? 'YubiKey 4' : 'YubiKey 5 NFC',
      pinRetries: 3,
      pukRetries: metadata ? 3 : null,
      managementKey: 'default',
      slots: {},
    });
    const again = await onKey(async (s) => ({ pin: [await s.pinRetries(), await s.pinRetries()], puk: await s.pukRetries(), version: s.version }));
    expect(again.pin).toEqual([3, 3]);
    expect(`${again.version.major}.${again.version.minor}.${again.version.patch}`).toBe(FIRMWARE[profile]);
    if (metadata) {
      expect(await onKey((s) => s.referenceMetadata('pin'))).toEqual({ isDefault: true, total: 3, remaining: 3 });
    }
    expect(await pivInfo()).toMatch(pinTriesLine(profile, 3));
  });

  it('verifies, changes and unblocks the PIN, changes the PUK, and sets the tries', async () => {
    await onKey(async (s) => {
      expect(await nativeFailure(s.verifyPin(pin('000000')))).toMatchObject({ code: 'PIN_INCORRECT', retries: 2 });
      expect(await s.pinRetries()).toBe(2);
      await s.verifyPin(pin(DEFAULT_PIN));
      await s.changeReference('pin', pin(DEFAULT_PIN), pin(NEW_PIN));
      await s.changeReference('puk', pin('12345678'), pin(NEW_PUK));
      expect(await nativeFailure(s.changeReference('puk', pin('11111111'), pin('22222222')))).toMatchObject({ code: 'PUK_INCORRECT', retries: 2 });
      expect(await nativeFailure(s.verifyPin(pin(DEFAULT_PIN)))).toMatchObject({ code: 'PIN_INCORRECT', retries: 2 });
      await nativeFailure(s.verifyPin(pin('000000')));
      expect(await nativeFailure(s.verifyPin(pin('000000')))).toMatchObject({ code: 'PIN_BLOCKED', retries: 0 });
      expect(await nativeFailure(s.verifyPin(pin(NEW_PIN)))).toMatchObject({ code: 'PIN_BLOCKED' });
      expect(await s.pinRetries()).toBe(0);
      await s.unblockPin(pin(NEW_PUK), pin('13572468'));
      await s.verifyPin(pin('13572468'));
    });
    // ykman sees the same key: the new PIN works, the old one does not.
    expectSuccess(await ykman(['piv', 'access', 'change-pin', '-P', '13572468', '-n', NEW_PIN]));

    await onKey(async (s) => {
      expect(await nativeFailure(authenticateManagementKey(s, await managementKeyAlgorithm(s), new Uint8Array(24)))).toMatchObject({
        code: 'MGMT_AUTH_FAILED',
      });
      await authenticateDefault(s);
      await s.verifyPin(pin(NEW_PIN));
      await s.setRetries(5, 4);
    });
    // SET PIN RETRIES puts PIN and PUK back to their defaults.
    expect(await onKey((s) => s.pinRetries())).toBe(5);
    if (metadata) expect(await onKey((s) => s.referenceMetadata('puk'))).toEqual({ isDefault: true, total: 4, remaining: 4 });
    await onKey((s) => s.verifyPin(pin(DEFAULT_PIN)));
    expect(await pivInfo()).toMatch(pinTriesLine(profile, 5, 5));
  });

  it('authenticates with the management key, generates RSA 2048 and P-256 keys, signs CSRs on the key, and attests', async () => {
    const expectedAlgorithm = profile === 'yk5.7.1' ? 'AES192' : 'TDES';
    const result = await onKey(async (s) => {
      expect(await managementKeyAlgorithm(s)).toBe(expectedAlgorithm);
      if (metadata) expect(await managementKeyMetadata(s)).toMatchObject({ algorithm: expectedAlgorithm, isDefault: true });
      expect(await nativeFailure(generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'RSA2048' }))).toMatchObject({ code: 'SECURITY_STATUS' });
      await authenticateDefault(s);
      const rsa = await generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'RSA2048' });
      const ec = await generateKey(s, { slot: SLOT.SIGNATURE, algorithm: 'ECCP256' });
      const csrs: Uint8Array[] = [];
      for (const [slot, algorithm, publicKey] of [
        [SLOT.AUTHENTICATION, 'RSA2048', rsa],
        [SLOT.SIGNATURE, 'ECCP256', ec],
      ] as const) {
        // 9c's PIN policy is "always": the PIN right before each signature.
        await s.verifyPin(pin(DEFAULT_PIN));
        const pair = await cardKeyPair(s, slot, algorithm, publicKey);
        const csr = await x509.Pkcs10CertificateRequestGenerator.create(
          { name: `CN=${algorithm} on ${profile}`, keys: pair.keys, signingAlgorithm: pair.signingAlgorithm },
          pair.crypto,
        );
        csrs.push(new Uint8Array(csr.rawData));
      }
      const meta = metadata ? await slotMetadata(s, SLOT.AUTHENTICATION) : null;
      return {
        csrs,
        spkis: [rsa, ec].map((k) => new Uint8Array(k.export({ format: 'der', type: 'spki' }))),
        meta,
        attestation: await attestSlot(s, SLOT.AUTHENTICATION),
        attestationIssuer: await readCertificate(s, SLOT.ATTESTATION),
      };
    });
    for (const [i, der] of result.csrs.entries()) {
      const csr = new x509.Pkcs10CertificateRequest(der);
      expect(await csr.verify()).toBe(true);
      expect(hexOf(new Uint8Array(csr.publicKey.rawData))).toBe(hexOf(result.spkis[i]!));
    }
    if (metadata) expect(result.meta).toMatchObject({ algorithm: 'RSA2048', generatedOnKey: true });
    // The attestation certificate holds the slot's key and is signed by the key's attestation key (F9).
    const attestation = new x509.X509Certificate(result.attestation);
    expect(hexOf(new Uint8Array(attestation.publicKey.rawData))).toBe(hexOf(result.spkis[0]!));
    expect(result.attestationIssuer).not.toBeNull();
    expect(await signedBy(attestation, new x509.X509Certificate(result.attestationIssuer!))).toBe(true);
  });

  it('writes, reads and deletes a 2,000-byte certificate, CHUID and CCC; ykman and yubico-piv-tool read them byte for byte', async () => {
    const der = await certificateOfSize(2000);
    const written = await onKey(async (s) => {
      await authenticateDefault(s);
      await writeCertificate(s, SLOT.AUTHENTICATION, der);
      const chuid = newChuid();
      const ccc = newCcc();
      await putObject(s, OBJECT_ID.CHUID, chuid);
      await putObject(s, OBJECT_ID.CCC, ccc);
      return { back: await readCertificate(s, SLOT.AUTHENTICATION), chuid, ccc, chuidRead: await getObject(s, OBJECT_ID.CHUID) };
    });
    expect(hexOf(written.back!)).toBe(hexOf(der));
    expect(hexOf(written.chuidRead!)).toBe(hexOf(written.chuid));
    expect(chuidGuid(written.chuid)).toHaveLength(16);

    expect(hexOf(derFromPem(expectSuccess(await ykman(['piv', 'certificates', 'export', '9a', '-'])).stdout))).toBe(hexOf(der));
    expect(hexOf(derFromPem(expectSuccess(await pivTool(['-a', 'read-certificate', '-s', '9a'])).stdout))).toBe(hexOf(der));
    const info = await pivInfo();
    expect(info).toContain(`CHUID:\t${hexOf(written.chuid)}`);
    expect(info).toContain(`CCC: \t${hexOf(written.ccc)}`);
    expect(info).toContain('Subject DN:\tCN=native interop');

    await onKey(async (s) => {
      await authenticateDefault(s);
      await deleteCertificate(s, SLOT.AUTHENTICATION);
      expect(await readCertificate(s, SLOT.AUTHENTICATION)).toBeNull();
    });
    expect(await pivInfo()).not.toMatch(/^Slot 9a:/m);
  });
});

describe('ROCA: on-card RSA generation refused on a YubiKey 4.3.4 through pcscd', () => {
  const cards = useCards();

  it('refuses RSA 2048 with ROCA_VULNERABLE and no key made, and offers ECC, which works', async () => {
    const card = await cards.start({ reader: 0, profile: 'yk4.3.4', serial: 19_100_002 });
    expect(card.firmware).toBe('4.3.4');
    const refusal = await onKey(async (s) => {
      await authenticateDefault(s);
      const error = await nativeFailure(generateKey(s, { slot: SLOT.SIGNATURE, algorithm: 'RSA2048' }));
      // No metadata before 5.3: an empty slot is one the card cannot attest.
      expect(await nativeFailure(attestSlot(s, SLOT.SIGNATURE))).toMatchObject({ code: 'NOT_FOUND' });
      const ec = await generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'ECCP256' });
      expect(ec.asymmetricKeyType).toBe('ec');
      return error;
    });
    expect(refusal.code).toBe('ROCA_VULNERABLE');
    expect(toAppError(refusal).message).toMatch(/ROCA.*YSA-2017-01.*ECC/);
  });
});
