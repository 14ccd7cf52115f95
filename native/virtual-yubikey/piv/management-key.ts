// The PIV management key (key reference 9B): GENERAL AUTHENTICATE with it, and
// Yubico's SET MANAGEMENT KEY.
// Authentication: NIST SP 800-73-4 Part 2 §3.2.4 and Appendix A.1 (mutual
// authentication: witness 80 / challenge 81 / response 82 in template 7C);
// yubikit piv.py PivSession.authenticate and ykpiv.c _ykpiv_authenticate2 do
// the mutual form, ykpiv.c ykpiv_auth_getchallenge / ykpiv_auth_verifyresponse
// the one-way "external authenticate" form (yesdk users-manual apdu/auth-mgmt.md
// shows both on a YubiKey).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CardStatus, SW } from '../sw.ts';
import { bytesOf, findTlv, hexOf, parseTemplate, parseTlvs, tlv } from '../tlv.ts';
import type { PivContext, PivHandler, PivSession } from './context.ts';
import { AUTH_TAG, KEY_REF } from './references.ts';
import { encryptBlock, findManagementAlgorithm, type ManagementAlgorithm, storedManagementAlgorithm } from './management-key-algorithms.ts';

/**
 * SET MANAGEMENT KEY: P1 is always FF; P2 is the touch policy: FF never, FE
 * always, FD cached (yesdk users-manual apdu/set-mgmt-key.md "FD for cached";
 * yesdk SetManagementKeyCommand TouchPolicyP2Cached = 0xFD; ykpiv.c
 * ykpiv_set_mgmkey3 sends FF/FE). As GET METADATA reports it: 01 / 02 / 03.
 */
const P1_SET_MANAGEMENT_KEY = 0xff;
const TOUCH_POLICY_OF_P2: Readonly<Record<number, number>> = { 0xff: 0x01, 0xfe: 0x02, 0xfd: 0x03 };

/**
 * What the card waits for after step 1: the host's decryption of the witness
 * (mutual form, 7C{80 00}) or its encryption of the card's challenge (one-way
 * form, 7C{81 00}). `session.managementWitness` holds the value to compare; the
 * form is kept here, per session, because PivSession has one field for it. A
 * re-SELECT empties managementWitness, so a stale entry here is never read.
 */
const pendingForm = new WeakMap<PivSession, 'witness' | 'challenge'>();

const EMPTY = new Uint8Array(0);

