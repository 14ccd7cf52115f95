// The PIN-protected management key as ykman keeps it (ykman/piv.py PivmanData,
// PivmanProtectedData): PIVMAN data 5FFF00 = 80 { 81 flags, 82 salt, 83 time },
// flag 02 = "management key stored in protected data"; the key itself in
// printed-info 5FC109 = 88 { 89 key }, which the card gives out only after VERIFY PIN.
import { randomBytes } from 'node:crypto';
import { NativeError } from '../errors.ts';
import { DEFAULT_MANAGEMENT_KEY, type ManagementKeyAlgorithmName, OBJECT_ID } from '../piv/constants.ts';
import { getObject, putObject } from '../piv/objects.ts';
import type { PivSession } from '../piv/session.ts';
import { concatBytes, decodeTlvs, encodeTlv, findTlv } from '../piv/tlv.ts';
import { authenticateManagementKey, MANAGEMENT_KEY_ALGORITHMS, managementKeyAlgorithm, managementKeyMetadata, setManagementKey } from './management-key.ts';
import { supports } from './version.ts';

/** Tags of PIVMAN data (80 { 81 flags, 82 salt }) and of the protected data (88 { 89 key }), ykman/piv.py. */
const TAG = { PIVMAN: 0x80, FLAGS: 0x81, SALT: 0x82, PROTECTED: 0x88, PROTECTED_KEY: 0x89 } as const;
export const PIVMAN_FLAG_PUK_BLOCKED = 0x01;
export const PIVMAN_FLAG_MGM_KEY_PROTECTED = 0x02;

export interface PivmanData {
  readonly flags: number;
  readonly hasSalt: boolean;
  /** The raw inner TLVs, kept so that a rewrite keeps fields we do not interpret. */
  readonly inner: Uint8Array;
}

export async function readPivmanData(session: PivSession): Promise<PivmanData> {
  const content = await getObject(session, OBJECT_ID.PIVMAN);
  if (content === null || content.length === 0) return { flags: 0, hasSalt: false, inner: new Uint8Array(0) };
  const outer = findTlv(decodeTlvs(content), TAG.PIVMAN);
  if (outer === undefined) throw new NativeError('INVALID_RESPONSE', { part: 'pivman-data' });
  const tlvs = decodeTlvs(outer);
  return { flags: findTlv(tlvs, TAG.FLAGS)?.[0] ?? 0, hasSalt: findTlv(tlvs, TAG.SALT) !== undefined, inner: outer };
}

/** Writes PIVMAN data with `flags`, keeping the other fields as they were. Needs the management key. */
export async function writePivmanFlags(session: PivSession, current: PivmanData, flags: number): Promise<void> {
  const others = decodeTlvs(current.inner).filter((t) => t.tag !== TAG.FLAGS);
  const inner = concatBytes(encodeTlv(TAG.FLAGS, Uint8Array.of(flags)), ...others.map((t) => encodeTlv(t.tag, t.value)));
  await putObject(session, OBJECT_ID.PIVMAN, encodeTlv(TAG.PIVMAN, inner));
}

/** The stored management key (PIN must be verified in this session), or null. The caller zeroes it. */
export async function readProtectedManagementKey(session: PivSession): Promise<Uint8Array | null> {
  const content = await getObject(session, OBJECT_ID.PRINTED);
  if (content === null || content.length === 0) return null;
  const outer = findTlv(decodeTlvs(content), TAG.PROTECTED);
  if (outer === undefined) return null;
  const key = findTlv(decodeTlvs(outer), TAG.PROTECTED_KEY);
  return key === undefined ? null : Uint8Array.from(key);
}

async function writeProtectedManagementKey(session: PivSession, key: Uint8Array | null): Promise<void> {
  if (key === null) return putObject(session, OBJECT_ID.PRINTED, null);
  const content = encodeTlv(TAG.PROTECTED, encodeTlv(TAG.PROTECTED_KEY, key));
  try {
    await putObject(session, OBJECT_ID.PRINTED, content);
  } finally {
    content.fill(0);
  }
}

export type ManagementKeyState = 'default' | 'protected' | 'unknown';

/**
 * Default, PIN-protected (ykman's form), or unknown — without the PIN. On
 * keys without metadata (before 5.3) a trial authentication with the default
 * key tells; management key failures cost no tries on a YubiKey.
 */
