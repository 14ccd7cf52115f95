// The steps pairing performs on the key, each a small function over an open
// PIV session (design.md, "What pairing does to the key, in order").
import { createHash, type KeyObject } from 'node:crypto';
import { NativeError } from '../../../native/errors.ts';
import { type CardKeyPair, cardKeyPair } from '../../../native/piv/card-signer.ts';
import { DEFAULT_MANAGEMENT_KEY, type KeyAlgorithmName, type ManagementKeyAlgorithmName, OBJECT_ID, SLOT } from '../../../native/piv/constants.ts';
import { generateKey } from '../../../native/piv/keys.ts';
import { newCcc, newChuid, putObject, writeCertificate } from '../../../native/piv/objects.ts';
import { randomDigits, secretFromText } from '../../../native/piv/secrets.ts';
import { PivSession } from '../../../native/piv/session.ts';
import type { CardConnection } from '../../../native/pcsc/transport.ts';
import type { DeviceContext } from '../../../native/yubikey/key-info.ts';
import { authenticateManagementKey, managementKeyAlgorithm } from '../../../native/yubikey/management-key.ts';
import { authenticateWithKnownKey, PIVMAN_FLAG_MGM_KEY_PROTECTED, protectManagementKey, readPivmanData } from '../../../native/yubikey/pivman.ts';
import { supports } from '../../../native/yubikey/version.ts';
import * as x509 from '../../../native/x509.ts';
import type { CardCsr, EnrollmentIdentity } from '../enrollment/backend.ts';
import { cardRsaDecrypt } from '../enrollment/scep/card-decrypt.ts';
import type { Policy } from '../policy/policy-schema.ts';
import { ServiceError } from '../app-error.ts';
import { SLOT_KEY_POLICIES } from './attestation-step.ts';

/** Factory PUK (Yubico PIV docs): the only one pairing may replace without spending a try. */
const DEFAULT_PUK = '12345678';

/**
 * Opens PIV on the key identified as `device`, with what was read of it then
 * (firmware): the same card insertion (PC/SC's card event counter) is the same
 * key; otherwise its serial must match.
 */
export async function openIdentifiedKey(connection: CardConnection, device: DeviceContext, flow: 'pairing' | 'renewing' = 'pairing'): Promise<PivSession> {
  const session = await PivSession.open(connection, device.version);
  if (device.insertion === null || connection.insertion !== device.insertion) await checkSerial(session, device.serial, flow);
  return session;
}

/**
 * Management key: make sure it is random and PIN-protected (the PIN must be
 * verified). PIVMAN data is read once: it says whether the key is protected
 * already (then authenticate with the stored key), and its other fields are
 * kept when the flag is written. Otherwise the factory key is used; any other
 * key fails the authentication, which costs no tries.
 */
export async function secureManagementKey(session: PivSession, device: DeviceContext): Promise<void> {
  const pivman = await readPivmanData(session);
  if ((pivman.flags & PIVMAN_FLAG_MGM_KEY_PROTECTED) !== 0) {
    await withCurrentAlgorithm(session, device, (algorithm) => authenticateWithKnownKey(session, algorithm));
    return;
  }
  await withCurrentAlgorithm(session, device, async (algorithm) => {
    const key = Uint8Array.from(DEFAULT_MANAGEMENT_KEY);
    try {
      await authenticateManagementKey(session, algorithm, key);
    } catch (e) {
      // A pairing stopped after the card took the stored key but before the flag was written: the card
      // has the stored key (read with the verified PIN). A refused management key costs no tries.
      if (!(e instanceof NativeError) || e.code !== 'MGMT_AUTH_FAILED') throw e;
      await authenticateWithKnownKey(session, algorithm);
    } finally {
      key.fill(0);
    }
  });
  await protectManagementKey(session, undefined, pivman);
}

/**
 * Authenticates with the algorithm read when the key was identified. Another
 * program (ykman piv reset) may have changed it since without a card event:
 * if the card refuses, it is asked (GET METADATA 9B, 5.3+) and, when it uses
 * another algorithm now, authenticated with that. A refused management key
 * costs no tries; a pairing stopped here would be stopped after its PIN changed.
 */
async function withCurrentAlgorithm(
  session: PivSession,
  device: DeviceContext,
  authenticate: (algorithm: ManagementKeyAlgorithmName) => Promise<void>,
): Promise<void> {
  const identified = device.managementKeyAlgorithm ?? 'TDES';
  try {
    await authenticate(identified);
  } catch (e) {
    if (!(e instanceof NativeError) || !supports(session.version, 'metadata')) throw e;
    const current = await managementKeyAlgorithm(session);
    if (current === identified) throw e;
    await authenticate(current);
  }
}

