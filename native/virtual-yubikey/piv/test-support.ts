// TEST-ONLY helpers for the PIV applet's unit tests: build APDUs, follow 61xx
// with GET RESPONSE, verify the PIN and authenticate the management key the way
// a host does (yubikit piv.py PivSession.verify_pin / authenticate). The host
// side does its own cryptography with node:crypto and never calls the
// emulator's, so a mistake there cannot check itself.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { VirtualCard } from '../card-interface.ts';
import { createVirtualYubiKey, newCardState, type ProfileName } from '../index.ts';
import type { CardState } from '../state.ts';

/** Management key algorithm ids (SP 800-78-4 Table 6-1). */
export const MGMT = { TDES: 0x03, AES128: 0x08, AES192: 0x0a, AES256: 0x0c } as const;
/** Factory management key (yubikit DEFAULT_MANAGEMENT_KEY). */
export const DEFAULT_MGMT_KEY = hex('010203040506070801020304050607080102030405060708');

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/**
 * A command APDU (ISO 7816-4 §5.1). Short form unless the data exceed 255
 * bytes or `extended` is set; `le` (0 = "as much as there is") adds Le.
 */
export function apdu(
  cla: number,
  ins: number,
  p1: number,
  p2: number,
  data: Uint8Array = new Uint8Array(0),
  options: { le?: number; extended?: boolean } = {},
): Uint8Array {
  const extended = options.extended === true || data.length > 255;
  const parts: number[] = [cla, ins, p1, p2];
  if (extended) {
    parts.push(0x00);
    if (data.length > 0) parts.push(data.length >> 8, data.length & 0xff, ...data);
    if (options.le !== undefined) parts.push(options.le >> 8, options.le & 0xff);
  } else {
    if (data.length > 0) parts.push(data.length, ...data);
    if (options.le !== undefined) parts.push(options.le);
  }
  return Uint8Array.from(parts);
}

export type TestCard = ReturnType<typeof createVirtualYubiKey>;

/** One factory state per profile: making the F9 attestation key is slow, so tests clone it. */
const factoryStates = new Map<ProfileName, CardState>();

/** A card in factory state (its own copy), PIV selected. `edit` may change the state first. */
export function freshCard(profile: ProfileName = 'yk5.4.3', edit?: (state: CardState) => void): TestCard {
  let base = factoryStates.get(profile);
  if (base === undefined) {
    base = newCardState(profile, 12345678);
    factoryStates.set(profile, base);
  }
  const state = structuredClone(base);
  edit?.(state);
  const card = createVirtualYubiKey({ state });
  select(card);
  return card;
}

/** SW1 SW2 of a response. */
export function sw(resp: Uint8Array): number {
  return (resp[resp.length - 2]! << 8) | resp[resp.length - 1]!;
}

/** Response data without SW1 SW2. */
export function data(resp: Uint8Array): Uint8Array {
  return resp.subarray(0, resp.length - 2);
}

/** SELECT the PIV applet by its RID + PIX prefix, as ykpiv and yubikit do. */
export function select(card: VirtualCard): Uint8Array {
  return card.transmit(apdu(0x00, 0xa4, 0x04, 0x00, hex('a000000308')));
}

/**
 * Leaves PIV for the management application and selects PIV again: what
 * ykpiv does before 5.4.3 to drop the PIN (ykpiv.c _ykpiv_auth_deauthenticate).
 * Selecting another application clears PIV's security status (SP 800-73-4 Part 2 §3.1.1).
 */
export function reselectViaManagement(card: VirtualCard): void {
  const management = sw(card.transmit(apdu(0x00, 0xa4, 0x04, 0x00, hex('a000000527471117'))));
  const piv = sw(select(card));
  if (management !== 0x9000 || piv !== 0x9000) throw new Error('SELECT management / PIV failed');
}

/** Sends a command and collects 61xx blocks with GET RESPONSE `00 C0 00 00 00`; returns all data + the last SW. */
export function transmitAll(card: VirtualCard, command: Uint8Array): Uint8Array {
  let resp = card.transmit(command);
  const collected: Uint8Array[] = [];
  while (sw(resp) >> 8 === 0x61) {
    collected.push(data(resp));
    resp = card.transmit(apdu(0x00, 0xc0, 0x00, 0x00, undefined, { le: 0 }));
  }
  collected.push(resp);
  return Uint8Array.from(Buffer.concat(collected));
}

/** A PIN or PUK as the card takes it: 8 bytes, padded with FF. */
export function pinBytes(pin: string): Uint8Array {
  const out = new Uint8Array(8).fill(0xff);
  out.set(Buffer.from(pin, 'utf8'));
  return out;
}

/** VERIFY PIN; returns the SW. */
export function verifyPin(card: VirtualCard, pin: string): number {
  return sw(card.transmit(apdu(0x00, 0x20, 0x00, 0x80, pinBytes(pin))));
}

function cipherName(alg: number, key: Uint8Array): string {
  return alg === MGMT.TDES ? 'des-ede3-ecb' : `aes-${key.length * 8}-ecb`;
}

export function hostEncrypt(alg: number, key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv(cipherName(alg, key), key, null).setAutoPadding(false);
  return Uint8Array.from(Buffer.concat([c.update(block), c.final()]));
}

export function hostDecrypt(alg: number, key: Uint8Array, block: Uint8Array): Uint8Array {
  const d = createDecipheriv(cipherName(alg, key), key, null).setAutoPadding(false);
  return Uint8Array.from(Buffer.concat([d.update(block), d.final()]));
}

/**
 * Mutual authentication with the management key as yubikit does it. Returns
 * the SW of the failing step, or of step 2; throws if the card's answer to the
 * host challenge is not E_K(challenge).
 */
export function authenticateMgmt(card: VirtualCard, alg: number, key: Uint8Array): number {
  const step1 = card.transmit(apdu(0x00, 0x87, alg, 0x9b, hex('7c028000')));
  if (sw(step1) !== 0x9000) return sw(step1);
  const body = data(step1);
  const n = body[3]!;
  const witness = hostDecrypt(alg, key, body.subarray(4, 4 + n));
  const challenge = Uint8Array.from(randomBytes(n));
  const inner = [0x80, n, ...witness, 0x81, n, ...challenge];
  const step2 = card.transmit(apdu(0x00, 0x87, alg, 0x9b, Uint8Array.from([0x7c, inner.length, ...inner])));
  if (sw(step2) !== 0x9000) return sw(step2);
  const answer = data(step2).subarray(4);
  if (toHex(answer) !== toHex(hostEncrypt(alg, key, challenge))) throw new Error('card answered the challenge wrongly');
  return sw(step2);
}
