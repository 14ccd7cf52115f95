// A pairing the key no longer matches: the paired key was reset (`wfa key
// reset`, ykman) or its certificate replaced outside the app. Told from the
// key itself: the certificate in slot 9a must be the one the record holds.
import type { StaleReason } from '../../ipc/error-facts.ts';
import type { PairedKeyDetails } from '../keys/key-service.ts';
import type { PairingRecord } from './pairing-store.ts';

/** Why the plugged-in paired key no longer matches its record, or null (it matches, or it is not plugged in). */
export function staleReason(record: PairingRecord | null, info: Pick<PairedKeyDetails, 'serial' | 'authentication'> | undefined): StaleReason | null {
  if (record === null || info === undefined || info.serial !== record.serial) return null;
  const onKey = info.authentication;
  if (onKey === null) return 'no-certificate';
  // A renewal interrupted after its write leaves the journaled new certificate on the key: that is still this pairing.
  const known = [record.certificate.serial, record.renewing?.serial].filter((s): s is string => s !== undefined).map((s) => s.toLowerCase());
  if (!known.includes(onKey.serial)) return 'other-certificate';
  return null;
}
