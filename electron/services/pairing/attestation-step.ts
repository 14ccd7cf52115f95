// Pairing's attestation step (proof the key was made on the YubiKey), right after the key in 9A is made:
// two reads only, ATTEST 9A and the device certificate (object 5FFF01, F9),
// then verifyAttestation. The outcome is recorded whatever it is; the policy
// decides whether a failure stops pairing (before any certificate request).
import type { KeyObject } from 'node:crypto';
import { NativeError } from '../../../native/errors.ts';
import { SLOT } from '../../../native/piv/constants.ts';
import { attestSlot, type PinPolicyName, type TouchPolicyName } from '../../../native/piv/keys.ts';
import { readCertificate } from '../../../native/piv/objects.ts';
import type { PivSession } from '../../../native/piv/session.ts';
import { supports } from '../../../native/yubikey/version.ts';
import * as x509 from '../../../native/x509.ts';
import { ServiceError } from '../app-error.ts';
import type { AttestationRecord } from '../attestation/attestation-record.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { TrustStore } from '../attestation/trust-store.ts';
import { verifyAttestation } from '../attestation/verify-attestation.ts';
import type { PinPolicy, TouchPolicy } from '../attestation/yubico-extensions.ts';

/** The PIN and touch policy pairing asks for in 9A (YubiKey's own default for 9A, asked explicitly so the attestation can be held to it). */
export const SLOT_KEY_POLICIES = { pinPolicy: 'ONCE', touchPolicy: 'NEVER' } as const satisfies { pinPolicy: PinPolicyName; touchPolicy: TouchPolicyName };
const EXPECTED: { readonly pinPolicy: PinPolicy; readonly touchPolicy: TouchPolicy } = { pinPolicy: 'once', touchPolicy: 'never' };

/**
 * CSR extensions carrying the attestation to a SCEP CA. The OIDs are those
 * that enrolment tools and CA policy modules for YubiKey PIV already use
 * (README, "Attestation in the certificate request"): the slot attestation
 * certificate under 1.3.6.1.4.1.41482.3.11 and the device (F9) certificate
 * under 1.3.6.1.4.1.41482.3.2, each extension's value the certificate's DER.
 */
export const ATTESTATION_CSR_OID = {
  SLOT_CERTIFICATE: '1.3.6.1.4.1.41482.3.11',
  DEVICE_CERTIFICATE: '1.3.6.1.4.1.41482.3.2',
} as const;

export interface AttestationOutcome {
  readonly record: AttestationRecord;
  /** DER of the slot and device attestation certificates, when the key gave them. */
  readonly certificates: { readonly slot: Uint8Array; readonly device: Uint8Array } | null;
}

const firmwareText = (v: { major: number; minor: number; patch: number }): string => `${v.major}.${v.minor}.${v.patch}`;

const empty = { firmware: null, formFactor: null, serial: null, root: null } as const;

/** ATTEST 9A and read F9 (the only two reads), then verify against the trust store. */
export async function attestSlotKey(
  session: PivSession,
  serial: number,
  publicKey: KeyObject,
  trust: () => TrustStore,
  now: Date,
): Promise<AttestationOutcome> {
  if (!supports(session.version, 'attestation')) {
    const detail = `firmware ${firmwareText(session.version)} has no attestation (it came with YubiKey 4.3)`;
    return { record: { status: 'unsupported', reason: null, detail, ...empty }, certificates: null };
  }
  let slot: Uint8Array;
  let device: Uint8Array | null;
  try {
    slot = await attestSlot(session, SLOT.AUTHENTICATION);
    device = await readCertificate(session, SLOT.ATTESTATION);
  } catch (e) {
    // A key that refuses or garbles its attestation: a failure to record, not a broken pairing (the card is still there).
    if (e instanceof NativeError && (e.code === 'NOT_FOUND' || e.code === 'INVALID_RESPONSE' || e.code === 'CARD_ERROR')) {
      return { record: { status: 'failed', reason: 'unreadable', detail: `the key gave no attestation (${e.message})`, ...empty }, certificates: null };
    }
    throw e;
  }
  if (device === null) {
    return { record: { status: 'failed', reason: 'unreadable', detail: 'the key holds no device attestation certificate (F9)', ...empty }, certificates: null };
  }
  const certificates = { slot, device };
  let store: TrustStore;
  try {
    store = trust();
  } catch (e) {
    const detail = `the trusted roots cannot be loaded (${e instanceof Error ? e.message : String(e)})`;
    return { record: { status: 'failed', reason: 'trust-store-unreadable', detail, ...empty }, certificates };
  }
  const result = await verifyAttestation({
    slotCertificate: slot,
    deviceCertificate: device,
    slotPublicKey: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
    serial,
    expected: EXPECTED,
    trust: store,
    now,
  });
  if (result.ok) {
    const a = result.attestation;
    return {
      record: { status: 'verified', reason: null, detail: null, firmware: a.firmware, formFactor: a.formFactor ?? null, serial: a.serial, root: a.root },
      certificates,
    };
  }
  const a = result.attestation;
  return {
    record: {
      status: 'failed',
      reason: result.reason,
      detail: result.detail,
      firmware: a?.firmware ?? null,
      formFactor: a?.formFactor ?? null,
      serial: a?.serial ?? null,
      root: null,
    },
    certificates,
  };
}

/** The CSR extensions for a SCEP CA (non-critical: a CA that does not know them issues as before). */
export function attestationCsrExtensions(outcome: AttestationOutcome | null): x509.Extension[] {
  if (outcome?.certificates == null) return [];
  return [
    new x509.Extension(ATTESTATION_CSR_OID.SLOT_CERTIFICATE, false, outcome.certificates.slot),
    new x509.Extension(ATTESTATION_CSR_OID.DEVICE_CERTIFICATE, false, outcome.certificates.device),
  ];
}

export interface AttestationStepOptions {
  readonly session: PivSession;
  readonly serial: number;
  readonly publicKey: KeyObject;
  readonly trust: () => TrustStore;
  readonly now: Date;
  /** Policy attestation.require: a key that cannot prove its key is refused. */
  readonly require: boolean;
  readonly audit: Pick<AuditLog, 'record'>;
}

/**
 * The step as pairing runs it: attest, log SECURITY_KEY_ATTESTED, and under
 * `require` refuse anything but "verified" (ATTESTATION_FAILED, saying what
 * failed) before the certificate is requested.
 */
export async function attestationStep(o: AttestationStepOptions): Promise<AttestationOutcome> {
  const outcome = await attestSlotKey(o.session, o.serial, o.publicKey, o.trust, o.now);
  const { status, reason } = outcome.record;
  await o.audit.record({
    event: 'SECURITY_KEY_ATTESTED',
    outcome: status === 'verified' ? 'success' : 'failure',
    keySerial: o.serial,
    detail: reason ?? status,
  });
  if (o.require && status !== 'verified') {
    const what = status === 'unsupported' ? outcome.record.detail : `${reason ?? 'failed'}: ${outcome.record.detail ?? ''}`;
    throw new ServiceError('ATTESTATION_FAILED', { why: what ?? status }, { detail: what ?? status });
  }
  return outcome;
}
