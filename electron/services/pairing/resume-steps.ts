// What a resumed pairing keeps from its journal: the key
// pair already made in slot 9a, and the certificate already issued for it, so
// that a pairing interrupted after enrollment never enrolls twice.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { NativeError } from '../../../native/errors.ts';
import { SLOT } from '../../../native/piv/constants.ts';
import { attestSlot, slotMetadata } from '../../../native/piv/keys.ts';
import type { PivSession } from '../../../native/piv/session.ts';
import { supports } from '../../../native/yubikey/version.ts';
import * as x509 from '../../../native/x509.ts';
import type { IssuedCertificate } from '../enrollment/backend.ts';
import type { PendingPairing } from './pairing-store.ts';

const spki = (key: KeyObject): Buffer => key.export({ format: 'der', type: 'spki' });

export const sameKey = (a: KeyObject, b: KeyObject): boolean => spki(a).equals(spki(b));

export function publicKeyText(key: KeyObject): string {
  return spki(key).toString('base64');
}

/**
 * The public key slot 9a holds now, made on the key: GET METADATA on 5.3+,
 * the attestation certificate on a YubiKey 4.3+; null when the slot is empty,
 * holds an imported key, or the firmware can tell neither.
 */
async function slotKeyNow(session: PivSession): Promise<KeyObject | null> {
  if (supports(session.version, 'metadata')) {
    const metadata = await slotMetadata(session, SLOT.AUTHENTICATION);
    return metadata !== null && metadata.generatedOnKey ? metadata.publicKey : null;
  }
  if (!supports(session.version, 'attestation')) return null;
  try {
    const attestation = new x509.X509Certificate(await attestSlot(session, SLOT.AUTHENTICATION));
    return createPublicKey({ key: Buffer.from(attestation.publicKey.rawData), format: 'der', type: 'spki' });
  } catch (e) {
    if (e instanceof NativeError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

/**
 * The key pair a resumed pairing goes on with: the one its journal recorded,
 * when slot 9a still holds it; null when a new one must be made (the slot was
 * changed meanwhile, or the journal holds none).
 */
export async function journaledSlotKey(session: PivSession, pending: PendingPairing): Promise<KeyObject | null> {
  if (pending.publicKey === undefined) return null;
  const journaled = createPublicKey({ key: Buffer.from(pending.publicKey, 'base64'), format: 'der', type: 'spki' });
  const now = await slotKeyNow(session);
  return now !== null && sameKey(now, journaled) ? journaled : null;
}

/** The certificate the journal says was issued (and not yet written), or null. */
export function journaledCertificate(pending: PendingPairing): IssuedCertificate | null {
  if (pending.issued === undefined) return null;
  return {
    certificate: new Uint8Array(Buffer.from(pending.issued.derBase64, 'base64')),
    chain: pending.issued.chainBase64.map((c) => new Uint8Array(Buffer.from(c, 'base64'))),
  };
}

export function issuedForJournal(issued: IssuedCertificate): NonNullable<PendingPairing['issued']> {
  return { derBase64: Buffer.from(issued.certificate).toString('base64'), chainBase64: issued.chain.map((c) => Buffer.from(c).toString('base64')) };
}
