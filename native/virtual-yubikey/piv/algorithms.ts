// The asymmetric key algorithms of the PIV applet and which firmware has them.
// Ids: NIST SP 800-78-4 Table 6-2 (06 RSA 1024, 07 RSA 2048, 11 P-256, 14 P-384)
// and Yubico's additions (yubico-piv-tool lib/ykpiv.h YKPIV_ALGO_RSA3072 05,
// YKPIV_ALGO_RSA4096 16, YKPIV_ALGO_ED25519 E0, YKPIV_ALGO_X25519 E1).
import type { Profile } from '../profiles.ts';
import { CardStatus, SW } from '../sw.ts';

export const ALG = {
  RSA1024: 0x06,
  RSA2048: 0x07,
  RSA3072: 0x05,
  RSA4096: 0x16,
  P256: 0x11,
  P384: 0x14,
  ED25519: 0xe0,
  X25519: 0xe1,
} as const;

export type KeyAlgorithm =
  | { readonly kind: 'rsa'; readonly id: number; readonly bits: number }
  | { readonly kind: 'ec'; readonly id: number; readonly curve: 'P-256' | 'P-384'; readonly fieldBytes: number }
  | { readonly kind: 'ed25519'; readonly id: number }
  | { readonly kind: 'x25519'; readonly id: number };

const ALGORITHMS: readonly KeyAlgorithm[] = [
  { kind: 'rsa', id: ALG.RSA1024, bits: 1024 },
  { kind: 'rsa', id: ALG.RSA2048, bits: 2048 },
  { kind: 'rsa', id: ALG.RSA3072, bits: 3072 },
  { kind: 'rsa', id: ALG.RSA4096, bits: 4096 },
  // Field sizes: SEC 2 §2.4.2 (secp256r1) and §2.5.1 (secp384r1).
  { kind: 'ec', id: ALG.P256, curve: 'P-256', fieldBytes: 32 },
  { kind: 'ec', id: ALG.P384, curve: 'P-384', fieldBytes: 48 },
  { kind: 'ed25519', id: ALG.ED25519 },
  { kind: 'x25519', id: ALG.X25519 },
];

/**
 * RSA 3072/4096, Ed25519 and X25519 all arrived with firmware 5.7.0 (yubikit
 * piv.py `_do_check_key_support`: "requires YubiKey 5.7 or later"), so they
 * share the profile's 5.7 gate.
 */
function since57(alg: KeyAlgorithm): boolean {
  return alg.id === ALG.RSA3072 || alg.id === ALG.RSA4096 || alg.kind === 'ed25519' || alg.kind === 'x25519';
}

/** The algorithm with this id, if the profile's firmware has it. */
export function findAlgorithm(id: number, profile: Profile): KeyAlgorithm | undefined {
  const alg = ALGORITHMS.find((a) => a.id === id);
  if (alg === undefined) return undefined;
  if (since57(alg) && !profile.rsa3072And4096) return undefined;
  return alg;
}

/** As findAlgorithm; an algorithm the firmware lacks is bad data (6A80), as on a YubiKey. */
export function requireAlgorithm(id: number, profile: Profile): KeyAlgorithm {
  const alg = findAlgorithm(id, profile);
  if (alg === undefined) throw new CardStatus(SW.INCORRECT_DATA);
  return alg;
}

/** The algorithm of a stored key (records only hold ids this module produced). */
export function algorithmOfRecord(id: number): KeyAlgorithm {
  const alg = ALGORITHMS.find((a) => a.id === id);
  if (alg === undefined) throw new Error(`stored key has unknown algorithm ${id.toString(16)}`);
  return alg;
}

/** RSA modulus length in bytes (the size of every raw RSA block). */
export function rsaBlockBytes(alg: KeyAlgorithm & { kind: 'rsa' }): number {
  return alg.bits / 8;
}
