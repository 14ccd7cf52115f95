// The pairing record (one paired key per user and machine), the journal of a
// pairing in progress, and the reminder state. Public data only: serials, the
// certificate (so reminders and revocation work with the key unplugged).
import { join } from 'node:path';
import { z } from 'zod';
import { PAIRING_STEPS, type PairingStepName, REMINDER_STAGES } from '../../ipc/contract-names.ts';
import { attestationRecordSchema } from '../attestation/attestation-record.ts';
import { PAIRING_KEY_ALGORITHMS } from '../policy/policy-schema.ts';
import { JsonStore } from '../store/json-store.ts';

const stepSchema = z.enum(PAIRING_STEPS);

const certificateSchema = z.strictObject({
  serial: z.string(),
  subject: z.string(),
  notAfter: z.iso.datetime(),
  thumbprint: z.string().regex(/^[0-9a-f]{64}$/),
  derBase64: z.string(),
});

const pairingSchema = z.strictObject({
  serial: z.number().int().nonnegative(),
  model: z.string(),
  firmware: z.string(),
  algorithm: z.enum(PAIRING_KEY_ALGORITHMS),
  certificate: certificateSchema,
  pairedAt: z.iso.datetime(),
  /** Issue 17; absent in records made before attestation. */
  attestation: attestationRecordSchema.optional(),
  /** A renewal's new certificate, journaled before it is written to the key: until the record takes it, either may be in slot 9a. */
  renewing: certificateSchema.optional(),
  /** A PIN change sent to the key whose outcome never arrived (app killed, key pulled): the PIN is the old or the new one. */
  pinChangeSentAt: z.iso.datetime().optional(),
});

const pendingSchema = z.strictObject({
  serial: z.number().int().nonnegative(),
  /** The last step that completed and changed the key. */
  completed: stepSchema,
  /** The step begun after it, written before the key is touched, so an interruption can always be explained. */
  started: stepSchema.optional(),
  startedAt: z.iso.datetime(),
  /** The public key made in slot 9a (SPKI DER, base64), once "creating-key" completed: a resume uses it instead of making another. */
  publicKey: z.string().optional(),
  /** The certificate the CA issued (DER, base64, with its chain), once "requesting-certificate" completed: a resume writes it instead of enrolling again. */
  issued: z.strictObject({ derBase64: z.string(), chainBase64: z.array(z.string()) }).optional(),
});

const reminderSchema = z.strictObject({
  snoozedUntil: z.iso.datetime().nullable(),
  /** The stage whose reminder was last shown, so each is shown once per stage. */
  lastShownStage: z.enum(REMINDER_STAGES),
  /** When it was shown (the urgent reminder comes back once a day); absent in records of earlier versions. */
  lastShownAt: z.iso.datetime().nullable().default(null),
});

export const pairingStateSchema = z.strictObject({
  pairing: pairingSchema.nullable(),
  pending: pendingSchema.nullable(),
  reminder: reminderSchema,
});

export type PairingState = z.output<typeof pairingStateSchema>;
export type PairingRecord = NonNullable<PairingState['pairing']>;
export type PendingPairing = NonNullable<PairingState['pending']>;
export type StoredCertificate = PairingRecord['certificate'];

export const PAIRING_SCHEMA_VERSION = 1;

export type ReminderState = PairingState['reminder'];

/** The reminder state of a new certificate: nothing shown, nothing snoozed. */
export function freshReminderState(): ReminderState {
  return { snoozedUntil: null, lastShownStage: 'none', lastShownAt: null };
}

export function emptyPairingState(): PairingState {
  return { pairing: null, pending: null, reminder: freshReminderState() };
}

export function pairingStore(dataDir: string, now?: () => Date): JsonStore<PairingState> {
  return new JsonStore(join(dataDir, 'pairing.json'), PAIRING_SCHEMA_VERSION, pairingStateSchema, emptyPairingState, now);
}

export function stepIndex(step: PairingStepName): number {
  return PAIRING_STEPS.indexOf(step);
}
