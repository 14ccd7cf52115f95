// IMPORT ASYMMETRIC KEY (Yubico extension, INS FE, P1 algorithm, P2 slot;
// developers.yubico.com PIV/Introduction/Yubico_extensions). Data: RSA
// `01 p 02 q 03 dP 04 dQ 05 qInv`, each modulus/2 bytes (e is 65537); EC `06 s`
// padded to the field size; Ed25519 `07 seed`, X25519 `08 key` (5.7); then
// optional `AA pin policy` and `AB touch policy`. Needs the management key.
import type { KeyObject } from 'node:crypto';
import { CardStatus, SW } from '../sw.ts';
import { findTlv, parseTlvs, type Tlv } from '../tlv.ts';
import { type KeyAlgorithm, requireAlgorithm } from './algorithms.ts';
import type { PivHandler } from './context.ts';
import { curve25519KeyFromPrivate, ecKeyFromScalar, keyRecord, rsaKeyFromComponents } from './key-factory.ts';
import { isKeySlot, requireManagementKey, requireSlot, resolvePolicies, TAG_PIN_POLICY, TAG_TOUCH_POLICY } from './slots.ts';

/** Component tags (ykpiv_import_private_key; yubikit piv.py put_key). */
const TAG = { P: 0x01, Q: 0x02, DP: 0x03, DQ: 0x04, QINV: 0x05, EC_SCALAR: 0x06, ED25519: 0x07, X25519: 0x08 } as const;

function componentTags(alg: KeyAlgorithm): readonly number[] {
  switch (alg.kind) {
    case 'rsa':
      return [TAG.P, TAG.Q, TAG.DP, TAG.DQ, TAG.QINV];
    case 'ec':
      return [TAG.EC_SCALAR];
    case 'ed25519':
      return [TAG.ED25519];
    case 'x25519':
      return [TAG.X25519];
  }
}

function required(tlvs: readonly Tlv[], tag: number, length: number): Uint8Array {
  const value = findTlv(tlvs, tag);
  if (value?.length !== length) throw new CardStatus(SW.INCORRECT_DATA);
  return value;
}

function rebuild(alg: KeyAlgorithm, tlvs: readonly Tlv[]): KeyObject | undefined {
  switch (alg.kind) {
    case 'rsa': {
      // ykpiv and yubikit pad every component to half the modulus length.
      const half = alg.bits / 16;
      const part = (tag: number): Uint8Array => required(tlvs, tag, half);
      const components = { p: part(TAG.P), q: part(TAG.Q), dp: part(TAG.DP), dq: part(TAG.DQ), qInv: part(TAG.QINV) };
      return rsaKeyFromComponents(components, alg.bits);
    }
    case 'ec':
      return ecKeyFromScalar(required(tlvs, TAG.EC_SCALAR, alg.fieldBytes), alg);
    case 'ed25519':
      return curve25519KeyFromPrivate(required(tlvs, TAG.ED25519, 32), 'ed25519');
    case 'x25519':
      return curve25519KeyFromPrivate(required(tlvs, TAG.X25519, 32), 'x25519');
  }
}

export const importKey: PivHandler = (command, ctx) => {
  const slot = requireSlot(command.p2, isKeySlot);
  requireManagementKey(ctx);
  const alg = requireAlgorithm(command.p1, ctx.profile);
  const tlvs = parseTlvs(command.data);
  const allowed = new Set([...componentTags(alg), TAG_PIN_POLICY, TAG_TOUCH_POLICY]);
  if (!tlvs.every((t) => allowed.has(t.tag))) throw new CardStatus(SW.INCORRECT_DATA);
  const policies = resolvePolicies(command.p2, findTlv(tlvs, TAG_PIN_POLICY), findTlv(tlvs, TAG_TOUCH_POLICY));
  const key = rebuild(alg, tlvs);
  // Components that do not make one valid key of this size are bad data.
  if (key === undefined) throw new CardStatus(SW.INCORRECT_DATA);

  ctx.state.keys[slot] = keyRecord(alg, key, policies, 'imported');
  ctx.changed();
  return new Uint8Array(0);
};
