// The symmetric algorithms of the PIV management key (key reference 9B) and
// the block cipher the card runs with them.
// Ids: NIST SP 800-78-4 Table 6-1 (03 3DES, 08 AES-128, 0A AES-192, 0C AES-256);
// key and challenge lengths: yubikit piv.py MANAGEMENT_KEY_TYPE.key_len /
// challenge_len. The mode is ECB on one block (SP 800-73-4 Part 2 Appendix A.1;
// yubikit and ykpiv both use ECB).
import { createCipheriv } from 'node:crypto';
import type { Profile } from '../profiles.ts';

export interface ManagementAlgorithm {
  readonly id: number;
  /** Node's (OpenSSL's) name of the cipher in ECB mode. */
  readonly cipher: string;
  readonly keyLength: number;
  /** Witness and challenge length: one cipher block. */
  readonly blockLength: number;
  readonly aes: boolean;
}

const ALGORITHMS: readonly ManagementAlgorithm[] = [
  // 3DES: three-key TDEA, 24-byte key, 8-byte block.
  { id: 0x03, cipher: 'des-ede3-ecb', keyLength: 24, blockLength: 8, aes: false },
  { id: 0x08, cipher: 'aes-128-ecb', keyLength: 16, blockLength: 16, aes: true },
  { id: 0x0a, cipher: 'aes-192-ecb', keyLength: 24, blockLength: 16, aes: true },
  { id: 0x0c, cipher: 'aes-256-ecb', keyLength: 32, blockLength: 16, aes: true },
];

/** The algorithm with this id, if the profile's firmware has it (AES from 5.4: profile.aesManagementKey). */
export function findManagementAlgorithm(id: number, profile: Profile): ManagementAlgorithm | undefined {
  const alg = ALGORITHMS.find((a) => a.id === id);
  if (alg === undefined || (alg.aes && !profile.aesManagementKey)) return undefined;
  return alg;
}

/** The algorithm of the stored key (the card only stores ids it accepted). */
export function storedManagementAlgorithm(id: number): ManagementAlgorithm {
  const alg = ALGORITHMS.find((a) => a.id === id);
  if (alg === undefined) throw new Error(`stored management key has unknown algorithm ${id.toString(16)}`);
  return alg;
}

/** E_K(block): what the card sends as its encrypted witness and as its answer to the host's challenge. */
export function encryptBlock(alg: ManagementAlgorithm, key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv(alg.cipher, key, null);
  // One whole block in, one block out: no padding.
  cipher.setAutoPadding(false);
  return Uint8Array.from(Buffer.concat([cipher.update(block), cipher.final()]));
}
