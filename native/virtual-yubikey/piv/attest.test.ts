import { generateKeyPairSync, X509Certificate as NodeCertificate } from 'node:crypto';
import { X509Certificate } from '../../x509.ts';
import { describe, expect, it } from 'vitest';
import { createVirtualYubiKey, type ProfileName, type VirtualYubiKey } from '../index.ts';
import { bytesOf, findTlv, parseTemplate, parseTlvs, tlv } from '../tlv.ts';
import { ALG, authenticate, generate, INS, pivCard, selectPiv, send } from './key-test-support.ts';

/** GET DATA 5FFF01 through the card: `53 { 70 cert 71 01 00 FE 00 }`. */
function f9Certificate(card: ReturnType<typeof pivCard>): Uint8Array {
  const reply = send(card, 0xcb, 0x3f, 0xff, tlv(0x5c, bytesOf('5fff01')));
  expect(reply.sw).toBe(0x9000);
  const content = parseTemplate(reply.data, 0x53);
  expect(findTlv(content, 0x71)).toEqual(Uint8Array.of(0x00));
  return findTlv(content, 0x70)!;
}

function extensionValue(cert: X509Certificate, oid: string): string | undefined {
  const ext = cert.extensions.find((e) => e.type === oid);
  return ext === undefined ? undefined : Buffer.from(ext.value).toString('hex');
}

