import { createHash, createPublicKey, createVerify } from 'node:crypto';
import * as x509 from '../x509.ts';
import { describe, expect, it } from 'vitest';
import { NativeError } from '../errors.ts';
import { VirtualTransport } from '../virtual-yubikey/virtual-transport.ts';
import { createVirtualYubiKey, type ProfileName } from '../virtual-yubikey/index.ts';
import { authenticateManagementKey, managementKeyAlgorithm } from '../yubikey/management-key.ts';
import { managementKeyState, protectManagementKey, readProtectedManagementKey, authenticateWithKnownKey } from '../yubikey/pivman.ts';
import { cardKeyPair } from './card-signer.ts';
import { DEFAULT_MANAGEMENT_KEY, SLOT } from './constants.ts';
import { generateKey, signWithSlot } from './keys.ts';
import { readCertificate, writeCertificate } from './objects.ts';
import { secretFromText } from './secrets.ts';
import { PivSession } from './session.ts';

const READER = 'Virtual PCD 00 00';

async function open(profile: ProfileName, serial = 12345678): Promise<PivSession> {
  const transport = new VirtualTransport();
  transport.insert(READER, createVirtualYubiKey({ profile, serial }));
  return PivSession.open(await transport.connect(READER, 'exclusive'));
}

async function rejection(p: Promise<unknown>): Promise<NativeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NativeError) return e;
    throw e;
  }
  throw new Error('expected a NativeError');
}

const pin = (s: string): Uint8Array => secretFromText(s);

describe.each<[ProfileName, string]>([
  ['yk5.4.3', '5.4.3'],
  ['yk5.7.1', '5.7.1'],
  ['yk4.3.7', '4.3.7'],
])('PIV session on %s', (profile, version) => {
  it('reads firmware version and serial', async () => {
    const s = await open(profile, 23456789);
    expect(`${s.version.major}.${s.version.minor}.${s.version.patch}`).toBe(version);
    expect(await s.serial()).toBe(23456789);
    // The PIV applet is selected again after reading the serial (OTP on YubiKey 4).
    expect(await s.pinRetries()).toBe(3);
  });

  it('counts PIN tries without spending one, and reports wrong PINs with tries left', async () => {
    const s = await open(profile);
    expect(await s.pinRetries()).toBe(3);
    const wrong = await rejection(s.verifyPin(pin('000000')));
    expect(wrong.code).toBe('PIN_INCORRECT');
    expect(wrong.retries).toBe(2);
    expect(await s.pinRetries()).toBe(2);
    await s.verifyPin(pin('123456'));
    expect(await s.pinRetries()).toBe(profile.startsWith('yk4') ? null : 3);
  });

  it('blocks the PIN after three wrong tries, and the PUK unblocks it', async () => {
    const s = await open(profile);
    for (const left of [2, 1]) expect((await rejection(s.verifyPin(pin('999999')))).retries).toBe(left);
    expect((await rejection(s.verifyPin(pin('999999')))).code).toBe('PIN_BLOCKED');
    expect((await rejection(s.verifyPin(pin('123456')))).code).toBe('PIN_BLOCKED');
    expect(await s.pinRetries()).toBe(0);
    const badPuk = await rejection(s.unblockPin(pin('87654321'), pin('11223344')));
    expect(badPuk.code).toBe('PUK_INCORRECT');
    expect(badPuk.retries).toBe(2);
    await s.unblockPin(pin('12345678'), pin('11223344'));
    await s.verifyPin(pin('11223344'));
  });

  it('changes PIN and PUK', async () => {
    const s = await open(profile);
    await s.changeReference('pin', pin('123456'), pin('24681357'));
    expect((await rejection(s.verifyPin(pin('123456')))).code).toBe('PIN_INCORRECT');
    await s.verifyPin(pin('24681357'));
    await s.changeReference('puk', pin('12345678'), pin('87654321'));
    const wrongPuk = await rejection(s.changeReference('puk', pin('12345678'), pin('11111111')));
    expect(wrongPuk.code).toBe('PUK_INCORRECT');
  });

  it('zeroes the PIN buffer after use', async () => {
    const s = await open(profile);
    const secret = pin('123456');
    await s.verifyPin(secret);
    expect([...secret].every((b) => b === 0)).toBe(true);
  });

  it('authenticates with the default management key of its firmware, and refuses a wrong one', async () => {
    const s = await open(profile);
    const algorithm = await managementKeyAlgorithm(s);
    expect(algorithm).toBe(profile === 'yk5.7.1' ? 'AES192' : 'TDES');
    await authenticateManagementKey(s, algorithm, Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
    const wrong = await rejection(authenticateManagementKey(s, algorithm, new Uint8Array(24).fill(7)));
    expect(wrong.code).toBe('MGMT_AUTH_FAILED');
  });

  it('stores a random management key PIN-protected, as ykman does', async () => {
    const s = await open(profile);
    expect(await managementKeyState(s)).toBe('default');
    await s.verifyPin(pin('123456'));
    await authenticateWithKnownKey(s);
    await protectManagementKey(s);
    expect(await managementKeyState(s)).toBe('protected');
    const stored = await readProtectedManagementKey(s);
    expect(stored).not.toBeNull();
    await authenticateWithKnownKey(s);
    const wrong = await rejection(authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY)));
    expect(wrong.code).toBe('MGMT_AUTH_FAILED');
  });

  it('writes and reads back a 2,000-byte certificate object (command and response chaining)', async () => {
    const s = await open(profile);
    await authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
    const der = Uint8Array.from({ length: 2000 }, (_, i) => (i * 7) & 0xff);
    der[0] = 0x30;
    await writeCertificate(s, SLOT.AUTHENTICATION, der);
    expect(await readCertificate(s, SLOT.AUTHENTICATION)).toEqual(der);
    expect(await readCertificate(s, SLOT.SIGNATURE)).toBeNull();
  });

  it('generates an ECC P-256 key that signs a CSR on the key', async () => {
    const s = await open(profile);
    await authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
    const publicKey = await generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'ECCP256' });
    await s.verifyPin(pin('123456'));
    const pair = await cardKeyPair(s, SLOT.AUTHENTICATION, 'ECCP256', publicKey);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create(
      { name: 'CN=alice', keys: pair.keys, signingAlgorithm: pair.signingAlgorithm },
      pair.crypto,
    );
    expect(await csr.verify(pair.crypto)).toBe(true);
    const spki = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
    expect(spki.export({ format: 'jwk' })).toEqual(publicKey.export({ format: 'jwk' }));
  });
});

