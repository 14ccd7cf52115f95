import { attestationView } from '../attestation/attestation-record.ts';
import type { PairingView } from '../../ipc/contract.ts';
import type { PairingState } from './pairing-store.ts';

/** The pairing as the renderer and `wfa status` show it: the record, an unfinished one, or null. */
export function pairingView(state: Pick<PairingState, 'pairing' | 'pending'>): PairingView | null {
  const { pairing: record } = state;
  // A journal that only says a step was begun on an unchanged key is nothing to finish (status-problems.ts explains it).
  const pending = state.pending?.completed === 'checking-key' ? null : state.pending;
  if (record !== null) {
    return {
      serial: record.serial,
      model: record.model,
      certificate: { serial: record.certificate.serial, subject: record.certificate.subject, notAfter: record.certificate.notAfter },
      pairedAt: record.pairedAt,
      pending: pending?.serial === record.serial ? pending.completed : null,
      attestation: record.attestation?.status ?? null,
      attestationDetail: record.attestation === undefined ? null : attestationView(record.attestation),
    };
  }
  if (pending !== null)
    return { serial: pending.serial, model: null, certificate: null, pairedAt: null, pending: pending.completed, attestation: null, attestationDetail: null };
  return null;
}
