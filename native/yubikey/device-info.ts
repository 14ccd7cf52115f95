// Device information from the YubiKey management application (AID
// A000000527471117, READ CONFIG INS 1D from firmware 4.1; yubikit/management.py
// and piv-yubikey-apdus.md §1) and the product name ykman derives from it
// (ykman/device.py get_name), for showing users which key is which.
import { NativeError } from '../errors.ts';
import { selectApplication, sendCommand } from '../piv/apdu.ts';
import type { CardConnection } from '../pcsc/transport.ts';
import { MANAGEMENT_AID, YUBIKEY_INS } from '../piv/constants.ts';
import { SW_OK } from '../piv/status-words.ts';
import { decodeTlvs, findTlv } from '../piv/tlv.ts';
import { atLeast, type FirmwareVersion } from './version.ts';

const TAG_USB_SUPPORTED = 0x01;
const TAG_SERIAL = 0x02;
const TAG_FORM_FACTOR = 0x04;
const TAG_VERSION = 0x05;
const TAG_NFC_SUPPORTED = 0x0d;

/** Form factors (device-info tag 04, low nibble), yubikit management.FORM_FACTOR. */
const FORM_FACTOR = { USB_A_KEYCHAIN: 1, USB_A_NANO: 2, USB_C_KEYCHAIN: 3, USB_C_NANO: 4, USB_C_LIGHTNING: 5, USB_A_BIO: 6, USB_C_BIO: 7 } as const;

export interface DeviceInfo {
  readonly serial: number | null;
  readonly version: FirmwareVersion | null;
  readonly formFactor: number;
  readonly nfc: boolean;
  readonly usbSupported: number;
}

/** Reads device info; null when the key has no management application or READ CONFIG (before 4.1). Leaves PIV unselected. */
export async function readDeviceInfo(connection: CardConnection): Promise<DeviceInfo | null> {
  const select = await selectApplication(connection, MANAGEMENT_AID);
  if (select.sw !== SW_OK) return null;
  const r = await sendCommand(connection, { ins: YUBIKEY_INS.READ_CONFIG, p1: 0, p2: 0 });
  if (r.sw !== SW_OK) return null;
  // One length byte, then TLVs (yubikit DeviceInfo.parse).
  const length = r.data[0];
  if (length === undefined || length !== r.data.length - 1) throw new NativeError('INVALID_RESPONSE', { part: 'device-info' });
  const tlvs = decodeTlvs(r.data.subarray(1));
  const int = (tag: number): number | null => {
    const v = findTlv(tlvs, tag);
    return v === undefined || v.length === 0 ? null : v.reduce((n, b) => n * 256 + b, 0);
  };
  const version = findTlv(tlvs, TAG_VERSION);
  return {
    serial: int(TAG_SERIAL),
    version: version !== undefined && version.length === 3 ? { major: version[0]!, minor: version[1]!, patch: version[2]! } : null,
    formFactor: (int(TAG_FORM_FACTOR) ?? 0) & 0x0f,
    nfc: (int(TAG_NFC_SUPPORTED) ?? 0) !== 0,
    usbSupported: int(TAG_USB_SUPPORTED) ?? 0,
  };
}

/** "YubiKey 5 NFC", "YubiKey 5C Nano", "YubiKey 4", ... (the names ykman prints). */
export function productName(version: FirmwareVersion, info: DeviceInfo | null): string {
  if (version.major === 4) return 'YubiKey 4';
  if (version.major < 4) return 'YubiKey';
  if (!atLeast(version, 5, 1, 0) || info === null) return 'YubiKey 5';
  const ff = info.formFactor;
  const parts = ['YubiKey'];
  const bio = ff === FORM_FACTOR.USB_A_BIO || ff === FORM_FACTOR.USB_C_BIO;
  if (!bio) parts.push('5');
  if (ff === FORM_FACTOR.USB_C_KEYCHAIN || ff === FORM_FACTOR.USB_C_NANO || ff === FORM_FACTOR.USB_C_BIO) parts.push('C');
  else if (ff === FORM_FACTOR.USB_C_LIGHTNING) parts.push('Ci');
  if (ff === FORM_FACTOR.USB_A_NANO || ff === FORM_FACTOR.USB_C_NANO) parts.push('Nano');
  if (info.nfc) parts.push('NFC');
  else if (ff === FORM_FACTOR.USB_A_KEYCHAIN) parts.push('A');
  if (bio) parts.push('Bio');
  return parts.join(' ').replace('5 C', '5C').replace('5 A', '5A');
}
