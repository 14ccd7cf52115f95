// The device-info record a YubiKey answers to READ CONFIG (management applet,
// INS 1D) and to the OTP applet's "get device info" slot command: one length
// byte, then TLVs. Tags: yubikit/management.py TAG_*; piv-yubikey-apdus.md §1.
//
// What each profile reports, and why:
// - 5.x profiles are a YubiKey 5 NFC, USB-A keychain (design.md). The tag set
//   and order follow a real YubiKey 5 NFC 5.4.3 reading
//   (2e 0102033f 0302033f 0204<serial> 040101 0503050403 06020000 07010f 080100
//   0d02033f 0e02033f 0a0100 0f0100) and, for 5.7, Yubico's own 5.7.x test
//   vectors in yubikey-manager tests/test_device.py (tags 20/21, more-data 10
//   and a second page with 11, 12, 14-17). The part number (13) is left out:
//   we know no real value for this model.
// - 4.x profiles are a YubiKey 4 (USB only, no NFC). READ CONFIG exists from
//   4.1.0 (yubikit read_device_info require_version; yesdk "Get device
//   information": "firmware 4.1 and later"). A YubiKey 4 has no version tag
//   (05: yubikit falls back to the SELECT version), no NFC tags (0D/0E), no
//   lock code (0A, write config needs 5.0.0). Its USB-enabled tag (03) is
//   ignored by yubikit on 4.x ("Broken on YK4"), so we leave it out; the
//   supported mask is 003F, the value yubikit itself substitutes for 4.2.4.
//   These 4.x bytes are our best reconstruction, not a captured reading.
import type { Profile } from './profiles.ts';
import type { CardState } from './state.ts';
import { CardStatus, SW } from './sw.ts';
import { cat, tlv } from './tlv.ts';

/** yubikit/management.py TAG_* (and newer yubikit for 0F-21). */
const TAG = {
  USB_SUPPORTED: 0x01,
  SERIAL: 0x02,
  USB_ENABLED: 0x03,
  FORM_FACTOR: 0x04,
  VERSION: 0x05,
  AUTO_EJECT_TIMEOUT: 0x06,
  CHALRESP_TIMEOUT: 0x07,
  DEVICE_FLAGS: 0x08,
  CONFIG_LOCK: 0x0a,
  NFC_SUPPORTED: 0x0d,
  NFC_ENABLED: 0x0e,
  IAP_DETECTION: 0x0f,
  MORE_DATA: 0x10,
  FREE_FORM: 0x11,
  HID_INIT_DELAY: 0x12,
  FIPS_CAPABLE: 0x14,
  FIPS_APPROVED: 0x15,
  PIN_COMPLEXITY: 0x16,
  NFC_RESTRICTED: 0x17,
  FPS_VERSION: 0x20,
  STM_VERSION: 0x21,
} as const;

/** Capability bits, yubikit/management.py CAPABILITY (0x04 is the CCID interface bit real keys also set). */
export const CAPABILITY = {
  OTP: 0x0001,
  U2F: 0x0002,
  CCID: 0x0004,
  OPENPGP: 0x0008,
  PIV: 0x0010,
  OATH: 0x0020,
  HSMAUTH: 0x0100,
  FIDO2: 0x0200,
} as const;

/** YubiKey 5 NFC from 5.4.3 (YubiHSM Auth added in 5.4.3, yesdk): 033F, as the real readings show. */
const YK5_CAPABILITIES =
  CAPABILITY.OTP | CAPABILITY.U2F | CAPABILITY.CCID | CAPABILITY.OPENPGP | CAPABILITY.PIV | CAPABILITY.OATH | CAPABILITY.HSMAUTH | CAPABILITY.FIDO2;
/** YubiKey 4: OTP, U2F, CCID, OpenPGP, PIV, OATH (yubikit's 4.2.4 substitute value 3F). */
const YK4_CAPABILITIES = CAPABILITY.OTP | CAPABILITY.U2F | CAPABILITY.CCID | CAPABILITY.OPENPGP | CAPABILITY.PIV | CAPABILITY.OATH;

/** Form factor 01 = USB-A keychain (yubikit FORM_FACTOR.USB_A_KEYCHAIN). */
const FORM_FACTOR_USB_A_KEYCHAIN = 0x01;
/** OTP challenge-response timeout, seconds; 15 is the factory value real keys report (07 01 0F). */
const DEFAULT_CHALRESP_TIMEOUT = 0x0f;

