// The attestation key in slot F9 and its certificate in object 5FFF01, which
// every YubiKey since 4.3 carries from the factory (developers.yubico.com
// yubico-piv-tool/Attestation; ykpiv.h YKPIV_KEY_ATTESTATION, YKPIV_OBJ_ATTESTATION).
// Reset keeps both (piv-yubikey-apdus.md §6). A real key's F9 certificate is
// issued by Yubico's PIV root ("Yubico PIV Root CA Serial 263751"; from 5.7.4
// by "Yubico PIV Attestation {A,B} 1" under "Yubico Attestation Root 1"). The
// virtual key cannot have that: each card gets its own root instead, made with
// the card and kept in its state (attestationRoot), which issues its F9
// certificate. Chains verify against that root only, so a test or the demo
// must trust it on purpose (policy attestation.extraRoots), and verification
// against Yubico's roots fails, as it must for a test device.
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { BasicConstraints, id_ce_basicConstraints, id_ce_keyUsage, KeyUsage, KeyUsageFlags } from '@peculiar/asn1-x509';
import type { CardState } from '../state.ts';
import { bytesOf, cat, findTlv, hexOf, parseTlvs, tlv } from '../tlv.ts';
import { ALG, algorithmOfRecord } from './algorithms.ts';
import { buildCertificate, commonName, encodedExtension, validity } from './certificate.ts';
import { generatePrivateKey, keyRecord } from './key-factory.ts';
import { PIN_POLICY, SLOT, slotHex, TOUCH_POLICY } from './slots.ts';

/** Object id of the attestation certificate (ykpiv.h YKPIV_OBJ_ATTESTATION), as state.objects keys it. */
export const ATTESTATION_OBJECT_ID = '5fff01';

/** Subject of the F9 certificate on every YubiKey 4.3+/5 (the issuer of real attestation certificates). */
const F9_SUBJECT = 'Yubico PIV Attestation';
/** The per-card root's name: as Yubico's "Yubico PIV Root CA Serial 263751", but never mistaken for it. */
const rootSubject = (serial: number): string => `Virtual YubiKey PIV Root CA Serial ${serial} (TEST ONLY)`;
/**
 * Validity of Yubico's F9 certificates, which ATTEST copies: 2016-03-14 to
 * 2052-04-17, as seen in attestation certificates from 5.2.6 and 5.4.3 keys.
 */
const F9_NOT_BEFORE = new Date(Date.UTC(2016, 2, 14));
const F9_NOT_AFTER = new Date(Date.UTC(2052, 3, 17));

/** Certificate object layout (SP 800-73-4 Part 1 Table 10; yubikit piv.py put_certificate). */
const TAG_CERTIFICATE = 0x70;
const TAG_CERT_INFO = 0x71;
const TAG_LRC = 0xfe;
const CERT_INFO_GZIP = 0x01;

/** A certificate object as ykman writes it: `70 cert 71 01 00 FE 00` (uncompressed, empty LRC). */
export function certificateObject(der: Uint8Array): Uint8Array {
  return cat(tlv(TAG_CERTIFICATE, der), tlv(TAG_CERT_INFO, Uint8Array.of(0x00)), tlv(TAG_LRC, new Uint8Array(0)));
}

/** The DER of the certificate in 5FFF01 (gunzipped if stored compressed), or undefined. */
export function attestationCertificateDer(state: CardState): Uint8Array | undefined {
  const hex = state.objects[ATTESTATION_OBJECT_ID];
  if (hex === undefined) return undefined;
  try {
    const tlvs = parseTlvs(bytesOf(hex));
    const der = findTlv(tlvs, TAG_CERTIFICATE);
    if (der === undefined) return undefined;
    return findTlv(tlvs, TAG_CERT_INFO)?.[0] === CERT_INFO_GZIP ? Uint8Array.from(gunzipSync(der)) : der;
  } catch {
    return undefined;
  }
}

/** A positive 16-byte certificate serial (RFC 5280 §4.1.2.2: positive, at most 20 bytes). */
export function randomSerialNumber(): Uint8Array {
  const serial = Uint8Array.from(randomBytes(16));
  // Real attestation serials start with 01 (all samples seen): positive, full length.
  serial[0] = 0x01;
  return serial;
}

/**
 * A CA certificate (RFC 5280 §4.2.1.9, §4.2.1.3) as Yubico's PIV root is:
 * basicConstraints CA with a path length, keyUsage keyCertSign and cRLSign.
 */
function caExtensions(pathLength: number): ReturnType<typeof encodedExtension>[] {
  return [
    encodedExtension(id_ce_basicConstraints, new BasicConstraints({ cA: true, pathLenConstraint: pathLength }), true),
    encodedExtension(id_ce_keyUsage, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign), true),
  ];
}

/** DER of the card's own attestation root (undefined for a card whose state has none). */
export function attestationRootDer(state: CardState): Uint8Array | undefined {
  return state.attestationRoot === undefined ? undefined : bytesOf(state.attestationRoot);
}

/**
 * Gives a new card its attestation root and its F9 key (RSA 2048, as Yubico's
 * factory keys: their attestation certificates are sha256WithRSAEncryption)
 * with a certificate issued by that root. The root's private key is dropped
 * once F9 is certified: like Yubico's, it never signs for this card again.
 * The F9 key is "imported" in GET METADATA, as on real keys (Yubico puts it on
 * the key in the factory). Synchronous: newCardState calls it while building the state.
 */
export function provisionAttestationKey(state: CardState): void {
  const alg = algorithmOfRecord(ALG.RSA2048);
  const rootKey = generatePrivateKey(alg);
  const rootName = commonName(rootSubject(state.serial));
  const rootDer = buildCertificate({
    serialNumber: randomSerialNumber(),
    issuer: rootName,
    subject: rootName,
    validity: validity(F9_NOT_BEFORE, F9_NOT_AFTER),
    subjectKey: rootKey,
    extensions: caExtensions(1),
    signer: rootKey,
  });

  const privateKey = generatePrivateKey(alg);
  const policies = { pinPolicy: PIN_POLICY.NEVER, touchPolicy: TOUCH_POLICY.NEVER };
  state.keys[slotHex(SLOT.ATTESTATION)] = keyRecord(alg, privateKey, policies, 'imported');
  const der = buildCertificate({
    serialNumber: randomSerialNumber(),
    issuer: rootName,
    subject: commonName(F9_SUBJECT),
    validity: validity(F9_NOT_BEFORE, F9_NOT_AFTER),
    subjectKey: privateKey,
    // A CA certificate, so OpenSSL accepts it as the issuer of attestations.
    extensions: caExtensions(0),
    signer: rootKey,
  });
  state.objects[ATTESTATION_OBJECT_ID] = hexOf(certificateObject(der));
  state.attestationRoot = hexOf(rootDer);
}
