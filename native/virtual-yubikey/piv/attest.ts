// ATTEST (Yubico extension, INS F9, P1 = slot, P2 = 00; firmware 4.3+):
// answers a DER X.509 certificate for the slot's public key, signed by the F9
// key. Layout per docs.yubico.com/hardware/oid/oid-piv-arc: random 16-byte
// serial, issuer = subject of the F9 certificate, dates copied from it, subject
// "YubiKey PIV Attestation <slot>", SHA-256 signature, and the extensions below.
import { AsnIntegerConverter } from '@peculiar/asn1-schema';
import type { CardState } from '../state.ts';
import { CardStatus, SW } from '../sw.ts';
import { algorithmOfRecord } from './algorithms.ts';
import { attestationCertificateDer, randomSerialNumber } from './attestation.ts';
import { buildCertificate, commonName, parseCertificate, rawExtension } from './certificate.ts';
import type { PivContext, PivHandler } from './context.ts';
import { privateKeyOf } from './public-key.ts';
import { isOperationSlot, requireSlot, SLOT, slotHex } from './slots.ts';

/** Yubico PIV attestation extensions, arc 1.3.6.1.4.1.41482.3 (oid-piv-arc; ykpiv.h YKPIV_OID_*). */
const OID = {
  FIRMWARE_VERSION: '1.3.6.1.4.1.41482.3.3',
  SERIAL_NUMBER: '1.3.6.1.4.1.41482.3.7',
  USAGE_POLICY: '1.3.6.1.4.1.41482.3.8',
  FORM_FACTOR: '1.3.6.1.4.1.41482.3.9',
} as const;

/** Form factor 01 = USB-A keychain (yubikit FORM_FACTOR; the YubiKey 5 NFC of our 5.x profiles, as device-info.ts reports). */
const FORM_FACTOR_USB_A_KEYCHAIN = 0x01;
/** YubiKey 5 introduced reporting the form factor through PIV (YubiKey 5 Series Technical Manual, "Easier Identification"). */
const FORM_FACTOR_SINCE_MAJOR = 5;

/** 6A80 is what a YubiKey answers for an empty slot or an imported key (yesdk issue #9; piv-go Attest maps it to ErrNotFound). */
const notAttestable = (): CardStatus => new CardStatus(SW.INCORRECT_DATA);

function extensions(ctx: PivContext, pinPolicy: number, touchPolicy: number): ReturnType<typeof rawExtension>[] {
  const { profile, state } = ctx;
  const serial = new Uint8Array(AsnIntegerConverter.toASN(state.serial).toBER());
  const list = [
    // Firmware as 3 raw bytes (e.g. 05 04 03), serial as a DER INTEGER, policies as 2 raw bytes.
    rawExtension(OID.FIRMWARE_VERSION, Uint8Array.from(profile.version)),
    rawExtension(OID.SERIAL_NUMBER, serial),
    rawExtension(OID.USAGE_POLICY, Uint8Array.of(pinPolicy, touchPolicy)),
  ];
  if (profile.version[0] >= FORM_FACTOR_SINCE_MAJOR) {
    list.push(rawExtension(OID.FORM_FACTOR, Uint8Array.of(FORM_FACTOR_USB_A_KEYCHAIN)));
  }
  return list;
}

function signingKey(state: CardState): ReturnType<typeof privateKeyOf> {
  const record = state.keys[slotHex(SLOT.ATTESTATION)];
  // X25519 cannot sign; a deleted F9 key leaves nothing to sign with.
  if (record === undefined || algorithmOfRecord(record.algorithm).kind === 'x25519') throw notAttestable();
  return privateKeyOf(record);
}

export const attest: PivHandler = (command, ctx) => {
  const slot = requireSlot(command.p1, isOperationSlot);
  const record = ctx.state.keys[slot];
  // Only keys generated on the card can be attested (oid-piv-arc "Implementation").
  if (record?.origin !== 'generated') throw notAttestable();
  const f9Der = attestationCertificateDer(ctx.state);
  const f9 = f9Der === undefined ? undefined : parseCertificate(f9Der);
  if (f9 === undefined) throw notAttestable();

  return buildCertificate({
    serialNumber: randomSerialNumber(),
    issuer: f9.tbsCertificate.subject,
    subject: commonName(`YubiKey PIV Attestation ${slot}`),
    validity: f9.tbsCertificate.validity,
    subjectKey: privateKeyOf(record),
    extensions: extensions(ctx, record.pinPolicy, record.touchPolicy),
    signer: signingKey(ctx.state),
  });
};
