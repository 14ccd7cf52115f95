// The YubiKey management applet, as far as `ykman info` / `ykman list` and
// `ykman piv ...` (which reads device info first) need it:
// SELECT -> version string, READ CONFIG -> device info (device-info.ts).
// Sources: yubikit/management.py (_ManagementSmartCardBackend, INS_*),
// ykman/device.py (_read_info_ccid), piv-yubikey-apdus.md §1.
//
// What ykman 4.0.9 does with this card behind "Virtual PCD 00 0N":
// ykman/pcsc names a reader without "yubico yubikey" an NFC device and gives it
// no USB PID, so read_info() keeps the USB-enabled mask only if the key sends
// one (tag 03, 5.x); else it computes it from the PID's USB interfaces, which
// over such a reader are none. ykman 4.0.9 runs `piv` commands without
// checking capabilities per transport. Hence:
// - 5.x (YubiKey 5 NFC): USB and NFC columns both "Enabled", name
//   "YubiKey 5 NFC".
// - 4.x (YubiKey 4, USB only in reality): we stay truthful and report no NFC.
//   `ykman info` then names it "YubiKey 4", shows serial and firmware, and
//   lists every application as "Disabled" over USB (that is ykman's own
//   conclusion for a key seen through a non-Yubico reader, not something we
//   claim); `ykman piv info` works unchanged. Faking NFC capabilities would
//   only change that table and would misdescribe the hardware.
import { ReadOnlyApplet } from './applet.ts';
import type { CommandApdu } from './command-apdu.ts';
import { deviceInfoPage } from './device-info.ts';
import { type Profile, versionString } from './profiles.ts';
import { CardStatus, SW } from './sw.ts';

/** Management AID (yubikit/core AID.MANAGEMENT; ykpiv.c mgmt_aid). */
export const MANAGEMENT_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x05, 0x27, 0x47, 0x11, 0x17]);

/** yubikit/management.py INS_READ_CONFIG. */
const INS_READ_CONFIG = 0x1d;

/**
 * What a YubiKey answers to SELECT management: an ASCII string whose first
 * `\d+.\d+.\d+` yubikit takes as the firmware version (Version.from_string).
 * "Virtual mgr - FW version X.Y.Z" is what YubiKey 5 keys return (a 5.4.3
 * field report and other emulators; no Yubico document prints it). That a
 * YubiKey 4 uses the same words is an assumption: only the version matters
 * to yubikit and ykpiv.
 */
export function managementSelectResponse(profile: Profile): Uint8Array {
  return Uint8Array.from(Buffer.from(`Virtual mgr - FW version ${versionString(profile)}`, 'ascii'));
}

export class ManagementApplet extends ReadOnlyApplet {
  readonly aid = MANAGEMENT_AID;

  select(): Uint8Array {
    return managementSelectResponse(this.profile);
  }

  process(command: CommandApdu): Uint8Array {
    // WRITE CONFIG (1C), SET MODE (16) and DEVICE RESET (1F) change a real
    // key's USB/NFC setup, which this emulator does not model: 6D00, as for
    // any instruction the key lacks.
    if (command.ins !== INS_READ_CONFIG) throw new CardStatus(SW.INS_NOT_SUPPORTED);
    // P1 is the page (newer yubikit reads page 1, 2, ... while tag 10 says "more data").
    return deviceInfoPage(this.state, this.profile, command.p1);
  }
}