function fail(sw: number): never {
  throw new CardStatus(sw);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Step 1, mutual form: a random witness W, sent as E_K(W); the host must return W. */
function sendWitness(ctx: PivContext, alg: ManagementAlgorithm, key: Uint8Array): Uint8Array {
  const witness = Uint8Array.from(randomBytes(alg.blockLength));
  ctx.session.managementWitness = witness;
  pendingForm.set(ctx.session, 'witness');
  return tlv(AUTH_TAG.TEMPLATE, tlv(AUTH_TAG.WITNESS, encryptBlock(alg, key, witness)));
}

/** Step 1, one-way form: a random challenge C in clear; the host must return E_K(C). */
function sendChallenge(ctx: PivContext, alg: ManagementAlgorithm, key: Uint8Array): Uint8Array {
  const challenge = Uint8Array.from(randomBytes(alg.blockLength));
  ctx.session.managementWitness = encryptBlock(alg, key, challenge);
  pendingForm.set(ctx.session, 'challenge');
  return tlv(AUTH_TAG.TEMPLATE, tlv(AUTH_TAG.CHALLENGE, challenge));
}

/** Takes what step 1 left for this form; one attempt per step 1, right or wrong. */
function takeExpected(ctx: PivContext, form: 'witness' | 'challenge'): Uint8Array | null {
  const expected = ctx.session.managementWitness;
  const pending = pendingForm.get(ctx.session);
  ctx.session.managementWitness = null;
  pendingForm.delete(ctx.session);
  return expected !== null && pending === form ? expected : null;
}

export const authenticateManagementKey: PivHandler = (command, ctx) => {
  const stored = ctx.state.managementKey;
  // The algorithm in P1 must be the key's own: a 3DES request against a 5.7
  // key's AES-192 default answers 6A80 (piv-go via cosign issue #3742).
  if (command.p1 !== stored.algorithm) fail(SW.INCORRECT_DATA);
  const alg = storedManagementAlgorithm(stored.algorithm);
  const key = bytesOf(stored.keyHex);
  const items = parseTemplate(command.data, AUTH_TAG.TEMPLATE);
  const witness = findTlv(items, AUTH_TAG.WITNESS);
  const challenge = findTlv(items, AUTH_TAG.CHALLENGE);
  const response = findTlv(items, AUTH_TAG.RESPONSE);
  const session = ctx.session;

  // Step 1 (either form) starts over: any earlier authentication is void.
  if (witness?.length === 0 && challenge === undefined && response === undefined) {
    session.managementKeyAuthenticated = false;
    return sendWitness(ctx, alg, key);
  }
  if (challenge?.length === 0 && witness === undefined && response === undefined) {
    session.managementKeyAuthenticated = false;
    return sendChallenge(ctx, alg, key);
  }

  // Step 2, mutual: 7C{80 W, 81 C [, 82 00]} -> 7C{82 E_K(C)}.
  if (witness !== undefined && witness.length > 0 && challenge !== undefined && (response?.length ?? 0) === 0) {
    const expected = takeExpected(ctx, 'witness');
    session.managementKeyAuthenticated = false;
    if (challenge.length !== alg.blockLength) fail(SW.INCORRECT_DATA);
    if (expected === null || !sameBytes(witness, expected)) fail(SW.SECURITY_STATUS_NOT_SATISFIED);
    session.managementKeyAuthenticated = true;
    return tlv(AUTH_TAG.TEMPLATE, tlv(AUTH_TAG.RESPONSE, encryptBlock(alg, key, challenge)));
  }

  // Step 2, one-way: 7C{82 E_K(C)} -> 9000 and no data.
  if (response !== undefined && response.length > 0 && witness === undefined && challenge === undefined) {
    const expected = takeExpected(ctx, 'challenge');
    session.managementKeyAuthenticated = false;
    if (expected === null || !sameBytes(response, expected)) fail(SW.SECURITY_STATUS_NOT_SATISFIED);
    session.managementKeyAuthenticated = true;
    return EMPTY;
  }
  return fail(SW.INCORRECT_DATA);
};

/**
 * SET MANAGEMENT KEY (Yubico, ykpiv.h YKPIV_INS_SET_MGMKEY): data `alg 9B len
 * key`. Needs the current management key. The session stays authenticated, as
 * ykman writes its PIVMAN data right after (ykman/piv.py pivman_set_mgm_key).
 * The card takes any key bytes: the DES weak-key check is yubico-piv-tool's own
 * (ykpiv.c yk_des_is_weak_key, before the APDU is sent).
 */
export const setManagementKey: PivHandler = (command, ctx) => {
  if (!ctx.session.managementKeyAuthenticated) fail(SW.SECURITY_STATUS_NOT_SATISFIED);
  if (command.p1 !== P1_SET_MANAGEMENT_KEY) fail(SW.WRONG_P1P2);
  const touchPolicy = TOUCH_POLICY_OF_P2[command.p2];
  if (touchPolicy === undefined) fail(SW.WRONG_P1P2);
  const data = command.data;
  if (data.length < 1) fail(SW.INCORRECT_DATA);
  const alg = findManagementAlgorithm(data[0]!, ctx.profile);
  // AES on firmware before 5.4 (yubikit require_version 5.4.0) is an unknown algorithm there.
  if (alg === undefined) fail(SW.INCORRECT_DATA);
  const items = parseTlvs(data.subarray(1));
  const key = items.length === 1 && items[0]!.tag === KEY_REF.MANAGEMENT ? items[0]!.value : undefined;
  if (key?.length !== alg.keyLength) fail(SW.INCORRECT_DATA);
  const record = ctx.state.managementKey;
  record.algorithm = alg.id;
  record.keyHex = hexOf(key);
  record.touchPolicy = touchPolicy;
  ctx.changed();
  return EMPTY;
};
