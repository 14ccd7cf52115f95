// Keys and certificates through `ykman piv keys …` / `ykman piv certificates …`
// (the virtual card must serve Yubico's own tool): generated on the card, signed on the
// card, checked with openssl and node:crypto outside it.
import { createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYubicoTrustStore, verifyAttestation, withExtraRoots } from '../../electron/services/attestation/index.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { describe, expect, it } from 'vitest';
import {
  ATTESTATION_ROOT_FILE,
  DEFAULT_MANAGEMENT_KEY,
  expectFailure,
  FIRMWARE,
  DEFAULT_PIN,
  INTEROP_PROFILES,
  expectSuccess,
  openssl,
  pem,
  pivInfo,
  useVirtualYubiKey,
  ykman,
} from './harness.ts';
import { derFromPem } from './native-support.ts';

/** The SubjectPublicKeyInfo PEM in a certificate, as openssl prints it. */
async function certificatePublicKey(certFile: string): Promise<string> {
  return pem(expectSuccess(await openssl(['x509', '-in', certFile, '-noout', '-pubkey'])).stdout);
}

/** A self-signed certificate's signature checked with its own public key. */
function selfSignatureValid(certFile: string): boolean {
  const cert = new X509Certificate(readFileSync(certFile));
  return cert.verify(cert.publicKey);
}

const ALGORITHMS = [
  // ykman KEY_TYPE names; openssl's words for the generated public key.
  { algorithm: 'ECCP256', slot: '9a', slotName: 'AUTHENTICATION', openssl: /ASN1 OID: prime256v1/ },
  { algorithm: 'RSA2048', slot: '9c', slotName: 'SIGNATURE', openssl: /Public-Key: \(2048 bit\)/ },
] as const;

describe.each(INTEROP_PROFILES)('ykman keys and certificates on %s', (profile) => {
  const key = useVirtualYubiKey(profile, 19_000_003);

  it.each(ALGORITHMS)('generates a $algorithm key in $slot and a self-signed certificate for it', async (a) => {
    const pub = key.file('pub.pem');
    const cert = key.file('cert.pem');
    expectSuccess(await ykman(['piv', 'keys', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-a', a.algorithm, a.slot, pub]));
    expect(expectSuccess(await openssl(['pkey', '-pubin', '-in', pub, '-noout', '-text'])).stdout).toMatch(a.openssl);

    // Signs a to-be-signed certificate on the card (PIN, then the key; 9c has PIN policy "always").
    expectSuccess(await ykman(['piv', 'certificates', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-P', DEFAULT_PIN, '-s', `CN=interop ${a.slot}`, a.slot, pub]));
    expectSuccess(await ykman(['piv', 'certificates', 'export', a.slot, cert]));

    expect(expectSuccess(await openssl(['x509', '-in', cert, '-noout', '-subject'])).stdout).toContain(`CN = interop ${a.slot}`);
    expect(await certificatePublicKey(cert)).toBe(pem(readFileSync(pub, 'utf8')));
    expect(selfSignatureValid(cert)).toBe(true);

    const info = await pivInfo();
    expect(info).toContain(`Slot ${a.slot}:`);
    expect(info).toContain(`Subject DN:\tCN=interop ${a.slot}`);
    // ykman generate_chuid: certificates generate also writes a CHUID.
    expect(info).not.toContain('CHUID:\tNo data available.');
  });

  it('attests a generated key with the slot f9 attestation certificate', async () => {
    // ATTEST exists from 4.3.0 (yubikit piv.py attest_key: require_version(4, 3, 0)).
    const pub = key.file('pub.pem');
    const attestation = key.file('attestation.pem');
    const f9 = key.file('f9.pem');
    expectSuccess(await ykman(['piv', 'keys', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-a', 'ECCP256', '9a', pub]));
    expectSuccess(await ykman(['piv', 'keys', 'attest', '9a', attestation]));
    expectSuccess(await ykman(['piv', 'certificates', 'export', 'f9', f9]));

    // The attestation certificate is signed by the f9 key and certifies the slot's public key.
    const verified = expectSuccess(await openssl(['verify', '-partial_chain', '-trusted', f9, attestation]));
    expect(verified.stdout).toContain(`${attestation}: OK`);
    expect(await certificatePublicKey(attestation)).toBe(pem(readFileSync(pub, 'utf8')));
    // Yubico's attestation extension: firmware version, OID 1.3.6.1.4.1.41482.3.3 (Yubico PIV attestation docs).
    const text = expectSuccess(await openssl(['x509', '-in', attestation, '-noout', '-text'])).stdout;
    expect(text).toContain('1.3.6.1.4.1.41482.3.3');

    // The whole chain, as Yubico verifies a real key (yubico-piv-tool Attestation: -CAfile root -untrusted f9):
    // the card's own root, which --export-attestation-root wrote before READY, issued F9.
    const root = key.file(ATTESTATION_ROOT_FILE);
    expect(expectSuccess(await openssl(['verify', '-CAfile', root, '-untrusted', f9, attestation])).stdout).toContain(`${attestation}: OK`);
    // Yubico's roots do not vouch for a virtual key.
    const yubicoRoot = join(REPO_ROOT, 'assets', 'attestation', 'yubico-piv-root-ca-serial-263751.pem');
    expectFailure(await openssl(['verify', '-CAfile', yubicoRoot, '-untrusted', f9, attestation]));

    // The app's verifier on what ykman read: verified through the exported root only.
    const input = {
      slotCertificate: derFromPem(readFileSync(attestation, 'utf8')),
      deviceCertificate: derFromPem(readFileSync(f9, 'utf8')),
      slotPublicKey: new Uint8Array(createPublicKey(readFileSync(pub, 'utf8')).export({ format: 'der', type: 'spki' })),
      serial: key.serial,
      // ykman's defaults for 9a: PIN once, touch never (yubikit DEFAULT policies, slots.ts).
      expected: { pinPolicy: 'once', touchPolicy: 'never' },
    } as const;
    const yubico = loadYubicoTrustStore(join(REPO_ROOT, 'assets', 'attestation'));
    const verified2 = await verifyAttestation({ ...input, trust: withExtraRoots(yubico, [readFileSync(root, 'utf8')]) });
    expect(verified2).toMatchObject({ ok: true, attestation: { firmware: FIRMWARE[profile], serial: key.serial } });
    expect(await verifyAttestation({ ...input, trust: yubico })).toMatchObject({ ok: false, reason: 'untrusted-root' });
  });

  it('exports the public key of a generated key', async () => {
    const pub = key.file('pub.pem');
    const exported = key.file('exported.pem');
    expectSuccess(await ykman(['piv', 'keys', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-a', 'ECCP256', '9d', pub]));
    // From GET METADATA on 5.3+, from ATTEST before (ykman/cli/piv.py export).
    expectSuccess(await ykman(['piv', 'keys', 'export', '9d', exported]));
    expect(pem(readFileSync(exported, 'utf8'))).toBe(pem(readFileSync(pub, 'utf8')));
  });
});