export async function managementKeyState(session: PivSession): Promise<ManagementKeyState> {
  const pivman = await readPivmanData(session);
  if ((pivman.flags & PIVMAN_FLAG_MGM_KEY_PROTECTED) !== 0) return 'protected';
  const metadata = await managementKeyMetadata(session);
  if (metadata !== null) return metadata.isDefault ? 'default' : 'unknown';
  try {
    await authenticateManagementKey(session, 'TDES', Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
    return 'default';
  } catch (e) {
    if (e instanceof NativeError && e.code === 'MGMT_AUTH_FAILED') return 'unknown';
    throw e;
  }
}

/** The algorithm for a new random management key: AES-192 where the firmware has AES (the 5.7 default), else 3DES. */
export function preferredManagementAlgorithm(session: PivSession): ManagementKeyAlgorithmName {
  return supports(session.version, 'aesManagementKey') ? 'AES192' : 'TDES';
}

/**
 * Replaces the management key by a random one stored PIN-protected on the key.
 * The session must be authenticated with the current key and the PIN verified.
 * Order (so that no interruption leaves a key nobody knows): store the new key
 * in protected data, then switch the card to it, then set the PIVMAN flag (the
 * card stays authenticated after SET MANAGEMENT KEY, as ykman's
 * pivman_set_mgm_key relies on). See `finishProtectedManagementKey`.
 * `pivman`: the PIVMAN data when the caller has just read it.
 */
export async function protectManagementKey(
  session: PivSession,
  random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n)),
  pivman?: PivmanData,
): Promise<void> {
  const algorithm = preferredManagementAlgorithm(session);
  const key = random(MANAGEMENT_KEY_ALGORITHMS[algorithm].keyLength);
  try {
    const current = pivman ?? (await readPivmanData(session));
    await writeProtectedManagementKey(session, key);
    await setManagementKey(session, algorithm, key);
    await writePivmanFlags(session, current, current.flags | PIVMAN_FLAG_MGM_KEY_PROTECTED);
  } finally {
    key.fill(0);
  }
}

export type ProtectionRecovery = 'already-protected' | 'finished' | 'not-started' | 'unknown-key';

/**
 * After an interruption of `protectManagementKey` (PIN verified in this
 * session): if the card already uses the stored key, set the missing flag
 * (finish); if it still has the default key, nothing was switched; otherwise
 * the key is unknown to us.
 */
export async function finishProtectedManagementKey(session: PivSession): Promise<ProtectionRecovery> {
  const pivman = await readPivmanData(session);
  if ((pivman.flags & PIVMAN_FLAG_MGM_KEY_PROTECTED) !== 0) return 'already-protected';
  const stored = await readProtectedManagementKey(session);
  if (stored !== null) {
    try {
      const algorithm = await managementKeyAlgorithm(session);
      await authenticateManagementKey(session, algorithm, stored);
      await writePivmanFlags(session, pivman, pivman.flags | PIVMAN_FLAG_MGM_KEY_PROTECTED);
      return 'finished';
    } catch (e) {
      if (!(e instanceof NativeError) || (e.code !== 'MGMT_AUTH_FAILED' && e.code !== 'INVALID_INPUT')) throw e;
    } finally {
      stored.fill(0);
    }
  }
  return (await managementKeyState(session)) === 'default' ? 'not-started' : 'unknown-key';
}

/**
 * Authenticates with whatever the key uses: the PIN-protected stored key (PIN
 * verified first), else the default. A stored key the card refuses is one a
 * pairing stored and then was interrupted before the card switched to it
 * (protectManagementKey's order): the card still has the default then.
 * `algorithm`: the management key's algorithm when already read (GET METADATA
 * 9B) for this key.
 */
export async function authenticateWithKnownKey(session: PivSession, algorithm?: ManagementKeyAlgorithmName): Promise<void> {
  algorithm ??= await managementKeyAlgorithm(session);
  const stored = await readProtectedManagementKey(session).catch((e: unknown) => {
    if (e instanceof NativeError && e.code === 'SECURITY_STATUS') return null;
    throw e;
  });
  try {
    if (stored !== null) {
      try {
        await authenticateManagementKey(session, algorithm, stored);
        return;
      } catch (e) {
        // Failed management-key authentications cost no tries on a YubiKey: the default is tried next.
        if (!(e instanceof NativeError) || (e.code !== 'MGMT_AUTH_FAILED' && e.code !== 'INVALID_INPUT')) throw e;
      }
    }
    const key = Uint8Array.from(DEFAULT_MANAGEMENT_KEY);
    try {
      await authenticateManagementKey(session, algorithm, key);
    } finally {
      key.fill(0);
    }
  } finally {
    stored?.fill(0);
  }
}
