// PIN and PUK of the PIV applet: VERIFY, CHANGE REFERENCE DATA, RESET RETRY
// COUNTER (NIST SP 800-73-4 Part 2 §3.2.1–3.2.3) and Yubico's SET PIN RETRIES
// and RESET (yubico-piv-tool lib/ykpiv.h YKPIV_INS_SET_PIN_RETRIES FA,
// YKPIV_INS_RESET FB). Status words as the yesdk users-manual apdu pages
// (verify.md, change-ref.md, reset-retry.md, set-pin-retries.md, reset-piv.md)
// show a YubiKey answering.
import { timingSafeEqual } from 'node:crypto';
import { type CardState, DEFAULT_PIN_HEX, DEFAULT_PUK_HEX, factoryPivState } from '../state.ts';
import { CardStatus, SW, swRetries } from '../sw.ts';
import { hexOf } from '../tlv.ts';
import { newPivSession, type PivContext, type PivHandler } from './context.ts';
import { ATTESTATION_OBJECT_ID } from './attestation.ts';
import { KEY_REF } from './references.ts';
import { SLOT, slotHex } from './slots.ts';

/** VERIFY P1: 00 verify (or query), FF reset the PIN's security status (SP 800-73-4 Part 2 §3.2.1; ykpiv uses it from 5.4.3). */
const VERIFY_P1 = { VERIFY: 0x00, RESET_STATUS: 0xff } as const;

/** PIN and PUK travel as 8 bytes padded with FF (SP 800-73-4 Part 2 §2.4.3; yubikit PIN_LEN, ykpiv CB_PIN_MAX). */
const REFERENCE_LENGTH = 8;
const PADDING = 0xff;
/** A new PIN or PUK has 6 to 8 characters; a shorter one answers 6985 (yesdk apdu/change-ref.md). */
const MIN_NEW_LENGTH = 6;

/** Retry counts SET PIN RETRIES takes in P1/P2: 1 to 255 (yesdk SetPinRetriesCommand; ykpiv_set_pin_retries). */
const MIN_RETRIES = 1;

const EMPTY = new Uint8Array(0);

type Reference = 'pin' | 'puk';

/** Where each reference keeps its value and counters in the state. */
const FIELDS = {
  pin: { value: 'pinHex', left: 'pinRetriesLeft', max: 'pinRetriesMax' },
  puk: { value: 'pukHex', left: 'pukRetriesLeft', max: 'pukRetriesMax' },
} as const satisfies Record<Reference, { value: keyof CardState; left: keyof CardState; max: keyof CardState }>;

function fail(sw: number): never {
  throw new CardStatus(sw);
}

/**
 * Checks a presented PIN or PUK before anything else happens (SP 800-73-4 Part
 * 2 §3.2.1–3.2.3): blocked answers 6983 even for the right value; a wrong value
 * costs one try and answers 63Cx (63C0 on the try that blocks) and voids an
 * earlier PIN verification (JavaCard OwnerPIN.check semantics; no Yubico
 * source says either way); the right value restores the tries to their maximum.
 */
function checkReference(ctx: PivContext, ref: Reference, presented: Uint8Array): void {
  const { state } = ctx;
  const f = FIELDS[ref];
  if (state[f.left] === 0) fail(SW.AUTH_METHOD_BLOCKED);
  const stored = Buffer.from(state[f.value], 'hex');
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) {
    if (ref === 'pin') ctx.session.pinVerified = false;
    state[f.left] -= 1;
    ctx.changed();
    fail(swRetries(state[f.left]));
  }
  if (state[f.left] !== state[f.max]) {
    state[f.left] = state[f.max];
    ctx.changed();
  }
}

/** Characters before the FF padding. */
function unpaddedLength(value: Uint8Array): number {
  let n = value.length;
  while (n > 0 && value[n - 1] === PADDING) n--;
  return n;
}

/** Splits `old ‖ new` (8 + 8 bytes); any other length is 6A80 (yesdk apdu/change-ref.md). */
function twoValues(data: Uint8Array): [Uint8Array, Uint8Array] {
  if (data.length !== 2 * REFERENCE_LENGTH) fail(SW.INCORRECT_DATA);
  return [data.subarray(0, REFERENCE_LENGTH), data.subarray(REFERENCE_LENGTH)];
}

/**
 * The new value must have 6 to 8 characters: else 6985, checked only after the
 * old value was accepted (ykman's reset sends an all-FF PUK and new PIN to use
 * up the PUK tries, yubikit piv.py PivSession.reset, and must get 63Cx).
 */
function requireNewValue(value: Uint8Array): string {
  if (unpaddedLength(value) < MIN_NEW_LENGTH) fail(SW.CONDITIONS_NOT_SATISFIED);
  return hexOf(value);
}

/**
 * VERIFY (INS 20) of the PIN (P2 80):
 * - 8 bytes: check the PIN; success sets the security status (and the one-shot
 *   status for PIN policy "always", read by the next command only).
 * - no data: status query, 9000 if verified, else 63Cx (6983 when blocked).
 * - P1 FF, no data: reset the security status (SP 800-73-4; firmware 5.4.3+).
 * Other key references (Bio 96 included, yubikit verify_uv) and P1 values
 * answer 6A88, as the yesdk documents for invalid P1/P2 in PIN commands.
 */
