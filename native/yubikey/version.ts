// Firmware versions and the gates that depend on them (yubikit's require_version).
import { NativeError } from '../errors.ts';

export interface FirmwareVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseVersion(bytes: Uint8Array): FirmwareVersion {
  if (bytes.length !== 3) throw new NativeError('INVALID_RESPONSE', { part: 'firmware-version' });
  return { major: bytes[0]!, minor: bytes[1]!, patch: bytes[2]! };
}

export function versionText(v: FirmwareVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function atLeast(v: FirmwareVersion, major: number, minor = 0, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

/** Feature gates, each with the firmware that introduced it (piv-yubikey-apdus.md §6, from yubikit/piv.py). */
export const FEATURE = {
  metadata: [5, 3, 0],
  aesManagementKey: [5, 4, 0],
  moveDeleteKey: [5, 7, 0],
  rsa3072And4096: [5, 7, 0],
  serialInPiv: [5, 0, 0],
  attestation: [4, 3, 0],
  verifyReset: [5, 4, 3],
} as const satisfies Record<string, readonly [number, number, number]>;

export type Feature = keyof typeof FEATURE;

export function supports(v: FirmwareVersion, feature: Feature): boolean {
  const [major, minor, patch] = FEATURE[feature];
  return atLeast(v, major, minor, patch);
}

export function requireFeature(v: FirmwareVersion, feature: Feature): void {
  if (!supports(v, feature)) {
    const [major, minor, patch] = FEATURE[feature];
    throw new NativeError('NOT_SUPPORTED_BY_FIRMWARE', { feature, needs: versionText({ major, minor, patch }), has: versionText(v) });
  }
}

/** ROCA (CVE-2017-15361, Yubico YSA-2017-01): on-chip RSA keys from 4.2.0 up to 4.3.4 are weak. */
export function isRocaAffected(v: FirmwareVersion): boolean {
  return v.major === 4 && atLeast(v, 4, 2, 0) && !atLeast(v, 4, 3, 5);
}