const u16 = (n: number): Uint8Array => Uint8Array.from([n >> 8, n & 0xff]);
const u8 = (n: number): Uint8Array => Uint8Array.from([n]);
const zeros = (n: number): Uint8Array => new Uint8Array(n);

/** Serial as yubikit reads it: big-endian, 4 bytes (bytes2int). */
function serialBytes(serial: number): Uint8Array {
  return Uint8Array.from([(serial >>> 24) & 0xff, (serial >>> 16) & 0xff, (serial >>> 8) & 0xff, serial & 0xff]);
}

/** Firmware with paged device info (tag 10 "more data"): 5.6+, as Yubico's 5.7 test vectors show. */
function hasPagedInfo(profile: Profile): boolean {
  const [major, minor] = profile.version;
  return major > 5 || (major === 5 && minor >= 6);
}

/** The TLV pages of this key's device info (page 0 first). */
function devicePages(state: CardState, profile: Profile): Uint8Array[] {
  if (profile.version[0] < 5) {
    return [
      cat(
        tlv(TAG.USB_SUPPORTED, u16(YK4_CAPABILITIES)),
        tlv(TAG.SERIAL, serialBytes(state.serial)),
        tlv(TAG.FORM_FACTOR, u8(FORM_FACTOR_USB_A_KEYCHAIN)),
        tlv(TAG.AUTO_EJECT_TIMEOUT, zeros(2)),
        tlv(TAG.CHALRESP_TIMEOUT, u8(DEFAULT_CHALRESP_TIMEOUT)),
        tlv(TAG.DEVICE_FLAGS, u8(0)),
      ),
    ];
  }
  const nfc = profile.nfc ? [tlv(TAG.NFC_SUPPORTED, u16(YK5_CAPABILITIES)), tlv(TAG.NFC_ENABLED, u16(YK5_CAPABILITIES))] : [];
  const page0 = [
    tlv(TAG.USB_SUPPORTED, u16(YK5_CAPABILITIES)),
    tlv(TAG.USB_ENABLED, u16(YK5_CAPABILITIES)),
    tlv(TAG.SERIAL, serialBytes(state.serial)),
    tlv(TAG.FORM_FACTOR, u8(FORM_FACTOR_USB_A_KEYCHAIN)),
    tlv(TAG.VERSION, Uint8Array.from(profile.version)),
    tlv(TAG.AUTO_EJECT_TIMEOUT, zeros(2)),
    tlv(TAG.CHALRESP_TIMEOUT, u8(DEFAULT_CHALRESP_TIMEOUT)),
    tlv(TAG.DEVICE_FLAGS, u8(0)),
    ...nfc,
    tlv(TAG.CONFIG_LOCK, u8(0)),
    tlv(TAG.IAP_DETECTION, u8(0)),
  ];
  if (!hasPagedInfo(profile)) return [cat(...page0)];
  return [
    cat(...page0, tlv(TAG.FPS_VERSION, zeros(3)), tlv(TAG.STM_VERSION, zeros(3)), tlv(TAG.MORE_DATA, u8(1))),
    cat(
      tlv(TAG.FREE_FORM, zeros(4)),
      tlv(TAG.HID_INIT_DELAY, u8(0)),
      tlv(TAG.FIPS_CAPABLE, zeros(2)),
      tlv(TAG.FIPS_APPROVED, zeros(2)),
      tlv(TAG.PIN_COMPLEXITY, u8(0)),
      tlv(TAG.NFC_RESTRICTED, u8(0)),
    ),
  ];
}

/**
 * One page of device info: length byte + TLVs (yubikit DeviceInfo.parse checks
 * `len(encoded) - 1 == encoded[0]`). A page the key does not have is answered
 * with 6A86 (incorrect P1/P2): unconfirmed on hardware, but no Yubico client
 * asks for a page unless the previous one said "more data".
 */
export function deviceInfoPage(state: CardState, profile: Profile, page: number): Uint8Array {
  const body = devicePages(state, profile)[page];
  if (body === undefined) throw new CardStatus(SW.INCORRECT_P1P2);
  return cat(u8(body.length), body);
}
