// GENERAL AUTHENTICATE with a slot's private key (INS 87, P1 = algorithm,
// P2 = slot; SP 800-73-4 Part 2 §3.2.4). Request `7C { 82 00, 81 challenge }`
// (sign/decrypt) or `7C { 82 00, 85 peer point }` (key agreement); response
// `7C { 82 result }`. P2 = 9B (management key) is routed elsewhere by applet.ts.
import type { KeyRecord } from '../state.ts';
import { CardStatus, SW } from '../sw.ts';
import { findTlv, parseTemplate, tlv } from '../tlv.ts';
import { algorithmOfRecord, type KeyAlgorithm } from './algorithms.ts';
import type { PivHandler } from './context.ts';
import { ecdh, ecdsaSign, ed25519Sign, rsaRaw, x25519Agree } from './private-key-crypto.ts';
import { privateKeyOf } from './public-key.ts';
import { AUTH_TAG } from './references.ts';
import { isOperationSlot, requirePinPolicy, requireSlot } from './slots.ts';

type Request = { readonly kind: 'challenge' | 'exponentiation'; readonly data: Uint8Array };

/** Exactly an empty 82 (asking for the response) and one of 81 / 85; anything else is 6A80. */
function parseRequest(data: Uint8Array): Request {
  const inner = parseTemplate(data, AUTH_TAG.TEMPLATE);
  const response = findTlv(inner, AUTH_TAG.RESPONSE);
  const challenge = findTlv(inner, AUTH_TAG.CHALLENGE);
  const exponentiation = findTlv(inner, AUTH_TAG.EXPONENTIATION);
  const known = inner.every((t) => t.tag === AUTH_TAG.RESPONSE || t.tag === AUTH_TAG.CHALLENGE || t.tag === AUTH_TAG.EXPONENTIATION);
  if (!known || inner.length !== 2 || response === undefined || response.length !== 0) {
    throw new CardStatus(SW.INCORRECT_DATA);
  }
  if (challenge !== undefined) return { kind: 'challenge', data: challenge };
  if (exponentiation !== undefined) return { kind: 'exponentiation', data: exponentiation };
  throw new CardStatus(SW.INCORRECT_DATA);
}

function compute(alg: KeyAlgorithm, request: Request, record: KeyRecord): Uint8Array {
  const key = privateKeyOf(record);
  const { kind, data } = request;
  switch (alg.kind) {
    case 'rsa':
      // ykpiv sends RSA blocks under 81 for both sign and decrypt.
      if (kind !== 'challenge') break;
      return rsaRaw(key, alg, data);
    case 'ec':
      return kind === 'challenge' ? ecdsaSign(key, alg, data) : ecdh(key, alg, data);
    case 'ed25519':
      if (kind !== 'challenge') break;
      return ed25519Sign(key, data);
    case 'x25519':
      if (kind !== 'exponentiation') break;
      return x25519Agree(key, data);
  }
  throw new CardStatus(SW.INCORRECT_DATA);
}

export const privateKeyOperation: PivHandler = (command, ctx) => {
  const slot = requireSlot(command.p2, isOperationSlot);
  const record = ctx.state.keys[slot];
  // Empty slot: 6A88 (piv-yubikey-apdus.md §3; ykpiv SW_ERR_REFERENCE_NOT_FOUND).
  if (record === undefined) throw new CardStatus(SW.REFERENCE_NOT_FOUND);
  // P1 names the key's algorithm; a mismatch is 6A80, which ykman's check_key reads as "not this key".
  if (command.p1 !== record.algorithm) throw new CardStatus(SW.INCORRECT_DATA);
  const request = parseRequest(command.data);
  requirePinPolicy(ctx, record);
  const result = compute(algorithmOfRecord(record.algorithm), request, record);
  return tlv(AUTH_TAG.TEMPLATE, tlv(AUTH_TAG.RESPONSE, result));
};
