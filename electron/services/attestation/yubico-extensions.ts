// Yubico's PIV attestation extensions, arc 1.3.6.1.4.1.41482.3
// (docs.yubico.com/hardware/oid/oid-piv-arc; yubico-piv-tool ykpiv.h YKPIV_OID_*;
// piv-go piv/key.go Attestation.addExt reads them the same way):
//   .3.3 firmware version: the extension value is 3 bytes, major minor patch
//   .3.7 serial number: a DER INTEGER
//   .3.8 usage policy: 2 bytes, PIN policy then touch policy (01/02/03)
//   .3.9 form factor: 1 byte (YubiKey 5 and later; device-info form factors)
// Three of them are raw octets, not ASN.1; the serial is decoded with
// @peculiar/asn1-schema.
import { AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import type * as x509 from '../../../native/x509.ts';

export const YUBICO_OID = {
  FIRMWARE_VERSION: '1.3.6.1.4.1.41482.3.3',
  SERIAL_NUMBER: '1.3.6.1.4.1.41482.3.7',
  USAGE_POLICY: '1.3.6.1.4.1.41482.3.8',
  FORM_FACTOR: '1.3.6.1.4.1.41482.3.9',
} as const;

export type PinPolicy = 'never' | 'once' | 'always';
export type TouchPolicy = 'never' | 'always' | 'cached';

/** PIN and touch policy bytes (Yubico PIV extensions, tags AA/AB; yubikit PIN_POLICY, TOUCH_POLICY). */
const PIN_POLICIES: Readonly<Record<number, PinPolicy>> = { 0x01: 'never', 0x02: 'once', 0x03: 'always' };
const TOUCH_POLICIES: Readonly<Record<number, TouchPolicy>> = { 0x01: 'never', 0x02: 'always', 0x03: 'cached' };

/** Form factors (yubikit management FORM_FACTOR; piv-go Formfactor); bit 7 marks a FIPS key. */
const FORM_FACTORS: Readonly<Record<number, string>> = {
  0x00: 'unknown',
  0x01: 'USB-A keychain',
  0x02: 'USB-A nano',
  0x03: 'USB-C keychain',
  0x04: 'USB-C nano',
  0x05: 'USB-C/Lightning keychain',
  0x06: 'USB-A Bio',
  0x07: 'USB-C Bio',
};
const FIPS_BIT = 0x80;

/** The serial's value: `YubicoSerial ::= INTEGER`, declared without decorator syntax (the project compiles without experimentalDecorators). */
class YubicoSerial {
  value: number | string = 0;
}
AsnProp({ type: AsnPropTypes.Integer })(YubicoSerial.prototype, 'value');
AsnType({ type: AsnTypeTypes.Choice })(YubicoSerial);

export interface YubicoAttestation {
  /** "5.4.3" */
  readonly firmware: string;
  readonly serial: number;
  readonly pinPolicy: PinPolicy;
  readonly touchPolicy: TouchPolicy;
  /** Absent on a YubiKey 4 (form factor in attestations came with the YubiKey 5). */
  readonly formFactor: string | undefined;
}

/** A Yubico extension missing or not as Yubico encodes it. */
export class YubicoExtensionError extends Error {
  override readonly name = 'YubicoExtensionError';
}

function extensionValue(cert: x509.X509Certificate, oid: string, required: boolean): Uint8Array | undefined {
  const ext = cert.getExtension(oid);
  if (ext === null) {
    if (required) throw new YubicoExtensionError(`the attestation has no ${oid} extension`);
    return undefined;
  }
  return new Uint8Array(ext.value);
}

function fixedLength(value: Uint8Array, length: number, what: string): Uint8Array {
  if (value.length !== length) throw new YubicoExtensionError(`${what} is ${value.length} bytes, not ${length}`);
  return value;
}

function serialOf(value: Uint8Array): number {
  let decoded: YubicoSerial;
  try {
    decoded = AsnConvert.parse(value, YubicoSerial);
  } catch (error) {
    throw new YubicoExtensionError(`the serial number is not a DER INTEGER (${(error as Error).message})`);
  }
  const serial = Number(decoded.value);
  if (!Number.isSafeInteger(serial) || serial < 0 || serial > 0xffffffff) {
    throw new YubicoExtensionError(`the serial number ${String(decoded.value)} is not a YubiKey serial`);
  }
  return serial;
}

function formFactorOf(value: Uint8Array): string {
  const byte = fixedLength(value, 1, 'the form factor')[0]!;
  const name = FORM_FACTORS[byte & ~FIPS_BIT] ?? `unknown (0x${byte.toString(16).padStart(2, '0')})`;
  return (byte & FIPS_BIT) !== 0 ? `${name} FIPS` : name;
}

/** Reads Yubico's extensions from a slot attestation certificate (what ATTEST answers). */
export function readYubicoAttestation(cert: x509.X509Certificate): YubicoAttestation {
  const firmware = fixedLength(extensionValue(cert, YUBICO_OID.FIRMWARE_VERSION, true)!, 3, 'the firmware version');
  const serial = serialOf(extensionValue(cert, YUBICO_OID.SERIAL_NUMBER, true)!);
  const policy = fixedLength(extensionValue(cert, YUBICO_OID.USAGE_POLICY, true)!, 2, 'the usage policy');
  const pinPolicy = PIN_POLICIES[policy[0]!];
  const touchPolicy = TOUCH_POLICIES[policy[1]!];
  if (pinPolicy === undefined || touchPolicy === undefined) {
    throw new YubicoExtensionError(`unknown PIN/touch policy bytes ${policy[0]!.toString(16)} ${policy[1]!.toString(16)}`);
  }
  const formFactor = extensionValue(cert, YUBICO_OID.FORM_FACTOR, false);
  return {
    firmware: Array.from(firmware).join('.'),
    serial,
    pinPolicy,
    touchPolicy,
    formFactor: formFactor === undefined ? undefined : formFactorOf(formFactor),
  };
}
