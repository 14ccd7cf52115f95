// The YubiKey OTP applet over CCID, only as far as readers of version and
// serial use it: yubikit YubiOtpSession (ykman's fallback when management
// info is unavailable) and yubico-piv-tool, which reads a YubiKey 4's serial
// here (lib/ykpiv.c _ykpiv_get_serial: SELECT OTP, `00 01 10 00`, SELECT PIV).
// OTP slots themselves (programming, challenge-response) are not emulated.
import { ReadOnlyApplet } from './applet.ts';
import type { CommandApdu } from './command-apdu.ts';
import { deviceInfoPage } from './device-info.ts';
import type { Profile } from './profiles.ts';
import { CardStatus, SW } from './sw.ts';

/**
 * OTP AID with ykpiv's trailing 01 (ykpiv.c yk_aid); yubikit selects the
 * 7-byte prefix A0 00 00 05 27 20 01 (AID.OTP), which the card accepts too.
 */
export const OTP_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x05, 0x27, 0x20, 0x01, 0x01]);

/** yubikit/yubiotp.py INS_CONFIG: every OTP command is INS 01 with the slot in P1. */
const INS_CONFIG = 0x01;
/** yubikit/yubiotp.py CONFIG_SLOT.DEVICE_SERIAL. */
const SLOT_DEVICE_SERIAL = 0x10;
/** yubikit/management.py SLOT_YK4_CAPABILITIES; yesdk OTP "Get device information" (firmware 4.1+). */
const SLOT_DEVICE_INFO = 0x13;

/**
 * The OTP status block SELECT answers (yubikit/yubiotp.py reads it as
 * version = bytes 0-2, programming sequence = byte 3, touch level = bytes 4-5
 * little-endian). Sequence 0 and touch level 0 say "no slot programmed",
 * which is true of this emulator: it holds no OTP credentials.
 */
export function otpStatus(profile: Profile): Uint8Array {
  const [major, minor, patch] = profile.version;
  return Uint8Array.from([major, minor, patch, 0x00, 0x00, 0x00]);
}

export class OtpApplet extends ReadOnlyApplet {
  readonly aid = OTP_AID;

  select(): Uint8Array {
    return otpStatus(this.profile);
  }

  process(command: CommandApdu): Uint8Array {
    if (command.ins === INS_CONFIG && command.p1 === SLOT_DEVICE_SERIAL) {
      // 4 bytes big-endian: yubikit bytes2int with expected_len 4; ykpiv shifts data[0..3].
      const s = this.state.serial;
      return Uint8Array.from([(s >>> 24) & 0xff, (s >>> 16) & 0xff, (s >>> 8) & 0xff, s & 0xff]);
    }
    if (command.ins === INS_CONFIG && command.p1 === SLOT_DEVICE_INFO) {
      return deviceInfoPage(this.state, this.profile, 0);
    }
    throw new CardStatus(SW.INS_NOT_SUPPORTED);
  }
}
