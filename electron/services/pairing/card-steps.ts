// The steps pairing performs on the key, each a small function over an open
// PIV session (design.md, "What pairing does to the key, in order").
import { createHash, type KeyObject, randomInt } from 'node:crypto';
import { cardKeyPair } from '../../../native/piv/card-signer.ts';
import { type KeyAlgorithmName, OBJECT_ID, SLOT } from '../../../native/piv/constants.ts';
import { generateKey } from '../../../native/piv/keys.ts';
import { newCcc, newChuid, putObject, writeCertificate } from '../../../native/piv/objects.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import type { PivSession } from '../../../native/piv/session.ts';
import { authenticateWithKnownKey, managementKeyState, protectManagementKey } from '../../../native/yubikey/pivman.ts';
import { supports } from '../../../native/yubikey/version.ts';
import * as x509 from '../../../native/x509.ts';
import type { CardCsr, EnrollmentIdentity } from '../enrollment/backend.ts';
import { cardRsaDecrypt } from '../enrollment/scep/card-decrypt.ts';
import type { Policy } from '../policy/policy-schema.ts';
import { ServiceError } from '../app-error.ts';

/** Factory PUK (Yubico PIV docs): the only one pairing may replace without spending a try. */
const DEFAULT_PUK = '12345678';

/** Management key: make sure it is random and PIN-protected (the PIN must be verified). */
export async function secureManagementKey(session: PivSession): Promise<void> {
  await authenticateWithKnownKey(session);
  if ((await managementKeyState(session)) !== 'protected') await protectManagementKey(session);
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
  const random = secretFromText(Array.from({ length: 8 }, () => String(randomInt(10))).join(''));
  await session.changeReference('puk', secretFromText(DEFAULT_PUK), random);
  return true;
}

export async function createSlotKey(session: PivSession, policy: Policy): Promise<KeyObject> {
  await authenticateWithKnownKey(session);
  return generateKey(session, { slot: SLOT.AUTHENTICATION, algorithm: policy.key.algorithm });
}

/** A CSR for the user, signed by the key in 9A (the PIN must be verified); pairing and renewal. */
export async function buildCardCsr(session: PivSession, algorithm: KeyAlgorithmName, publicKey: KeyObject, identity: EnrollmentIdentity, challenge?: string): Promise<CardCsr> {
  const pair = await cardKeyPair(session, SLOT.AUTHENTICATION, algorithm, publicKey);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: [{ CN: [identity.userName] }], keys: pair.keys, signingAlgorithm: pair.signingAlgorithm },
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
  await authenticateWithKnownKey(session);
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
    throw new ServiceError({
      code: 'OTHER_KEY',
      message: `This is not the key you were ${flow}: security key ${serial} is in the reader, not key ${expected}. Nothing was changed on key ${serial}. Plug in key ${expected} and try again.`,
      detail: `in the reader ${serial}, ${flow} ${expected}`,
    });
  }
}
