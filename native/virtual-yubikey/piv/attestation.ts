// The attestation key in slot F9 and its certificate in object 5FFF01, which
// every YubiKey since 4.3 carries from the factory (developers.yubico.com
// yubico-piv-tool/Attestation; ykpiv.h YKPIV_KEY_ATTESTATION, YKPIV_OBJ_ATTESTATION).
// Reset keeps both (piv-yubikey-apdus.md §6). A real key's F9 certificate is
// issued by Yubico's PIV root; the virtual key cannot have that, so its F9
// certificate is self-signed: chains built on it verify, and verification
// against Yubico's real root fails, as it must for a test device.
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { BasicConstraints, id_ce_basicConstraints } from '@peculiar/asn1-x509';
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
 * Gives a new card its F9 key (RSA 2048, as Yubico's factory keys: their
 * attestation certificates are sha256WithRSAEncryption) and certificate.
 * Synchronous: newCardState calls it while building the state.
 */
export function provisionAttestationKey(state: CardState): void {
  const alg = algorithmOfRecord(ALG.RSA2048);
  const privateKey = generatePrivateKey(alg);
  const policies = { pinPolicy: PIN_POLICY.NEVER, touchPolicy: TOUCH_POLICY.NEVER };
  state.keys[slotHex(SLOT.ATTESTATION)] = keyRecord(alg, privateKey, policies, 'generated');
  const name = commonName(F9_SUBJECT);
  const der = buildCertificate({
    serialNumber: randomSerialNumber(),
    issuer: name,
    subject: name,
    validity: validity(F9_NOT_BEFORE, F9_NOT_AFTER),
    subjectKey: privateKey,
    // A CA certificate (RFC 5280 §4.2.1.9), so OpenSSL accepts it as the issuer of attestations.
    extensions: [encodedExtension(id_ce_basicConstraints, new BasicConstraints({ cA: true }), true)],
    signer: privateKey,
  });
  state.objects[ATTESTATION_OBJECT_ID] = hexOf(certificateObject(der));
}