describe('RSA keys', () => {
  it('an RSA 2048 key signs a CSR that verifies (PKCS#1 v1.5 on the key)', async () => {
    const s = await open('yk5.4.3');
    await authenticateManagementKey(s, 'TDES', Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
    const publicKey = await generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'RSA2048' });
    await s.verifyPin(pin('123456'));
    const pair = await cardKeyPair(s, SLOT.AUTHENTICATION, 'RSA2048', publicKey);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=bob', keys: pair.keys, signingAlgorithm: pair.signingAlgorithm }, pair.crypto);
    expect(await csr.verify(pair.crypto)).toBe(true);
  });

  it('refuses on-card RSA generation on a ROCA-affected YubiKey 4 and suggests ECC', async () => {
    const s = await open('yk4.3.4');
    await authenticateManagementKey(s, 'TDES', Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
    const e = await rejection(generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'RSA2048' }));
    expect(e.code).toBe('ROCA_VULNERABLE');
    expect(e).toMatchObject({ facts: { advice: 'use-ecc' } });
    await generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'ECCP256' });
  });

  it('a signature needs the PIN when the slot policy says so', async () => {
    const s = await open('yk5.4.3');
    await authenticateManagementKey(s, 'TDES', Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
    const publicKey = await generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'ECCP256' });
    const message = new TextEncoder().encode('sign-in challenge');
    const digest = new Uint8Array(createHash('sha256').update(message).digest());
    const e = await rejection(signWithSlot(s, SLOT.AUTHENTICATION, 'ECCP256', digest));
    expect(e.code).toBe('SECURITY_STATUS');
    await s.verifyPin(pin('123456'));
    const der = await signWithSlot(s, SLOT.AUTHENTICATION, 'ECCP256', digest);
    expect(createVerify('sha256').update(message).verify({ key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
  });
});

describe('full PIV reset', () => {
  it.each<ProfileName>(['yk5.4.3', 'yk5.7.1', 'yk4.3.7'])('blocks PIN and PUK, resets, and leaves factory state on %s', async (profile) => {
    const { resetPiv } = await import('./reset.ts');
    const s = await open(profile);
    await s.changeReference('pin', pin('123456'), pin('24681357'));
    await s.verifyPin(pin('24681357'));
    await authenticateWithKnownKey(s);
    await protectManagementKey(s);
    await writeCertificate(s, SLOT.AUTHENTICATION, Uint8Array.of(0x30, 0x00));
    await resetPiv(s);
    expect(await s.pinRetries()).toBe(3);
    await s.verifyPin(pin('123456'));
    expect(await managementKeyState(s)).toBe('default');
    expect(await readCertificate(s, SLOT.AUTHENTICATION)).toBeNull();
    await s.changeReference('puk', pin('12345678'), pin('12345678'));
  });
});