export const verify: PivHandler = (command, ctx) => {
  const { session, state } = ctx;
  if (command.p2 !== KEY_REF.PIN) fail(SW.REFERENCE_NOT_FOUND);
  if (command.p1 === VERIFY_P1.RESET_STATUS && ctx.profile.verifyReset) {
    if (command.data.length !== 0) fail(SW.INCORRECT_DATA);
    session.pinVerified = false;
    session.pinVerifiedForNextCommand = false;
    return EMPTY;
  }
  if (command.p1 !== VERIFY_P1.VERIFY) fail(SW.REFERENCE_NOT_FOUND);
  if (command.data.length === 0) {
    if (session.pinVerified) return EMPTY;
    fail(state.pinRetriesLeft === 0 ? SW.AUTH_METHOD_BLOCKED : swRetries(state.pinRetriesLeft));
  }
  if (command.data.length !== REFERENCE_LENGTH) fail(SW.INCORRECT_DATA);
  checkReference(ctx, 'pin', command.data);
  session.pinVerified = true;
  session.pinVerifiedForNextCommand = true;
  return EMPTY;
};

/**
 * CHANGE REFERENCE DATA (INS 24), P2 80 PIN or 81 PUK: `old ‖ new`. The old
 * value is checked as VERIFY does. A changed PIN must be verified again.
 */
export const changeReferenceData: PivHandler = (command, ctx) => {
  const ref: Reference | undefined = command.p2 === KEY_REF.PIN ? 'pin' : command.p2 === KEY_REF.PUK ? 'puk' : undefined;
  if (ref === undefined || command.p1 !== 0) fail(SW.REFERENCE_NOT_FOUND);
  const [current, next] = twoValues(command.data);
  checkReference(ctx, ref, current);
  ctx.state[FIELDS[ref].value] = requireNewValue(next);
  if (ref === 'pin') ctx.session.pinVerified = false;
  ctx.changed();
  return EMPTY;
};

/**
 * RESET RETRY COUNTER (INS 2C), P2 80: `PUK ‖ new PIN`. The PUK is checked
 * (its own tries, 6983 once blocked); then the PIN is replaced and gets all
 * its tries back, blocked or not (yubikit test_unblock_pin_requires_no_previous_authentication).
 */
export const resetRetryCounter: PivHandler = (command, ctx) => {
  if (command.p1 !== 0 || command.p2 !== KEY_REF.PIN) fail(SW.REFERENCE_NOT_FOUND);
  const [puk, pin] = twoValues(command.data);
  checkReference(ctx, 'puk', puk);
  const { state } = ctx;
  state.pinHex = requireNewValue(pin);
  state.pinRetriesLeft = state.pinRetriesMax;
  ctx.session.pinVerified = false;
  ctx.changed();
  return EMPTY;
};

/**
 * SET PIN RETRIES (INS FA): P1 = PIN tries, P2 = PUK tries, each 1–255. Needs
 * the management key and the PIN (yubikit test_set_pin_retries_requires_pin_and_mgm_key;
 * NEO from 2015, yubico-piv-tool issue #24), else 6982. Also sets the PIN and
 * PUK back to 123456 / 12345678 (yubikit set_pin_attempts; yesdk SetPinRetriesCommand).
 */
export const setPinRetries: PivHandler = (command, ctx) => {
  const { session, state } = ctx;
  if (!session.managementKeyAuthenticated || !session.pinVerified) fail(SW.SECURITY_STATUS_NOT_SATISFIED);
  if (command.p1 < MIN_RETRIES || command.p2 < MIN_RETRIES) fail(SW.WRONG_P1P2);
  state.pinRetriesMax = command.p1;
  state.pinRetriesLeft = command.p1;
  state.pukRetriesMax = command.p2;
  state.pukRetriesLeft = command.p2;
  state.pinHex = DEFAULT_PIN_HEX;
  state.pukHex = DEFAULT_PUK_HEX;
  // The PIN just changed (to the default): its verification is void.
  session.pinVerified = false;
  ctx.changed();
  return EMPTY;
};

/**
 * RESET (INS FB): only when the PIN and the PUK are both blocked, else 6985
 * (yesdk apdu/reset-piv.md). Back to factory state, in place: PIN, PUK, 3/3
 * tries, the profile's default management key (3DES; AES-192 from 5.7) without
 * touch; every key and object gone except the attestation key F9 and its
 * certificate 5FFF01 (yubikit PivSession.reset; Yubico PIV attestation docs).
 */
export const resetPiv: PivHandler = (_command, ctx) => {
  const { state } = ctx;
  if (state.pinRetriesLeft !== 0 || state.pukRetriesLeft !== 0) fail(SW.CONDITIONS_NOT_SATISFIED);
  const factory = factoryPivState(state.profile, state.serial);
  state.pinHex = factory.pinHex;
  state.pukHex = factory.pukHex;
  state.pinRetriesMax = factory.pinRetriesMax;
  state.pinRetriesLeft = factory.pinRetriesLeft;
  state.pukRetriesMax = factory.pukRetriesMax;
  state.pukRetriesLeft = factory.pukRetriesLeft;
  Object.assign(state.managementKey, factory.managementKey);
  state.objects = keepOnly(state.objects, ATTESTATION_OBJECT_ID);
  state.keys = keepOnly(state.keys, slotHex(SLOT.ATTESTATION));
  Object.assign(ctx.session, newPivSession());
  ctx.changed();
  return EMPTY;
};

function keepOnly<T>(record: Record<string, T>, key: string): Record<string, T> {
  const kept = record[key];
  return kept === undefined ? {} : { [key]: kept };
}
