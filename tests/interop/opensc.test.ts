// OpenSC's PKCS#11 module signs with a key that ykman generated on the
// virtual card, and openssl verifies the signature with the public key of the
// certificate ykman wrote (the path a browser or OS sign-in takes).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MANAGEMENT_KEY, DEFAULT_PIN, INTEROP_PROFILES, READER, expectSuccess, openssl, pkcs11Tool, useVirtualYubiKey, ykman } from './harness.ts';

/** OpenSC's PIV emulation gives slot 9a's key the object ID 01 (OpenSC src/libopensc/pkcs15-piv.c). */
const KEY_ID_9A = '01';

/** The PKCS#11 slot ID of our reader, from `pkcs11-tool --list-slots` ("Slot 0 (0x0): Virtual PCD 00 00"). */
async function pkcs11SlotOf(reader: string): Promise<string> {
  const { stdout } = expectSuccess(await pkcs11Tool(['--list-slots']));
  const line = stdout.split('\n').find((l) => /^Slot \d+ \(0x[0-9a-f]+\): /i.test(l) && l.includes(reader));
  const id = line ? /\((0x[0-9a-f]+)\)/i.exec(line)?.[1] : undefined;
  if (id === undefined) throw new Error(`no PKCS#11 slot for "${reader}" in:\n${stdout}`);
  return id;
}

const CASES = [
  // pkcs11-tool mechanism names; ECDSA signatures as DER (openssl's form) for `openssl dgst -verify`.
  { algorithm: 'RSA2048', mechanism: 'SHA256-RSA-PKCS', extra: [] as string[] },
  { algorithm: 'ECCP256', mechanism: 'ECDSA-SHA256', extra: ['--signature-format', 'openssl'] },
] as const;

describe.each(INTEROP_PROFILES)('OpenSC pkcs11-tool on %s', (profile) => {
  const key = useVirtualYubiKey(profile, 19_000_006);

  it.each(CASES)('signs with a ykman-generated $algorithm key; openssl verifies with the certificate', async (c) => {
    const pub = key.file('pub.pem');
    const cert = key.file('cert.pem');
    const certPub = key.file('cert-pub.pem');
    const data = key.file('data.bin');
    const signature = key.file('signature.bin');

    expectSuccess(await ykman(['piv', 'keys', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-a', c.algorithm, '9a', pub]));
    expectSuccess(await ykman(['piv', 'certificates', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-P', DEFAULT_PIN, '-s', 'CN=opensc interop', '9a', pub]));
    expectSuccess(await ykman(['piv', 'certificates', 'export', '9a', cert]));
    expectSuccess(await openssl(['x509', '-in', cert, '-noout', '-pubkey', '-out', certPub]));
    writeFileSync(data, randomBytes(1000));

    const slot = await pkcs11SlotOf(READER);
    expectSuccess(
      await pkcs11Tool([
        '--slot',
        slot,
        '--login',
        '--pin',
        DEFAULT_PIN,
        '--sign',
        '--mechanism',
        c.mechanism,
        '--id',
        KEY_ID_9A,
        '--input-file',
        data,
        '--output-file',
        signature,
        ...c.extra,
      ]),
    );

    const verified = expectSuccess(await openssl(['dgst', '-sha256', '-verify', certPub, '-signature', signature, data]));
    expect(verified.stdout).toContain('Verified OK');
  });

  it('lists the certificate and key of slot 9a as PKCS#11 objects', async () => {
    const pub = key.file('pub.pem');
    expectSuccess(await ykman(['piv', 'keys', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-a', 'ECCP256', '9a', pub]));
    expectSuccess(await ykman(['piv', 'certificates', 'generate', '-m', DEFAULT_MANAGEMENT_KEY, '-P', DEFAULT_PIN, '-s', 'CN=listed', '9a', pub]));
    const slot = await pkcs11SlotOf(READER);
    const { stdout } = expectSuccess(await pkcs11Tool(['--slot', slot, '--list-objects']));
    expect(stdout).toMatch(/Certificate Object[\s\S]*subject:\s+DN: CN=listed/);
    expect(stdout).toMatch(new RegExp(`ID:\\s+${KEY_ID_9A}`));
  });
});