/**
 * PUK by policy. "random": replace the factory PUK by a random one nobody
 * knows (a blocked PIN then means an administrator reset). Only a PUK known
 * to be the factory one is touched: metadata says so from 5.3; before, a
 * factory PIN is taken as the sign of a factory key. Anything else would risk
 * spending a PUK try. Returns whether the PUK was changed.
 */
export async function applyPukPolicy(session: PivSession, policy: Policy, temporaryPinWasDefault: boolean): Promise<boolean> {
  if (policy.puk.mode !== 'random') return false;
  const factory = supports(session.version, 'metadata') ? (await session.referenceMetadata('puk')).isDefault : temporaryPinWasDefault;
  if (!factory) return false;
  const random = randomDigits(8);
  try {
    await session.changeReference('puk', secretFromText(DEFAULT_PUK), random);
  } finally {
    random.fill(0);
  }
  return true;
}

/**
 * The slot's key pair for signing on the card, made ahead of the CSR: importing the public key is host work that
 * sends nothing to the card, so it can run while the card answers something else (pairing: the attestation reads).
 */
export function slotKeyPair(session: PivSession, algorithm: KeyAlgorithmName, publicKey: KeyObject): Promise<CardKeyPair> {
  const pair = cardKeyPair(session, SLOT.AUTHENTICATION, algorithm, publicKey);
  pair.catch(() => undefined);
  return pair;
}

export async function createSlotKey(session: PivSession, policy: Policy): Promise<KeyObject> {
  if (!session.managementKeyAuthenticated) await authenticateWithKnownKey(session);
  return generateKey(session, { slot: SLOT.AUTHENTICATION, algorithm: policy.key.algorithm, ...SLOT_KEY_POLICIES });
}

/**
 * A CSR for the user, signed by the key in 9A (the PIN must be verified); pairing and renewal. `extensions`: the
 * attestation for a SCEP CA. `prepared`: the slot's key pair made ahead (slotKeyPair), while the card was busy.
 */
export async function buildCardCsr(
  session: PivSession,
  algorithm: KeyAlgorithmName,
  publicKey: KeyObject,
  identity: EnrollmentIdentity,
  challenge?: string,
  extensions: readonly x509.Extension[] = [],
  prepared?: Promise<CardKeyPair>,
): Promise<CardCsr> {
  const pair = await (prepared ?? cardKeyPair(session, SLOT.AUTHENTICATION, algorithm, publicKey));
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: [{ CN: [identity.userName] }], keys: pair.keys, signingAlgorithm: pair.signingAlgorithm, extensions: [...extensions] },
    pair.crypto,
  );
  // SCEP answers are encrypted to this key: the card decrypts them (RSA only).
  const decrypt = cardRsaDecrypt(session, SLOT.AUTHENTICATION, algorithm);
  return {
    csrDer: new Uint8Array(csr.rawData),
    keys: pair.keys,
    crypto: pair.crypto,
    signingAlgorithm: pair.signingAlgorithm,
    ...(decrypt === undefined ? {} : { decrypt }),
    ...(challenge === undefined ? {} : { challenge }),
  };
}

/** Writes the certificate to 9A, and a fresh CHUID and CCC for the Windows smart-card minidriver. */
export async function writePairingObjects(session: PivSession, certificate: Uint8Array): Promise<void> {
  if (!session.managementKeyAuthenticated) await authenticateWithKnownKey(session);
  await writeCertificate(session, SLOT.AUTHENTICATION, certificate);
  await putObject(session, OBJECT_ID.CHUID, newChuid());
  await putObject(session, OBJECT_ID.CCC, newCcc());
}

export function thumbprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * The key in front of us must be the one the user chose: another one (swapped
 * in the same reader) is OTHER_KEY, naming both, never CARD_REMOVED.
 * `flow` words the message: "pairing", "renewing".
 */
export async function checkSerial(session: PivSession, expected: number, flow: 'pairing' | 'renewing'): Promise<void> {
  const serial = await session.serial();
  if (serial !== expected) {
    throw new ServiceError('OTHER_KEY', { flow, found: serial, wanted: expected }, { detail: `in the reader ${serial}, ${flow} ${expected}` });
  }
}
