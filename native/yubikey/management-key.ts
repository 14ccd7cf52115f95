// Management key: mutual authentication (SP 800-73-4 Part 2 §3.2.4, Appendix
// A.1 "card authenticates host, host authenticates card", as yubikit's
// PivSession.authenticate and ykpiv_authenticate run it) and Yubico's SET
// MANAGEMENT KEY (ykpiv.h YKPIV_INS_SET_MGMKEY).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { NativeError } from '../errors.ts';
import { ALGORITHM, AUTH_TAG, INS, KEY_REF, type ManagementKeyAlgorithmName } from '../piv/constants.ts';
import type { PivSession } from '../piv/session.ts';
import { concatBytes, decodeTemplate, decodeTlvs, encodeTlv, findTlv, requireTlv } from '../piv/tlv.ts';
import { requireFeature, supports } from './version.ts';

interface CipherSpec {
  readonly id: number;
  readonly keyLength: number;
  readonly blockLength: number;
  readonly cipher: string;
}

export const MANAGEMENT_KEY_ALGORITHMS: Readonly<Record<ManagementKeyAlgorithmName, CipherSpec>> = {
  TDES: { id: ALGORITHM.TDES, keyLength: 24, blockLength: 8, cipher: 'des-ede3-ecb' },
  AES128: { id: ALGORITHM.AES128, keyLength: 16, blockLength: 16, cipher: 'aes-128-ecb' },
  AES192: { id: ALGORITHM.AES192, keyLength: 24, blockLength: 16, cipher: 'aes-192-ecb' },
  AES256: { id: ALGORITHM.AES256, keyLength: 32, blockLength: 16, cipher: 'aes-256-ecb' },
};

export function managementAlgorithmById(id: number): ManagementKeyAlgorithmName {
  const found = (Object.keys(MANAGEMENT_KEY_ALGORITHMS) as ManagementKeyAlgorithmName[]).find((n) => MANAGEMENT_KEY_ALGORITHMS[n].id === id);
  if (found === undefined) throw new NativeError('INVALID_RESPONSE', { part: 'management-key-type', id });
  return found;
}

function ecb(encrypt: boolean, spec: CipherSpec, key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = encrypt ? createCipheriv(spec.cipher, key, null) : createDecipheriv(spec.cipher, key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

export interface ManagementKeyMetadata {
  readonly algorithm: ManagementKeyAlgorithmName;
  readonly isDefault: boolean;
  readonly touchRequired: boolean;
}

/** GET METADATA 9B (5.3+): algorithm, default flag, touch policy (yubikit get_management_key_metadata). */
export async function managementKeyMetadata(session: PivSession): Promise<ManagementKeyMetadata | null> {
  if (!supports(session.version, 'metadata')) return null;
  const tlvs = decodeTlvs(await session.send({ ins: INS.GET_METADATA, p1: 0, p2: KEY_REF.MANAGEMENT }, 'other', 'read-management-key-details'));
  const alg = findTlv(tlvs, 0x01);
  const policy = findTlv(tlvs, 0x02);
  const isDefault = findTlv(tlvs, 0x05);
  return {
    // yubikit: a missing algorithm tag means 3DES (firmware before AES support).
    algorithm: alg === undefined ? 'TDES' : managementAlgorithmById(alg[0]!),
    isDefault: isDefault?.[0] === 1,
    touchRequired: policy !== undefined && policy.length >= 2 && policy[1] !== 0x01 && policy[1] !== 0x00,
  };
}

/** The management key's algorithm: from metadata on 5.3+, else 3DES, the only one older keys have. */
export async function managementKeyAlgorithm(session: PivSession): Promise<ManagementKeyAlgorithmName> {
  return (await managementKeyMetadata(session))?.algorithm ?? 'TDES';
}

/** Mutual authentication with the management key. Does not zero `key` (callers may reuse it); they must. */
export async function authenticateManagementKey(session: PivSession, algorithm: ManagementKeyAlgorithmName, key: Uint8Array): Promise<void> {
  const spec = MANAGEMENT_KEY_ALGORITHMS[algorithm];
  if (key.length !== spec.keyLength) throw new NativeError('INVALID_INPUT', { problem: 'management-key-length', size: key.length, limit: spec.keyLength });
  const command = (data: Uint8Array) => ({ ins: INS.AUTHENTICATE, p1: spec.id, p2: KEY_REF.MANAGEMENT, data: encodeTlv(AUTH_TAG.TEMPLATE, data) });
  // Step 1: ask for a witness.
  const first = await session.send(command(encodeTlv(AUTH_TAG.WITNESS, new Uint8Array(0))), 'management-key', 'authenticate-management-key');
  const witness = requireTlv(decodeTemplate(first, AUTH_TAG.TEMPLATE), AUTH_TAG.WITNESS);
  if (witness.length !== spec.blockLength) throw new NativeError('INVALID_RESPONSE', { part: 'management-key-challenge' });
  const decrypted = ecb(false, spec, key, witness);
  const challenge = new Uint8Array(randomBytes(spec.blockLength));
  // Step 2: prove we decrypted the witness, and challenge the card.
  const second = await session.send(
    command(concatBytes(encodeTlv(AUTH_TAG.WITNESS, decrypted), encodeTlv(AUTH_TAG.CHALLENGE, challenge))),
    'management-key',
    'authenticate-management-key',
  );
  decrypted.fill(0);
  const response = requireTlv(decodeTemplate(second, AUTH_TAG.TEMPLATE), AUTH_TAG.RESPONSE);
  const expected = ecb(true, spec, key, challenge);
  const same = response.length === expected.length && response.every((b, i) => b === expected[i]);
  expected.fill(0);
  if (!same) throw new NativeError('MGMT_AUTH_FAILED', { step: 'authenticate-management-key' });
  session.noteManagementKeyAuthenticated();
}

/** SET MANAGEMENT KEY (needs an authenticated session). P2 FE asks for touch, FF not (ykpiv.h). */
export async function setManagementKey(session: PivSession, algorithm: ManagementKeyAlgorithmName, key: Uint8Array, touchRequired = false): Promise<void> {
  const spec = MANAGEMENT_KEY_ALGORITHMS[algorithm];
  if (key.length !== spec.keyLength) throw new NativeError('INVALID_INPUT', { problem: 'management-key-length', size: key.length, limit: spec.keyLength });
  if (algorithm !== 'TDES') requireFeature(session.version, 'aesManagementKey');
  const data = concatBytes(Uint8Array.of(spec.id, KEY_REF.MANAGEMENT, key.length), key);
  try {
    await session.send({ ins: INS.SET_MGMKEY, p1: 0xff, p2: touchRequired ? 0xfe : 0xff, data }, 'management-key', 'set-management-key');
  } finally {
    data.fill(0);
  }
}
