// Key slots, their default policies, and the checks every key command shares.
// Key references: NIST SP 800-73-4 Part 1 Table 4b (9A 9C 9D 9E, 82–95) and
// Yubico's attestation slot F9 (ykpiv.h YKPIV_KEY_ATTESTATION).
import { CardStatus, SW } from '../sw.ts';
import type { KeyRecord } from '../state.ts';
import type { PivContext } from './context.ts';

export const SLOT = {
  AUTHENTICATION: 0x9a,
  SIGNATURE: 0x9c,
  KEY_MANAGEMENT: 0x9d,
  CARD_AUTH: 0x9e,
  RETIRED_FIRST: 0x82,
  RETIRED_LAST: 0x95,
  ATTESTATION: 0xf9,
} as const;

/** PIN policy values (Yubico PIV extensions, tag AA). Bio-only 04/05 are not accepted here. */
export const PIN_POLICY = { DEFAULT: 0x00, NEVER: 0x01, ONCE: 0x02, ALWAYS: 0x03 } as const;
/** Touch policy values (Yubico PIV extensions, tag AB; cached 03 from 4.3.0). */
export const TOUCH_POLICY = { DEFAULT: 0x00, NEVER: 0x01, ALWAYS: 0x02, CACHED: 0x03 } as const;

/** Policy tags inside GENERATE (AC template) and IMPORT KEY data (ykpiv.h YKPIV_PINPOLICY_TAG / YKPIV_TOUCHPOLICY_TAG). */
export const TAG_PIN_POLICY = 0xaa;
export const TAG_TOUCH_POLICY = 0xab;

function isRetired(slot: number): boolean {
  return slot >= SLOT.RETIRED_FIRST && slot <= SLOT.RETIRED_LAST;
}

/**
 * Slots whose key signs, decrypts, agrees keys and can be attested: 9A 9C 9D 9E
 * and 82–95. F9 holds a key but only signs the certificates ATTEST makes
 * (yesdk PivSlot.IsValidSlotNumberForSigning).
 */
export function isOperationSlot(slot: number): boolean {
  return slot === SLOT.AUTHENTICATION || slot === SLOT.SIGNATURE || slot === SLOT.KEY_MANAGEMENT || slot === SLOT.CARD_AUTH || isRetired(slot);
}

/** Slots a key may be generated or imported into: the operation slots and F9 (yesdk PivSlot.IsValidSlotNumberForGenerate; ykpiv_import_private_key). */
export function isKeySlot(slot: number): boolean {
  return isOperationSlot(slot) || slot === SLOT.ATTESTATION;
}

/** 6B00 for a key reference the command cannot use (ykpiv.h SW_ERR_INCORRECT_SLOT). */
export function requireSlot(slot: number, valid: (slot: number) => boolean): string {
  if (!valid(slot)) throw new CardStatus(SW.WRONG_P1P2);
  return slotHex(slot);
}

export function slotHex(slot: number): string {
  return slot.toString(16).padStart(2, '0');
}

/**
 * The PIN policy a slot gets when the host asks for "default" (yubico-piv-tool
 * man page; yesdk PivPinPolicy): 9C always, 9E never, others once. F9 signs
 * attestations without a PIN, so its key is "never" (as the factory key).
 */
export function defaultPinPolicy(slot: number): number {
  if (slot === SLOT.SIGNATURE) return PIN_POLICY.ALWAYS;
  if (slot === SLOT.CARD_AUTH || slot === SLOT.ATTESTATION) return PIN_POLICY.NEVER;
  return PIN_POLICY.ONCE;
}

/** Resolves the AA/AB values of a GENERATE or IMPORT to what the key stores; an unknown value is 6A80. */
export function resolvePolicies(
  slot: number,
  pinPolicy: Uint8Array | undefined,
  touchPolicy: Uint8Array | undefined,
): { pinPolicy: number; touchPolicy: number } {
  const one = (value: Uint8Array | undefined, max: number): number => {
    if (value === undefined) return 0;
    if (value.length !== 1 || value[0]! > max) throw new CardStatus(SW.INCORRECT_DATA);
    return value[0]!;
  };
  const pin = one(pinPolicy, PIN_POLICY.ALWAYS);
  const touch = one(touchPolicy, TOUCH_POLICY.CACHED);
  return {
    pinPolicy: pin === PIN_POLICY.DEFAULT ? defaultPinPolicy(slot) : pin,
    // Default touch is "never" for every slot (piv-yubikey-apdus.md §6).
    touchPolicy: touch === TOUCH_POLICY.DEFAULT ? TOUCH_POLICY.NEVER : touch,
  };
}

/** Key management commands (GENERATE, IMPORT, MOVE/DELETE) need the management key: else 6982. */
export function requireManagementKey(ctx: PivContext): void {
  if (!ctx.session.managementKeyAuthenticated) throw new CardStatus(SW.SECURITY_STATUS_NOT_SATISFIED);
}

/**
 * The key's PIN policy, checked before it is used (SP 800-73-4 Part 1 §3.5 key
 * access rules; Yubico PIN policy): once = PIN verified in this session,
 * always = VERIFY was the command just before, never = nothing. Touch is granted
 * at once: the virtual key has no button to wait for.
 */
export function requirePinPolicy(ctx: PivContext, record: KeyRecord): void {
  const { session } = ctx;
  const ok =
    record.pinPolicy === PIN_POLICY.NEVER ||
    (record.pinPolicy === PIN_POLICY.ONCE && session.pinVerified) ||
    (record.pinPolicy === PIN_POLICY.ALWAYS && session.pinVerifiedForNextCommand);
  if (!ok) throw new CardStatus(SW.SECURITY_STATUS_NOT_SATISFIED);
}