describe('ATTEST', () => {
  it.each([
    ['yk5.4.3', '050403'],
    ['yk5.7.1', '050701'],
  ] as [ProfileName, string][])('attests a generated key on %s, signed by the F9 key', (profile, firmware) => {
    const card = pivCard(profile);
    const publicKey = generate(card, 0x9a, ALG.P256, 0x03, 0x02);
    const reply = send(card, INS.ATTEST, 0x9a, 0x00);
    expect(reply.sw).toBe(0x9000);
    expect(reply.data[0]).toBe(0x30);

    const f9Der = f9Certificate(card);
    const f9 = new NodeCertificate(f9Der);
    const attestation = new NodeCertificate(reply.data);
    expect(attestation.verify(f9.publicKey)).toBe(true);
    expect(attestation.checkIssued(f9)).toBe(true);
    expect(attestation.publicKey.equals(publicKey)).toBe(true);
    expect(attestation.subject).toBe('CN=YubiKey PIV Attestation 9a');
    expect(attestation.issuer).toBe(f9.subject);
    expect(f9.subject).toBe('CN=Yubico PIV Attestation');
    expect(attestation.validFrom).toBe(f9.validFrom);
    expect(attestation.validTo).toBe(f9.validTo);
    expect(attestation.serialNumber).toMatch(/^01[0-9A-F]{30}$/);

    const cert = new X509Certificate(reply.data);
    expect(cert.signatureAlgorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } });
    expect(extensionValue(cert, '1.3.6.1.4.1.41482.3.3')).toBe(firmware);
    // Serial as a DER INTEGER: test-support's cards have serial 12345678 = 0xBC614E.
    expect(card.state.serial).toBe(12345678);
    expect(extensionValue(cert, '1.3.6.1.4.1.41482.3.7')).toBe('020400bc614e');
    expect(extensionValue(cert, '1.3.6.1.4.1.41482.3.8')).toBe('0302');
    expect(extensionValue(cert, '1.3.6.1.4.1.41482.3.9')).toBe('01');
    expect(cert.extensions.every((e) => !e.critical)).toBe(true);
  });

  it('attests RSA keys and retired slots; each answer has a fresh serial', () => {
    const card = pivCard();
    const publicKey = generate(card, 0x95, ALG.RSA1024);
    const first = new NodeCertificate(send(card, INS.ATTEST, 0x95, 0x00).data);
    const second = new NodeCertificate(send(card, INS.ATTEST, 0x95, 0x00).data);
    expect(first.publicKey.equals(publicKey)).toBe(true);
    expect(first.subject).toBe('CN=YubiKey PIV Attestation 95');
    expect(first.serialNumber).not.toBe(second.serialNumber);
  });

  it('attests an Ed25519 key on 5.7', () => {
    const card = pivCard('yk5.7.1');
    const publicKey = generate(card, 0x9c, ALG.ED25519);
    const cert = new NodeCertificate(send(card, INS.ATTEST, 0x9c, 0x00).data);
    expect(cert.publicKey.equals(publicKey)).toBe(true);
  });

  it('on a YubiKey 4 carries firmware, serial and policy but no form factor', () => {
    const card = pivCard('yk4.3.7');
    generate(card, 0x9c, ALG.P384);
    const cert = new X509Certificate(send(card, INS.ATTEST, 0x9c, 0x00).data);
    expect(extensionValue(cert, '1.3.6.1.4.1.41482.3.3')).toBe('040307');
    expect(extensionValue(cert, '1.3.6.1.4.1.41482.3.8')).toBe('0301');
    expect(extensionValue(cert, '1.3.6.1.4.1.41482.3.9')).toBeUndefined();
  });

  it('signs with ECDSA-SHA256 once an EC key and certificate replace F9', () => {
    const card = pivCard();
    generate(card, 0x9d, ALG.P256);
    const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const d = Buffer.from(ca.privateKey.export({ format: 'jwk' }).d!, 'base64url');
    authenticate(card);
    expect(send(card, INS.IMPORT, ALG.P256, 0xf9, tlv(0x06, d)).sw).toBe(0x9000);
    const cert = new NodeCertificate(send(card, INS.ATTEST, 0x9d, 0x00).data);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(new X509Certificate(cert.raw).signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
  });

  it('answers 6A80 for an empty slot and for an imported key', () => {
    const card = pivCard();
    expect(send(card, INS.ATTEST, 0x9a, 0x00).sw).toBe(0x6a80);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    authenticate(card);
    const d = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    expect(send(card, INS.IMPORT, ALG.P256, 0x9a, tlv(0x06, d)).sw).toBe(0x9000);
    expect(send(card, INS.ATTEST, 0x9a, 0x00).sw).toBe(0x6a80);
  });

  it('answers 6A80 when the F9 certificate is gone', () => {
    const card = pivCard();
    generate(card, 0x9a, ALG.P256);
    authenticate(card);
    // PUT DATA with an empty 53 deletes the object.
    expect(send(card, 0xdb, 0x3f, 0xff, Uint8Array.from([...tlv(0x5c, bytesOf('5fff01')), 0x53, 0x00])).sw).toBe(0x9000);
    expect(send(card, INS.ATTEST, 0x9a, 0x00).sw).toBe(0x6a80);
  });

  it('answers 6B00 for F9 itself and non-key references', () => {
    const card = pivCard();
    for (const slot of [0xf9, 0x9b, 0x80, 0x00]) expect(send(card, INS.ATTEST, slot, 0x00).sw).toBe(0x6b00);
  });

  it('needs neither PIN nor management key', () => {
    const card = pivCard();
    generate(card, 0x9e, ALG.P256);
    card.powerOn();
    selectPiv(card);
    expect(send(card, INS.ATTEST, 0x9e, 0x00).sw).toBe(0x9000);
  });

  it('provisions each card with its own root and RSA 2048 F9 key (pin and touch never, origin imported) issued by it', () => {
    // Not pivCard(): test-support shares one factory state between its cards.
    const [a, b] = [createVirtualYubiKey(), createVirtualYubiKey()].map((card) => {
      selectPiv(card);
      return card;
    }) as [VirtualYubiKey, VirtualYubiKey];
    expect(a.state.keys['f9']).toMatchObject({ algorithm: ALG.RSA2048, pinPolicy: 0x01, touchPolicy: 0x01, origin: 'imported' });
    expect(a.state.keys['f9']!.privateKeyPkcs8).not.toBe(b.state.keys['f9']!.privateKeyPkcs8);
    const f9 = new NodeCertificate(f9Certificate(a));
    const root = new NodeCertificate(bytesOf(a.state.attestationRoot!));
    const otherRoot = new NodeCertificate(bytesOf(b.state.attestationRoot!));
    expect(root.subject).toBe(`CN=Virtual YubiKey PIV Root CA Serial ${a.state.serial} (TEST ONLY)`);
    expect(root.ca).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(f9.ca).toBe(true);
    expect(f9.checkIssued(root)).toBe(true);
    expect(f9.verify(root.publicKey)).toBe(true);
    expect(f9.verify(f9.publicKey)).toBe(false);
    expect(f9.verify(otherRoot.publicKey)).toBe(false);
    expect(f9.validFrom).toBe('Mar 14 00:00:00 2016 GMT');
    expect(f9.validTo).toBe('Apr 17 00:00:00 2052 GMT');
    expect(parseTlvs(bytesOf(a.state.objects['5fff01']!)).map((t) => t.tag)).toEqual([0x70, 0x71, 0xfe]);
    // Two new cards are four RSA 2048 keys: seconds on a busy 2-core machine.
  }, 60_000);
});
