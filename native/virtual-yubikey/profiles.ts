// Firmware profiles of the virtual YubiKey. Each gate cites where the
// firmware boundary is documented (shared/reference/piv-yubikey-apdus.md §6).

export type ProfileName = 'yk5.4.3' | 'yk5.7.1' | 'yk4.3.7' | 'yk4.3.4';

export const PROFILE_NAMES: readonly ProfileName[] = ['yk5.4.3', 'yk5.7.1', 'yk4.3.7', 'yk4.3.4'];
export const DEFAULT_PROFILE: ProfileName = 'yk5.4.3';

export interface Profile {
  readonly name: ProfileName;
  readonly version: readonly [number, number, number];
  /** ATR over USB CCID; ykpiv.h YKPIV_ATR_YK5 / YKPIV_ATR_YK4. */
  readonly atr: Uint8Array;
  /** YubiKey 5 NFC: the management applet reports NFC capabilities too (design.md). */
  readonly nfc: boolean;
  /** GET SERIAL (INS F8) in the PIV applet: YubiKey 5 only (yubikit reads YK4 serial from OTP). */
  readonly pivGetSerial: boolean;
  /** GET METADATA (INS F7): 5.3.0 (yubikit require_version). */
  readonly metadata: boolean;
  /** AES management keys: 5.4.0 (yubikit). */
  readonly aesManagementKey: boolean;
  /** Default management key algorithm: AES-192 from 5.7.0 (yesdk), else 3DES. */
  readonly defaultManagementKeyAlgorithm: number;
  /** MOVE / DELETE KEY (INS F6), RSA 3072/4096: 5.7.0. */
  readonly moveDeleteKey: boolean;
  readonly rsa3072And4096: boolean;
  /** VERIFY with P1=FF resets PIN verification: 5.4.3+ (ykpiv). */
  readonly verifyReset: boolean;
  /** On-chip RSA generation affected by ROCA (CVE-2017-15361): 4.2.0 <= v < 4.3.5. */
  readonly roca: boolean;
}

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

const ATR_YK5 = hex('3B FD 13 00 00 81 31 FE 15 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 40');
const ATR_YK4 = hex('3B F8 13 00 00 81 31 FE 15 59 75 62 69 6B 65 79 34 D4');

export const ALG_3DES = 0x03;
export const ALG_AES192 = 0x0a;

const yk5 = (name: ProfileName, version: [number, number, number]): Profile => {
  const atLeast = (maj: number, min: number, pat: number): boolean => version[0] * 10000 + version[1] * 100 + version[2] >= maj * 10000 + min * 100 + pat;
  return {
    name,
    version,
    atr: ATR_YK5,
    nfc: true,
    pivGetSerial: true,
    metadata: atLeast(5, 3, 0),
    aesManagementKey: atLeast(5, 4, 0),
    defaultManagementKeyAlgorithm: atLeast(5, 7, 0) ? ALG_AES192 : ALG_3DES,
    moveDeleteKey: atLeast(5, 7, 0),
    rsa3072And4096: atLeast(5, 7, 0),
    verifyReset: atLeast(5, 4, 3),
    roca: false,
  };
};

const yk4 = (name: ProfileName, version: [number, number, number], roca: boolean): Profile => ({
  name,
  version,
  atr: ATR_YK4,
  nfc: false,
  pivGetSerial: false,
  metadata: false,
  aesManagementKey: false,
  defaultManagementKeyAlgorithm: ALG_3DES,
  moveDeleteKey: false,
  rsa3072And4096: false,
  verifyReset: false,
  roca,
});

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  'yk5.4.3': yk5('yk5.4.3', [5, 4, 3]),
  'yk5.7.1': yk5('yk5.7.1', [5, 7, 1]),
  'yk4.3.7': yk4('yk4.3.7', [4, 3, 7], false),
  'yk4.3.4': yk4('yk4.3.4', [4, 3, 4], true),
};

export function isProfileName(s: string): s is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(s);
}

export function versionString(p: Profile): string {
  return p.version.join('.');
}
