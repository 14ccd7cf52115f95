// The --state file's shape, checked field by field when a key is plugged back
// in, so that a hand-edited or truncated file is reported instead of loaded.
// Mirrors CardState (state.ts); the type assertions below fail to compile if
// the two drift apart.
import { z } from 'zod';
import { PROFILE_NAMES } from './profiles.ts';
import { type CardState, STATE_FORMAT_VERSION, STATE_HEADER } from './state.ts';

const hex = (what: string) => z.string().regex(/^(?:[0-9a-f]{2})*$/, `${what} must be lowercase hex`);
const byte = z.number().int().min(0).max(0xff);

/** Management key lengths per algorithm: 3DES 24, AES-128/192/256 16/24/32 (piv-yubikey-apdus.md §2, SET MGMKEY). */
const MANAGEMENT_KEY_BYTES: Readonly<Record<number, number>> = { 0x03: 24, 0x08: 16, 0x0a: 24, 0x0c: 32 };

const managementKeySchema = z
  .strictObject({
    algorithm: z
      .number()
      .int()
      .refine((a) => a in MANAGEMENT_KEY_BYTES, 'algorithm must be 3 (3DES), 8, 10 or 12 (AES)'),
    keyHex: hex('keyHex'),
    touchPolicy: z.number().int().min(1).max(3),
  })
  .refine((k) => k.keyHex.length === 2 * (MANAGEMENT_KEY_BYTES[k.algorithm] ?? 0), {
    message: 'keyHex length does not match the algorithm',
    path: ['keyHex'],
  });

const keyRecordSchema = z.strictObject({
  algorithm: byte,
  pinPolicy: byte,
  touchPolicy: byte,
  origin: z.enum(['generated', 'imported']),
  privateKeyPkcs8: hex('privateKeyPkcs8').min(2, 'privateKeyPkcs8 is empty'),
});

/** The PIN and PUK as the card compares them: 8 bytes, FF-padded. */
const referenceData = (what: string) => hex(what).length(16, `${what} must be 8 bytes (16 hex digits)`);

export const cardStateSchema = z
  .strictObject({
    // Checked by value but typed as CardState types them (string, number):
    // `: boolean` stops TypeScript from inferring a narrowing type predicate.
    header: z.string().refine((h): boolean => h === STATE_HEADER, 'header must be the test-only notice of state.ts STATE_HEADER'),
    formatVersion: z
      .number()
      .refine(
        (v): boolean => v === STATE_FORMAT_VERSION,
        `formatVersion must be ${STATE_FORMAT_VERSION} (a file from an older virtual-yubikey: delete it to make a new key)`,
      ),
    profile: z.enum(PROFILE_NAMES),
    serial: z.number().int().min(1).max(0xffffffff),
    pinHex: referenceData('pinHex'),
    pukHex: referenceData('pukHex'),
    pinRetriesMax: z.number().int().min(1).max(0xff),
    pinRetriesLeft: z.number().int().min(0).max(0xff),
    pukRetriesMax: z.number().int().min(1).max(0xff),
    pukRetriesLeft: z.number().int().min(0).max(0xff),
    managementKey: managementKeySchema,
    objects: z.record(z.string().regex(/^[0-9a-f]{2,6}$/, 'object id must be 1-3 bytes of lowercase hex'), hex('object content')),
    keys: z.record(z.string().regex(/^[0-9a-f]{2}$/, 'slot must be one byte of lowercase hex'), keyRecordSchema),
    attestationRoot: hex('attestationRoot').min(2, 'attestationRoot is empty').optional(),
  })
  .refine((s) => s.pinRetriesLeft <= s.pinRetriesMax, { message: 'more PIN tries left than the maximum', path: ['pinRetriesLeft'] })
  .refine((s) => s.pukRetriesLeft <= s.pukRetriesMax, { message: 'more PUK tries left than the maximum', path: ['pukRetriesLeft'] });

type Parsed = z.infer<typeof cardStateSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time guard: the schema and CardState describe the same object. */
const schemaMatchesCardState: Same<Parsed, CardState> = true;
void schemaMatchesCardState;
